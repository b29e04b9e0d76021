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

/** The app from the config file, or from the embedded demo defaults when there is none. */
export async function appFromEnvironment(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  configFile?: string,
): Promise<App> {
  const loaded = await findConfig(env, configFile);
  if (loaded) return createApp({ config: loaded.config, configDir: loaded.baseDir, env, logger });
  const { demoSetup } = await import("../config/demo.ts");
  const demo = await demoSetup(path.resolve(".vertrouwd"));
  logger.warn(
    { event: "config.demo_defaults" },
    "no configuration file: using the embedded demo counsellors",
  );
  return createApp({ config: demo.config, configDir: demo.baseDir, env, logger });
}
