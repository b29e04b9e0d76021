/**
 * The composition root's first step: which configuration to run with. Shared by serve, doctor
 * and the other commands, so none of them imports another command.
 */
import { access } from "node:fs/promises";
import path from "node:path";
import { ConfigError, DEFAULT_CONFIG_FILES, type LoadedConfig, loadConfig } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { type App, createApp } from "./wiring.ts";

/** VERTROUWD_CONFIG, else the first default file that exists, else undefined (demo defaults). */
export async function findConfig(
  env: NodeJS.ProcessEnv,
  explicit?: string,
): Promise<LoadedConfig | undefined> {
  const file = explicit ?? env.VERTROUWD_CONFIG;
  if (file) return loadConfig(file);
  for (const candidate of DEFAULT_CONFIG_FILES) {
    try {
      await access(candidate);
      return loadConfig(candidate);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
    }
  }
  return undefined;
}

/** Any variable that means a real chat platform is meant to be served. */
const PLATFORM_VARIABLES = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "MicrosoftAppId",
  "MicrosoftAppPassword",
  "VERTROUWD_TEAMS_DEV_NO_AUTH",
] as const;

export const platformConfigured = (env: NodeJS.ProcessEnv): string[] =>
  PLATFORM_VARIABLES.filter((name) => (env[name] ?? "").trim() !== "");

/** Why serve may not run on the demo counsellors, or undefined when it may. */
export class DemoRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoRefusedError";
  }
}

/**
 * The app from the config file. The demo counsellors — whose private keys sit unprotected on
 * this disk, so whoever runs the host could open every report — are used only when asked for
 * (`serve --demo`), never in production and never next to a platform's secrets.
 */
export async function appFromEnvironment(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  options: { configFile?: string; demo?: boolean } = {},
): Promise<App> {
  const loaded = await findConfig(env, options.configFile);
  const platforms = platformConfigured(env);
  if (loaded) {
    if (options.demo)
      throw new DemoRefusedError("--demo cannot be combined with a configuration file; drop one");
    return createApp({ config: loaded.config, configDir: loaded.baseDir, env, logger });
  }
  if (platforms.length > 0) {
    throw new DemoRefusedError(
      `no configuration file, but ${platforms.join(", ")} ${platforms.length > 1 ? "are" : "is"} set: refusing to serve a real platform with the demo counsellors (their private keys are on this disk). Create vertrouwd.config.yaml (or set VERTROUWD_CONFIG) with your counsellors and their public keys.`,
    );
  }
  if (env.NODE_ENV === "production") {
    throw new DemoRefusedError(
      "no configuration file and NODE_ENV=production: refusing to start with the demo counsellors. " +
        "Create vertrouwd.config.yaml (or set VERTROUWD_CONFIG).",
    );
  }
  if (!options.demo) {
    throw new DemoRefusedError(
      "no configuration file (VERTROUWD_CONFIG or ./vertrouwd.config.yaml). " +
        "To try it locally without any platform, run `vertrouwd serve --demo`.",
    );
  }
  const { demoSetup } = await import("../config/demo.ts");
  const demo = await demoSetup(path.resolve(".vertrouwd"));
  logger.warn(
    { event: "config.demo_defaults" },
    "serving the demo counsellors (serve --demo): never for real reports",
  );
  return createApp({ config: demo.config, configDir: demo.baseDir, env, logger });
}
