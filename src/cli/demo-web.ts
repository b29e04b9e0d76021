/**
 * `vertrouwd demo --web`: the secure web page on this machine, on the demo counsellors (keys
 * generated on first run, memory store, outbox in .vertrouwd/outbox). Listens on 127.0.0.1 only:
 * the demo keys' private halves are on this disk, so it must never take real reports.
 */
import { watch } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import type { Locale } from "../config/schema.ts";
import { openHandoff } from "../handoff/open.ts";
import { createLogger } from "../log/logger.ts";
import { withoutRedis } from "../store/index.ts";
import { type DemoSetup, demoSetup } from "./demo-setup.ts";
import { startServer } from "./serve.ts";
import { createApp } from "./wiring.ts";

export async function runWebDemo(options: {
  lang: Locale;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Resolves when the demo should end (default: SIGINT or SIGTERM). */
  until?: Promise<void>;
}): Promise<number> {
  const demo = await demoSetup(path.resolve(".vertrouwd"));
  const logger = createLogger({ level: options.env.LOG_LEVEL ?? "warn", destination: pino.destination(2) });
  const env = withoutRedis(options.env);
  // The port first, so the page's address (publicUrl) is known before the app is made.
  const pageUrl = (port: number) => `http://localhost:${port}/web/`;
  const config = {
    ...demo.config,
    defaultLocale: options.lang,
    web: { ...demo.config.web, enabled: true, publicUrl: pageUrl(options.port || 3978) },
  };
  const app = await createApp({ config, configDir: demo.baseDir, env, logger, deliveryPollMs: 200 });
  const server = await startServer(app, env, { port: options.port, host: "127.0.0.1" });
  const port = Number(new URL(server.url).port);
  const rel = (p: string) => path.relative(process.cwd(), p) || ".";
  const say = (line = "") => process.stdout.write(`${line}\n`);
  say(`Vertrouwd demo: the secure web page on ${pageUrl(port)}`);
  say("Demo counsellors with keys on this disk: never for real reports. Ctrl-C stops.");
  say(`Sealed reports land in ${rel(demo.outboxDir)}/.`);
  say();

  await mkdir(demo.outboxDir, { recursive: true });
  const seen = new Set<string>();
  const watcher = watch(demo.outboxDir, (_event, name) => {
    if (!name?.endsWith(".asc") || name.startsWith(".") || seen.has(name)) return;
    seen.add(name);
    void announce(path.join(demo.outboxDir, name), demo, rel, say);
  });

  const stop =
    options.until ??
    new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
  await stop;
  watcher.close();
  await server.close();
  await app.close();
  return 0;
}

/** Prints where a delivered report is and how the demo counsellor opens it. */
async function announce(
  file: string,
  demo: DemoSetup,
  rel: (p: string) => string,
  say: (l?: string) => void,
) {
  const armored = await readFile(file, "utf8").catch(() => "");
  for (const k of demo.keys.counsellors) {
    try {
      await openHandoff(armored, { privateKeyArmored: await readFile(k.privateKeyPath, "utf8") });
      say(`Handoff: ${rel(file)}`);
      say(`  open: npm run vertrouwd -- open ${rel(file)} --key ${rel(k.privateKeyPath)}`);
      say(`  gpg:  gpg --import ${rel(k.privateKeyPath)} && gpg --decrypt ${rel(file)}`);
      return;
    } catch {
      // Not this counsellor's key.
    }
  }
}
