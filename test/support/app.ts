/**
 * A real app for tests: demo counsellors with freshly generated keys in a temp dir, the real
 * runtime, crypto and outbox; logs captured line by line so tests can search them.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DemoSetup, demoSetup } from "../../src/cli/demo-setup.ts";
import { type App, type AppOptions, createApp } from "../../src/cli/wiring.ts";
import type { Config } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log/logger.ts";

export interface TestApp {
  app: App;
  demo: DemoSetup;
  home: string;
  logs: string[];
  /** Every file under the temp home (keys excluded), with its content. */
  files(): Promise<{ file: string; content: string }[]>;
  outbox(): Promise<string[]>;
  /** Waits until the delivery queue is empty (every queued handoff delivered or failed). */
  drain(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Demo keys are generated once per worker and copied per app: key generation dominates otherwise. */
let shared: Promise<DemoSetup> | undefined;
export function sharedDemo(): Promise<DemoSetup> {
  shared ??= mkdtemp(path.join(tmpdir(), "vt-demo-")).then((home) => demoSetup(home));
  return shared;
}

export async function testApp(
  options: {
    env?: NodeJS.ProcessEnv;
    config?: (c: Config) => Config;
    handoff?: AppOptions["handoff"];
    keyPrefix?: string;
    idleTtlMs?: number;
    random?: () => number;
    deliver?: boolean;
  } = {},
): Promise<TestApp> {
  const demo = await sharedDemo();
  const home = await mkdtemp(path.join(tmpdir(), "vt-app-"));
  const outboxDir = path.join(home, "outbox");
  const base: Config = {
    ...demo.config,
    counsellors: demo.config.counsellors.map((c) => ({ ...c, delivery: { type: "outbox", dir: outboxDir } })),
  };
  const config = options.config ? options.config(base) : base;
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (l: string) => void logs.push(l) } });
  const app = await createApp({
    config,
    configDir: demo.baseDir,
    env: options.env ?? {},
    logger,
    handoff: { sleep: async () => {}, ...options.handoff },
    keyPrefix: options.keyPrefix,
    idleTtlMs: options.idleTtlMs,
    deliveryPollMs: 50,
    ...(options.random ? { random: options.random } : {}),
    ...(options.deliver !== undefined ? { deliver: options.deliver } : {}),
  });
  return {
    app,
    demo: { ...demo, config, outboxDir },
    home,
    logs,
    async files() {
      const out: { file: string; content: string }[] = [];
      const walk = async (dir: string) => {
        for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
          const p = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(p);
          else out.push({ file: p, content: await readFile(p, "utf8") });
        }
      };
      await walk(home);
      return out;
    },
    async outbox() {
      return (await readdir(outboxDir).catch(() => [] as string[]))
        .filter((f) => f.endsWith(".asc"))
        .map((f) => path.join(outboxDir, f));
    },
    async drain() {
      for (let i = 0; i < 100; i++) {
        await app.worker.runOnce();
        if ((await app.queue.stats()).queued === 0 && app.worker.busy === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("delivery queue did not drain");
    },
    async cleanup() {
      await app.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
