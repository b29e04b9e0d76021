/**
 * CPU per Redis command: what bounding the wait costs on the happy path.
 *
 *   npx tsx bench/redis-command-cpu.ts        # 20,000 GETs per round, sequential and 100 in flight
 *
 * Three clients take turns (interleaved rounds, so a busy machine hurts them alike):
 *   - node-redis with a per-command `timeout` (what RedisStore used to set: 500 ms), which makes
 *     an `AbortSignal.timeout()` and its listeners for every command;
 *   - node-redis with `timeout: 0`;
 *   - RedisStore as it is: node-redis without a per-command timeout, bounded by its own deadline.
 * Reports the median and minimum CPU time (user + system, `process.cpuUsage()`) per GET over the
 * rounds, and how many `AbortSignal.timeout()` signals each made per GET.
 *
 * Measured 2026-11-23 on the 2-core CI machine (shared, load 3–5), Node 24.21, Redis 7.0, 21
 * rounds, old vs new RedisStore side by side: sequential 34.4 → 18.9 µs/GET (medians; minima
 * 20.6 → 15.2), 100 in flight 7.0 → 2.6 µs/GET (minima 6.0 → 2.3); AbortSignal.timeout() per GET
 * 1 → 0. Noisy on a shared machine: compare numbers from one run, not across runs.
 *
 * Needs Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9, the bench's database); writes
 * one key under its own prefix and deletes it at the end.
 */
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { silentLogger } from "../src/log/logger.ts";
import { RedisStore } from "../src/store/redis.ts";

const URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/9";
const GETS = Number(process.env.BENCH_GETS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const IN_FLIGHT = 100;

let timeoutSignals = 0;
const originalTimeout = AbortSignal.timeout.bind(AbortSignal);
AbortSignal.timeout = (ms: number) => {
  timeoutSignals++;
  return originalTimeout(ms);
};

interface Target {
  name: string;
  get(key: string): Promise<unknown>;
  signals: number;
  seq: number[];
  conc: number[];
}

function nodeRedis(name: string, timeout: number) {
  const client = createClient({
    url: URL,
    disableOfflineQueue: true,
    disableClientInfo: true,
    maintNotifications: "disabled",
    commandOptions: { timeout },
  });
  client.on("error", () => {});
  return { client, target: { name, get: (key: string) => client.get(key), signals: 0, seq: [], conc: [] } };
}

async function cpuPerGet(run: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / GETS;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const prefix = `vt-bench-cpu:${randomBytes(4).toString("hex")}:`;
  const store = new RedisStore({ url: URL, logger: silentLogger(), keyPrefix: prefix });
  if (!(await store.waitUntilReady(3000))) throw new Error("bench Redis not reachable (BENCH_REDIS_URL)");
  const withTimeout = nodeRedis("node-redis, timeout 500 ms", 500);
  const without = nodeRedis("node-redis, timeout 0", 0);
  await withTimeout.client.connect();
  await without.client.connect();
  await store.set("k", "x".repeat(600), 600_000);
  const key = `${prefix}k`;
  const targets: Target[] = [
    withTimeout.target,
    without.target,
    { name: "RedisStore (own deadline)", get: () => store.get("k"), signals: 0, seq: [], conc: [] },
  ];

  const sequential = (t: Target) => async () => {
    for (let i = 0; i < GETS; i++) await t.get(key);
  };
  const concurrent = (t: Target) => async () => {
    for (let i = 0; i < GETS; i += IN_FLIGHT)
      await Promise.all(Array.from({ length: IN_FLIGHT }, () => t.get(key)));
  };
  // Warm-up: JIT and connections.
  for (const t of targets) {
    await sequential(t)();
    await concurrent(t)();
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of round % 2 ? [...targets].reverse() : targets) {
      const before = timeoutSignals;
      t.seq.push(await cpuPerGet(sequential(t)));
      t.conc.push(await cpuPerGet(concurrent(t)));
      t.signals += timeoutSignals - before;
    }
  }
  await store.delete("k");
  await store.close();
  withTimeout.client.destroy();
  without.client.destroy();

  const us = (v: number) => `${v.toFixed(2)} µs`;
  const lines = [
    `GET × ${GETS} per round, ${ROUNDS} rounds, CPU per GET: median (min); Node ${process.version}`,
  ];
  for (const t of targets) {
    lines.push(
      `${t.name.padEnd(28)} sequential ${us(median(t.seq))} (${us(Math.min(...t.seq))}), ` +
        `${IN_FLIGHT} in flight ${us(median(t.conc))} (${us(Math.min(...t.conc))}), ` +
        `AbortSignal.timeout() per GET ${(t.signals / (GETS * ROUNDS * 2)).toFixed(2)}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
