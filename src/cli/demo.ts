/**
 * `vertrouwd demo`: a whole intake in the terminal on embedded defaults. No Slack, Teams or
 * Redis; demo counsellors with keys generated on first run; the handoff lands in the outbox.
 */
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { runConsole } from "../../adapters/console/index.ts";
import { type DemoSetup, demoSetup } from "../config/demo.ts";
import type { Locale } from "../config/schema.ts";
import { t } from "../content/index.ts";
import { openHandoff } from "../handoff/open.ts";
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
  const app = await createApp({ config, configDir: demo.baseDir, env, logger, deliveryPollMs: 200 });
  const color = process.stdout.isTTY === true && !options.env.NO_COLOR;
  try {
    await runConsole({
      runtime: app.runtime,
      input: process.stdin,
      output: process.stdout,
      color,
      onHandoff: async ({ caseId }) => {
        // The outbox transport names each file after its case id (its idempotency key).
        const file = path.join(demo.outboxDir, `${caseId}.asc`);
        const counsellorId = await counsellorOf(file, demo);
        const key = demo.keys.counsellors.find((k) => k.id === counsellorId) ?? demo.keys.counsellors[0];
        if (!key || !(await exists(file))) return;
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

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * Which demo counsellor the handoff is for: the one whose key opens it. (The melder's choice is
 * not printed by the chat; the demo only needs it to print the right `open` command.)
 */
async function counsellorOf(file: string, demo: DemoSetup): Promise<string | undefined> {
  const armored = await readFile(file, "utf8").catch(() => "");
  for (const k of demo.keys.counsellors) {
    try {
      await openHandoff(armored, { privateKeyArmored: await readFile(k.privateKeyPath, "utf8") });
      return k.id;
    } catch {
      // Not this counsellor's key.
    }
  }
  return undefined;
}
