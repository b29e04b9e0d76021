import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedisStore } from "../../src/store/redis.ts";
import { StoreUnavailableError } from "../../src/store/types.ts";
import { createVault } from "../../src/store/vault.ts";
import {
  captureProcessErrors,
  freePort,
  rejection,
  startRedisServer,
  stopRedisServer,
  uniquePrefix,
} from "./helpers.ts";
import { captureLogger } from "./vault-contract.ts";

/**
 * A dead or frozen Redis must make every call fail fast with StoreUnavailableError (Slack acks
 * at 3 s), must never crash the process, and the store must recover by itself.
 */

const FAST_MS = 1000;

/** Runs a call that must fail, and returns how long the failure took. */
async function failsFast(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const err = await rejection(call());
  const took = performance.now() - started;
  expect(err).toBeInstanceOf(StoreUnavailableError);
  expect(took).toBeLessThan(FAST_MS);
  return took;
}

async function eventually(call: () => Promise<unknown>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await call();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

// Any unhandled 'error' event or rejection would surface here (and fail vitest on its own).
const processErrors = captureProcessErrors();

describe("RedisStore when Redis is down", () => {
  const children: ChildProcess[] = [];
  const stores: RedisStore[] = [];
  beforeEach(() => {
    processErrors.length = 0;
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const child of children.splice(0)) await stopRedisServer(child);
    expect(processErrors).toEqual([]);
  });

  it("fails fast when nothing listens on the port, and never crashes", async () => {
    const port = await freePort();
    const { logger, lines } = captureLogger();
    const store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      logger,
      keyPrefix: uniquePrefix("down"),
    });
    stores.push(store);
    expect(await store.waitUntilReady(300)).toBe(false);
    const vault = createVault({
      store,
      stateKeys: [randomBytes(32)],
      serverSecret: randomBytes(32),
      idleTtlMs: 5000,
    });
    const conv = vault.keyFor("slack", "T1", "U1");
    await failsFast(() => store.get("k"));
    await failsFast(() => store.set("k", "v", 1000));
    await failsFast(() => vault.ping());
    await failsFast(() => vault.load(conv));
    await failsFast(() => vault.save(conv, "{}"));
    await failsFast(() => vault.withLock(conv, async () => "never"));
    await failsFast(() => vault.firstDelivery(conv, "Ev"));
    await failsFast(() => vault.wipe(conv));
    // Let a few reconnect attempts fail in the background.
    await sleep(400);
    const logged = lines.join("");
    expect(logged).toContain('"event":"store.redis.error"');
    expect(logged).toContain("ECONNREFUSED");
    // Logged once per outage at warn level, not once per retry.
    expect(lines.filter((line) => line.includes('"level":40'))).toHaveLength(1);
  });

  it("fails fast after the server dies mid-test and recovers when it comes back on the same port", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    children.push(await startRedisServer(port));
    const { logger, lines } = captureLogger();
    const store = new RedisStore({
      url,
      logger,
      keyPrefix: uniquePrefix("outage"),
      maxReconnectDelayMs: 500,
    });
    stores.push(store);
    expect(await store.waitUntilReady(2000)).toBe(true);
    const vault = createVault({
      store,
      stateKeys: [randomBytes(32)],
      serverSecret: randomBytes(32),
      idleTtlMs: 5000,
    });
    const conv = vault.keyFor("slack", "T1", "U-outage");
    await vault.save(conv, '{"before":true}');
    expect(await vault.firstDelivery(conv, "Ev-1")).toBe(true);

    await stopRedisServer(children.pop() as ChildProcess);
    for (let i = 0; i < 3; i++) {
      await failsFast(() => vault.load(conv));
      await failsFast(() => vault.save(conv, "{}"));
      await failsFast(() => vault.withLock(conv, async () => "never"));
      await failsFast(() => vault.firstDelivery(conv, "Ev-2"));
    }
    // Several calls in flight at once fail together, none hangs.
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => vault.load(conv)));
    expect(performance.now() - started).toBeLessThan(FAST_MS);
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof StoreUnavailableError)).toBe(
      true,
    );

    children.push(await startRedisServer(port));
    await eventually(() => vault.ping(), 5000);
    // The restarted server has no persistence: the draft is gone, the store works again.
    expect(await vault.load(conv)).toEqual({ status: "none" });
    await vault.save(conv, '{"after":true}');
    expect(await vault.load(conv)).toEqual({ status: "found", json: '{"after":true}' });
    expect(await vault.withLock(conv, async () => "ok")).toBe("ok");
    expect(lines.join("")).toContain("store.redis.reconnected");
  });

  it("fails within the command deadline when the server hangs without closing the socket", async () => {
    const port = await freePort();
    const child = await startRedisServer(port);
    children.push(child);
    const store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      logger: captureLogger().logger,
      keyPrefix: uniquePrefix("frozen"),
    });
    stores.push(store);
    expect(await store.waitUntilReady(2000)).toBe(true);
    await store.set("k", "v", 5000);
    child.kill("SIGSTOP");
    try {
      const took = await failsFast(() => store.get("k"));
      // The command timeout (500 ms) fires, not an immediate refusal.
      expect(took).toBeGreaterThanOrEqual(400);
      await failsFast(() => store.ping());
    } finally {
      child.kill("SIGCONT");
    }
    await eventually(() => store.ping(), 5000);
    expect(await store.get("k")).toBe("v");
  });
});
