/**
 * Memory per idle conversation: in Redis (MEMORY USAGE of every key the conversations left, and
 * the INFO used_memory delta) and in the embedded memory store (heap delta in a child process).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pino from "pino";
import { createClient } from "redis";
import { demoSetup } from "../src/cli/demo-setup.ts";
import { createApp } from "../src/cli/wiring.ts";
import { generateStateKey } from "../src/store/index.ts";
import { parkConversations } from "./lib/park.ts";
import { REPO_ROOT } from "./lib/targets.ts";

export interface RedisMemoryResult {
  conversations: number;
  parkedIn: string[];
  keys: number;
  keysPerConversation: Record<string, number>;
  memoryUsageBytes: number;
  bytesPerConversation: number;
  usedMemoryDeltaPerConversation: number;
}

export interface MemoryStoreResult {
  conversations: number;
  parkedIn: string[];
  heapUsedDelta: number;
  externalDelta: number;
  bytesPerConversation: number;
}

/** A plain client for the bench's own reads and clean-up (INFO, SCAN, MEMORY USAGE, DEL). */
export const benchRedis = (url: string) =>
  createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
export type BenchRedis = ReturnType<typeof benchRedis>;

async function usedMemory(client: BenchRedis): Promise<number> {
  const info = await client.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

export async function redisMemory(home: string, redisUrl: string, count: number): Promise<RedisMemoryResult> {
  const prefix = `vtbench:mem:${randomBytes(4).toString("hex")}:`;
  const client = benchRedis(redisUrl);
  await client.connect();
  const demo = await demoSetup(path.join(home, ".vertrouwd"));
  const app = await createApp({
    config: demo.config,
    configDir: demo.baseDir,
    env: {
      REDIS_URL: redisUrl,
      VERTROUWD_STATE_KEY: generateStateKey(),
      VERTROUWD_SERVER_SECRET: generateStateKey(),
    },
    logger: pino({ level: "silent" }),
    keyPrefix: prefix,
  });
  try {
    const before = await usedMemory(client);
    const states = await parkConversations(app.runtime, count);
    const after = await usedMemory(client);
    let keys = 0;
    let bytes = 0;
    const kinds: Record<string, number> = {};
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      for (const key of batch) {
        keys++;
        const kind = key.slice(prefix.length).split(":")[0] ?? "?";
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        bytes += (await client.memoryUsage(key)) ?? 0;
      }
    }
    return {
      conversations: count,
      parkedIn: [...new Set(states)],
      keys,
      keysPerConversation: Object.fromEntries(Object.entries(kinds).map(([k, n]) => [k, n / count])),
      memoryUsageBytes: bytes,
      bytesPerConversation: Math.round(bytes / count),
      usedMemoryDeltaPerConversation: Math.round((after - before) / count),
    };
  } finally {
    await app.close();
    await deleteKeys(client, `${prefix}*`);
    await client.quit();
  }
}

export async function deleteKeys(client: BenchRedis, pattern: string): Promise<number> {
  let deleted = 0;
  for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 500 })) {
    if (batch.length > 0) deleted += await client.del(batch);
  }
  return deleted;
}

export async function memoryStoreHeap(home: string, count: number): Promise<MemoryStoreResult> {
  const tsx = import.meta.resolve("tsx");
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      tsx,
      path.join(REPO_ROOT, "bench/memory-store-child.ts"),
      path.join(home, ".vertrouwd"),
      String(count),
    ],
    { cwd: home, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = out.split("\n").find((l) => l.includes('"memory.result"'));
  if (code !== 0 || !line) throw new Error(`memory-store child failed (exit ${code}): ${err.slice(0, 500)}`);
  const { event: _event, ...result } = JSON.parse(line) as MemoryStoreResult & { event: string };
  return result;
}
