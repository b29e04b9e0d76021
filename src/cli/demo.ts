/**
 * `vertrouwd demo`: a whole intake in the terminal on embedded defaults. No Slack, Teams or
 * Redis; demo counsellors with keys generated on first run; the handoff lands in the outbox.
 */
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { runConsole } from "../../adapters/console/index.ts";
import { demoSetup } from "../config/demo.ts";
import type { Locale } from "../config/schema.ts";
import { t } from "../content/index.ts";
import { createLogger } from "../log/logger.ts";
import { withoutRedis } from "../store/index.ts";
import { createApp } from "./wiring.ts";

export async function runDemo(options: { lang: Locale; env: NodeJS.ProcessEnv }): Promise<number> {
  const demo = await demoSetup(path.resolve(".vertrouwd"));
  // Logs go to stderr and only from "warn" up, so the conversation stays readable.
  const logger = createLogger({ level: options.env.LOG_LEVEL ?? "warn", destination: pino.destination(2) });
  const config = { ...demo.config, defaultLocale: options.lang };
  // The demo never uses Redis, whatever the shell has set: it must run on a bare machine.
  const env = withoutRedis(options.env);
  const app = await createApp({ config, configDir: demo.baseDir, env, logger });
  const color = process.stdout.isTTY === true && !options.env.NO_COLOR;
  try {
    await runConsole({
      runtime: app.runtime,
      input: process.stdin,
      output: process.stdout,
      color,
      onHandoff: async (turn) => {
        const receipt = turn.receipt;
        if (!receipt) return;
        const file = await findInOutbox(demo.outboxDir, receipt.sha256);
        const key = demo.keys.counsellors.find((k) => k.id === receipt.counsellorId);
        if (!file || !key) return;
        const rel = (p: string) => path.relative(process.cwd(), p);
        const lines = [
          "",
          `Handoff: ${rel(file)}`,
          t(options.lang, "console.openHint", {
            command: `npm run vertrouwd -- open ${rel(file)} --key ${rel(key.privateKeyPath)} --verify ${rel(demo.keys.bot.publicKeyPath)}`,
          }),
          `gpg:  gpg --import ${rel(key.privateKeyPath)} && gpg --decrypt ${rel(file)}`,
          "",
        ];
        process.stdout.write(lines.join("\n"));
      },
    });
    // Ending the chat without a handoff (stop, end of input) is a normal exit too.
    return 0;
  } finally {
    await app.close();
  }
}

/** The outbox file whose SHA-256 is on the receipt: the demo proves the receipt matches the file. */
async function findInOutbox(dir: string, sha256: string): Promise<string | undefined> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith(".asc")) continue;
    const file = path.join(dir, name);
    const hash = createHash("sha256")
      .update(await readFile(file, "utf8"))
      .digest("hex");
    if (hash === sha256) return file;
  }
  return undefined;
}
