/**
 * The runtime on the real Redis: nothing readable at rest, TTL on every key, nothing left after
 * handoff/stop/timeout, retries de-duplicated, and an honest fast answer while Redis is down.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { Melder } from "../../src/conversation/types.ts";
import { generateStateKey } from "../../src/store/index.ts";
import {
  REDIS_URL,
  deletePrefix,
  freePort,
  keysWithPrefix,
  rawClient,
  startRedisServer,
  stopRedisServer,
  uniquePrefix,
} from "../store/helpers.ts";
import { testApp } from "../support/app.ts";
import { CANARY, choose, play, reportEvents, texts } from "../support/conversation.ts";

const IDLE_MS = 30 * 60_000;
const redisEnv = (url = REDIS_URL) => ({
  REDIS_URL: url,
  VERTROUWD_STATE_KEY: generateStateKey(),
  VERTROUWD_SERVER_SECRET: generateStateKey(),
});
const melder = (user: string): Melder => ({ platform: "teams", tenant: "tenant-1", user });
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await deletePrefix(p);
});

async function snapshotKeys(prefix: string) {
  const client = await rawClient();
  const keys = await keysWithPrefix(client, prefix);
  const out: { key: string; ttl: number; value: string }[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    const value = type === "set" ? (await client.sMembers(key)).join(",") : ((await client.get(key)) ?? "");
    out.push({ key, ttl: await client.pTTL(key), value });
  }
  client.destroy();
  return out;
}

describe("runtime on Redis", () => {
  it("after every step every key has a TTL within the maximum and no value or key holds the canary", async () => {
    const prefix = uniquePrefix("rt-ttl");
    prefixes.push(prefix);
    const t = await testApp({ env: redisEnv(), keyPrefix: prefix });
    const who = melder("aad-user-canary-check");
    for (const event of reportEvents()) {
      await t.app.runtime.handle({ melder: who, event, eventId: crypto.randomUUID() });
      const keys = await snapshotKeys(prefix);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) {
        expect(k.ttl, k.key).toBeGreaterThan(0);
        // The marker outlives the draft by a day, so the melder can be told about a timeout.
        expect(k.ttl, k.key).toBeLessThanOrEqual(IDLE_MS + 24 * 3600_000);
        expect(k.key).not.toContain("aad-user-canary-check");
        expect(k.value).not.toContain(CANARY);
        expect(k.value).not.toContain("aad-user-canary-check");
      }
      const drafts = keys.filter((k) => k.key.includes("draft:"));
      for (const d of drafts) expect(d.ttl).toBeLessThanOrEqual(IDLE_MS);
    }
    await t.app.runtime.handle({ melder: who, event: choose("send") });
    expect(await snapshotKeys(prefix)).toEqual([]);
    await t.cleanup();
  });

  it("leaves no key of the conversation after stop", async () => {
    const prefix = uniquePrefix("rt-stop");
    prefixes.push(prefix);
    const t = await testApp({ env: redisEnv(), keyPrefix: prefix });
    const who = melder("u-stop");
    await play(t.app.runtime, who, reportEvents());
    const stopped = await t.app.runtime.handle({ melder: who, event: { type: "STOP" }, eventId: "e-stop" });
    expect(texts(stopped)).toContain("stopped.wiped");
    expect(await snapshotKeys(prefix)).toEqual([]);
    await t.cleanup();
  });

  it("wipes an idle draft, tells the melder once, and leaves no key after that", async () => {
    const prefix = uniquePrefix("rt-idle");
    prefixes.push(prefix);
    const t = await testApp({ env: redisEnv(), keyPrefix: prefix, idleTtlMs: 400 });
    const who = melder("u-idle");
    await play(t.app.runtime, who, reportEvents().slice(0, 5));
    await sleep(600);
    const back = await t.app.runtime.handle({ melder: who, event: choose("bullying") });
    expect(texts(back)[0]).toBe("notice.timedOut");
    expect(back.state).toBe("welcome");
    const stop = await t.app.runtime.handle({ melder: who, event: { type: "STOP" } });
    expect(stop.state).toBe("stopped");
    expect(await snapshotKeys(prefix)).toEqual([]);
    await t.cleanup();
  });

  it("turns the same event delivered four times (as platform retries) into one change and one handoff", async () => {
    const prefix = uniquePrefix("rt-dup");
    prefixes.push(prefix);
    const env = redisEnv();
    // Two apps on one Redis: the retries arrive at different replicas.
    const a = await testApp({ env, keyPrefix: prefix });
    const b = await testApp({ env, keyPrefix: prefix, config: (c) => c });
    const who = melder("u-dup");
    await play(a.app.runtime, who, reportEvents());
    const deliveries = await Promise.all(
      [a, b, a, b].map((x) =>
        x.app.runtime.handle({ melder: who, event: choose("send"), eventId: "Ev-send-1" }),
      ),
    );
    expect(deliveries.filter((d) => d.status === "ok")).toHaveLength(1);
    expect(deliveries.filter((d) => d.status === "duplicate")).toHaveLength(3);
    expect(deliveries.filter((d) => d.receipt)).toHaveLength(1);
    expect((await a.outbox()).length + (await b.outbox()).length).toBe(1);
    await a.cleanup();
    await b.cleanup();
  });

  it("serves alternate turns of one conversation from two replicas", async () => {
    const prefix = uniquePrefix("rt-replicas");
    prefixes.push(prefix);
    const env = redisEnv();
    const a = await testApp({ env, keyPrefix: prefix });
    const b = await testApp({ env, keyPrefix: prefix });
    const who = melder("u-alt");
    const events = [...reportEvents(), choose("send")];
    let last: Awaited<ReturnType<typeof a.app.runtime.handle>> | undefined;
    for (const [i, event] of events.entries()) {
      last = await (i % 2 === 0 ? a : b).app.runtime.handle({ melder: who, event, eventId: `alt-${i}` });
      expect(last.status).toBe("ok");
    }
    expect(last?.receipt).toBeDefined();
    await a.cleanup();
    await b.cleanup();
  });

  it("answers 'temporarily unavailable' within a second while Redis hangs, and continues afterwards", async () => {
    const port = await freePort();
    const server = await startRedisServer(port);
    const t = await testApp({ env: redisEnv(`redis://127.0.0.1:${port}`) });
    const who = melder("u-outage");
    try {
      await play(t.app.runtime, who, reportEvents().slice(0, 4));
      server.kill("SIGSTOP");
      const started = performance.now();
      const down = await t.app.runtime.handle({ melder: who, event: choose("bullying") });
      const ms = performance.now() - started;
      expect(down.status).toBe("unavailable");
      expect(texts(down)).toEqual(["notice.unavailable"]);
      expect(ms).toBeLessThan(1000);
      server.kill("SIGCONT");
      let back = await t.app.runtime.handle({ melder: who, event: choose("bullying") });
      for (let i = 0; i < 20 && back.status !== "ok"; i++) {
        await sleep(100);
        back = await t.app.runtime.handle({ melder: who, event: choose("bullying") });
      }
      expect(back.status).toBe("ok");
      expect(back.state).toBe("counsellor");
      expect(t.logs.join("\n")).toContain("turn.unavailable");
    } finally {
      server.kill("SIGCONT");
      await t.cleanup();
      await stopRedisServer(server);
    }
  });
});
