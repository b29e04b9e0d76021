import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "redis";
import { afterAll } from "vitest";
import { silentLogger } from "../../src/log/logger.ts";
import { RedisStore } from "../../src/store/redis.ts";

export const REDIS_URL = "redis://127.0.0.1:6379";

/** A prefix no other test file (or parallel worker) uses. */
export function uniquePrefix(label: string): string {
  return `vt-test:${label}:${randomBytes(6).toString("hex")}:`;
}

export async function connectedRedisStore(keyPrefix: string, url = REDIS_URL): Promise<RedisStore> {
  const store = new RedisStore({ url, logger: silentLogger(), keyPrefix });
  if (!(await store.waitUntilReady(3000))) throw new Error(`test Redis at ${url} not reachable`);
  return store;
}

/** A raw node-redis client for inspecting what the store wrote (TTL, SCAN). */
export async function rawClient(url = REDIS_URL) {
  const client = createClient({ url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

export async function keysWithPrefix(
  client: Awaited<ReturnType<typeof rawClient>>,
  prefix: string,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  return keys;
}

export async function deletePrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = await rawClient(url);
  const keys = await keysWithPrefix(client, prefix);
  if (keys.length > 0) await client.del(keys);
  client.destroy();
}

/** A TCP port nothing listens on (bound once by us, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A throw-away redis-server child without persistence, on the given port. */
export async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      const client = await rawClient(`redis://127.0.0.1:${port}`);
      await client.ping();
      client.destroy();
      return child;
    } catch {
      await sleep(50);
    }
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server on port ${port} did not start`);
}

export async function stopRedisServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** Resolves with the error a promise rejected with, or fails when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

/**
 * Collects uncaught errors and unhandled rejections while a file's tests run: a client that
 * emits an unhandled 'error' event during a failover would otherwise only show up as noise.
 */
export function captureProcessErrors(): unknown[] {
  const errors: unknown[] = [];
  const onError = (err: unknown) => errors.push(err);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  afterAll(() => {
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
  });
  return errors;
}

/** How many `AbortSignal.timeout` timers `run` made (node-redis makes one per command if asked). */
export async function timeoutSignalsMadeBy(run: () => Promise<void>): Promise<number> {
  const original = AbortSignal.timeout;
  let made = 0;
  AbortSignal.timeout = (ms: number) => {
    made++;
    return original.call(AbortSignal, ms);
  };
  try {
    await run();
  } finally {
    AbortSignal.timeout = original;
  }
  return made;
}
