/**
 * The runtime on the real Redis: nothing readable at rest, TTL on every key, no key or value
 * that names the melder, drafts padded to size buckets, retries de-duplicated, replicas sharing
 * turns, and an honest fast answer while Redis is down.
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
import {
  CANARY,
  TO_FORM,
  chatSteps,
  choose,
  formSession,
  openForm,
  report,
  reportSteps,
  texts,
} from "../support/conversation.ts";

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
  it("after every step every key has a TTL, nothing holds the canary or the user, and drafts are padded", async () => {
    const prefix = uniquePrefix("rt-ttl");
    prefixes.push(prefix);
    const t = await testApp({ env: redisEnv(), keyPrefix: prefix });
    const who = melder("aad-user-canary-check");
    const check = async () => {
      const keys = await snapshotKeys(prefix);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) {
        expect(k.ttl, k.key).toBeGreaterThan(0);
        // Queue entries are kept for a week; conversation records at most a day past idle.
        expect(k.ttl, k.key).toBeLessThanOrEqual(
          k.key.includes("dq:") ? 7 * 24 * 3600_000 : IDLE_MS + 24 * 3600_000,
        );
        expect(k.key).not.toContain("aad-user-canary-check");
        expect(k.value).not.toContain(CANARY);
        expect(k.value).not.toContain("aad-user-canary-check");
      }
      for (const d of keys.filter((k) => k.key.includes("form:{"))) {
        expect(d.ttl).toBeLessThanOrEqual(IDLE_MS);
        // Sealed and padded: its length is one of a few, whatever the report's length.
        expect([2048, 8192, 32768, 131072].map(sealedLength)).toContain(d.value.length);
      }
      return keys;
    };
    const form = formSession(t.app.runtime, who, await openForm(t.app.runtime, who));
    await check();
    for (const event of reportSteps()) {
      await form.step(event);
      await check();
    }
    await form.step(choose("send"));
    await t.drain();
    const after = await check();
    // What stays: the chat (navigation), the sealed receipt, and the case's delivery status.
    expect(after.map((k) => k.key.slice(prefix.length).replace(/\{.*\}/, "{…}")).sort()).toEqual(
      ["active:{…}", "draft:{…}", "dq:status:{…}", "form:{…}"].sort(),
    );
    await t.cleanup();
  });

  it("leaves only the neutral chat record after a stop in the form", async () => {
    const prefix = uniquePrefix("rt-stop");
    prefixes.push(prefix);
    const t = await testApp({ env: redisEnv(), keyPrefix: prefix });
    const who = melder("u-stop");
    const form = await report(t.app.runtime, who);
    const stopped = await form.step({ type: "STOP" });
    expect(stopped.state).toBe("stopped");
    expect(texts(stopped.chat!)).toEqual(["stopped.wiped"]);
    const keys = (await snapshotKeys(prefix)).map((k) => k.key.slice(prefix.length).replace(/\{.*\}/, "{…}"));
    expect(keys.sort()).toEqual(["active:{…}", "draft:{…}"]);
    await t.cleanup();
  });

  it("tells the melder once that an idle chat was wiped", async () => {
    const prefix = uniquePrefix("rt-idle");
    prefixes.push(prefix);
    const t = await testApp({ env: redisEnv(), keyPrefix: prefix, idleTtlMs: 400 });
    const who = melder("u-idle");
    await chatSteps(t.app.runtime, who, TO_FORM.slice(0, 3));
    await sleep(600);
    const back = await t.app.runtime.chat({ melder: who, event: choose("form") });
    expect(texts(back)[0]).toBe("notice.timedOut");
    expect(back.state).toBe("welcome");
    const again = await t.app.runtime.chat({ melder: who, event: { type: "HELP" } });
    expect(texts(again)).not.toContain("notice.timedOut");
    await t.cleanup();
  });

  it("turns the same send delivered four times to two replicas into one handoff", async () => {
    const prefix = uniquePrefix("rt-dup");
    prefixes.push(prefix);
    const env = redisEnv();
    const a = await testApp({ env, keyPrefix: prefix });
    const b = await testApp({ env, keyPrefix: prefix });
    const who = melder("u-dup");
    const form = await report(a.app.runtime, who);
    const token = form.current.token!;
    const deliveries = await Promise.all(
      [a, b, a, b].map((x) =>
        x.app.runtime.form({
          melder: who,
          token,
          event: choose("send"),
          eventId: "view-send-1",
          answering: form.current.seq,
        }),
      ),
    );
    expect(deliveries.filter((d) => d.status === "ok")).toHaveLength(1);
    expect(deliveries.filter((d) => d.status === "duplicate")).toHaveLength(3);
    expect(deliveries.filter((d) => d.sealedCase)).toHaveLength(1);
    await a.drain();
    await b.drain();
    expect((await a.outbox()).length + (await b.outbox()).length).toBe(1);
    await a.cleanup();
    await b.cleanup();
  });

  it("serves alternate turns of one conversation, chat and form, from two replicas", async () => {
    const prefix = uniquePrefix("rt-replicas");
    prefixes.push(prefix);
    const env = redisEnv();
    const a = await testApp({ env, keyPrefix: prefix });
    const b = await testApp({ env, keyPrefix: prefix });
    const who = melder("u-alt");
    let seq: number | undefined;
    let form: Awaited<ReturnType<typeof a.app.runtime.form>> | undefined;
    for (const [i, event] of TO_FORM.entries()) {
      const out = await (i % 2 === 0 ? a : b).app.runtime.chat({
        melder: who,
        event,
        ...(seq ? { answering: seq } : {}),
      });
      expect(out.status).toBe("ok");
      seq = out.seq;
      form = out.form ?? form;
    }
    for (const [i, event] of [...reportSteps(), choose("send")].entries()) {
      form = await (i % 2 === 0 ? b : a).app.runtime.form({
        melder: who,
        token: form!.token!,
        event,
        answering: form!.seq,
      });
      expect(form.status).toBe("ok");
    }
    expect(form?.state).toBe("done");
    await a.cleanup();
    await b.cleanup();
  });

  it("answers 'temporarily unavailable' within a second while Redis hangs, and continues afterwards", async () => {
    const port = await freePort();
    const server = await startRedisServer(port);
    const t = await testApp({ env: redisEnv(`redis://127.0.0.1:${port}`) });
    const who = melder("u-outage");
    try {
      const form = await report(t.app.runtime, who, reportSteps().slice(0, 4));
      server.kill("SIGSTOP");
      const started = performance.now();
      const down = await t.app.runtime.form({
        melder: who,
        token: form.current.token!,
        event: { type: "SUBMIT", form: "report", values: { what: CANARY } },
        answering: form.current.seq,
      });
      const ms = performance.now() - started;
      expect(down.status).toBe("unavailable");
      expect(texts(down)).toEqual(["notice.formUnavailable"]);
      expect(ms).toBeLessThan(1000);
      const chatDown = await t.app.runtime.chat({ melder: who, event: { type: "HELP" } });
      expect(chatDown.status).toBe("unavailable");
      server.kill("SIGCONT");
      let back = down;
      for (let i = 0; i < 30 && back.status !== "ok"; i++) {
        await sleep(100);
        back = await form.step({ type: "SUBMIT", form: "report", values: { what: CANARY } });
      }
      expect(back.status).toBe("ok");
      expect(back.state).toBe("review");
      expect(t.logs.join("\n")).toContain("turn.unavailable");
    } finally {
      server.kill("SIGCONT");
      await t.cleanup();
      await stopRedisServer(server);
    }
  });
});

/** Length of a sealed value holding `bytes` of plaintext (state-key.ts: v1.<8 hex>.<iv>.<tag>.<ct>, base64url). */
function sealedLength(bytes: number): number {
  const b64 = (n: number) => Math.ceil((n * 4) / 3);
  return 2 + 1 + 8 + 1 + b64(12) + 1 + b64(16) + 1 + b64(bytes);
}
