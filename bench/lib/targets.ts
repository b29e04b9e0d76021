/**
 * Starting the two systems under load: `vertrouwd serve` (Slack adapter, Redis, demo counsellors,
 * outbox delivery, cwd in a temp dir) and the bare Bolt floor app, both pointed at the fake Web API.
 */
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { demoSetup } from "../../src/cli/demo-setup.ts";
import { type ServerChild, startChild } from "./processes.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Only what a server needs from our environment: no config file, no Teams, no stray secrets. */
function baseEnv(): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR, LANG } = process.env;
  return { PATH, HOME, TMPDIR, LANG, NODE_ENV: "production" };
}

export interface VertrouwdEnv {
  signingSecret: string;
  slackApiUrl: string;
  redisUrl: string;
  stateKey: string;
  serverSecret: string;
  redisPrefix: string;
}

/**
 * serve refuses the demo counsellors next to a platform's secrets, so the bench writes them into
 * a config file of its own (keys generated into the bench's temp dir, outbox delivery).
 */
export async function writeBenchConfig(home: string): Promise<string> {
  const demo = await demoSetup(path.join(home, ".vertrouwd"));
  const file = path.join(home, "vertrouwd.config.yaml");
  // JSON is YAML.
  await writeFile(file, JSON.stringify(demo.config, null, 2));
  return file;
}

export async function startVertrouwd(
  home: string,
  env: VertrouwdEnv,
  nodeFlags: string[] = [],
): Promise<ServerChild> {
  const config = await writeBenchConfig(home);
  return startChild({
    nodeFlags,
    script: path.join(REPO_ROOT, "src/cli/entry.ts"),
    args: ["serve", "--port", "0"],
    cwd: home,
    env: {
      ...baseEnv(),
      SLACK_BOT_TOKEN: "xoxb-bench-token",
      SLACK_SIGNING_SECRET: env.signingSecret,
      SLACK_API_URL: env.slackApiUrl,
      REDIS_URL: env.redisUrl,
      VERTROUWD_STATE_KEY: env.stateKey,
      VERTROUWD_SERVER_SECRET: env.serverSecret,
      VERTROUWD_REDIS_PREFIX: env.redisPrefix,
      VERTROUWD_CONFIG: config,
      LOG_LEVEL: "info",
    },
    readyEvent: '"server.listening"',
  });
}

export function startFloor(
  home: string,
  env: { signingSecret: string; slackApiUrl: string },
): Promise<ServerChild> {
  return startChild({
    script: path.join(REPO_ROOT, "bench/floor-app.ts"),
    args: [],
    cwd: home,
    env: {
      ...baseEnv(),
      SLACK_BOT_TOKEN: "xoxb-bench-token",
      SLACK_SIGNING_SECRET: env.signingSecret,
      SLACK_API_URL: env.slackApiUrl,
    },
    readyEvent: '"floor.listening"',
  });
}

/** Sealed handoffs the demo counsellors' outbox holds (one per completed conversation). */
export async function outboxCount(home: string): Promise<number> {
  const files = await readdir(path.join(home, ".vertrouwd", "outbox")).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith(".asc")).length;
}
