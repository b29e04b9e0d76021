import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.ts";
import { type KeyValueStore, StoreBusyError, StoreUnavailableError } from "../../src/store/types.ts";
import { type VaultOptions, createVault, vaultKeys } from "../../src/store/vault.ts";
import { rejection } from "./helpers.ts";

/** Two handles on one shared state: two Redis clients (= two processes), or one memory store twice. */
export interface StorePair {
  a: KeyValueStore;
  b: KeyValueStore;
  cleanup(): Promise<void>;
}

export function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), lines };
}

const secret = randomBytes(32);

export function makeVault(store: KeyValueStore, overrides: Partial<VaultOptions> = {}) {
  return createVault({
    store,
    stateKeys: [randomBytes(32)],
    serverSecret: secret,
    idleTtlMs: 60_000,
    ...overrides,
  });
}

export function describeVaultContract(name: string, makePair: () => Promise<StorePair>): void {
  describe(`${name}: ConversationVault contract`, () => {
    let pair: StorePair | undefined;
    const open = async () => {
      pair = await makePair();
      return pair;
    };
    afterEach(async () => {
      await pair?.cleanup();
      pair = undefined;
    });

    it("derives a stable 64-hex conversation key that hides the ids", async () => {
      const { a } = await open();
      const vault = makeVault(a);
      const key = vault.keyFor("slack", "T0123", "U0456");
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).toBe(vault.keyFor("slack", "T0123", "U0456"));
      expect(key).not.toContain("U0456");
      expect(vault.keyFor("teams", "T0123", "U0456")).not.toBe(key);
      expect(vault.keyFor("slack", "T0124", "U0456")).not.toBe(key);
      expect(makeVault(a, { serverSecret: randomBytes(32) }).keyFor("slack", "T0123", "U0456")).not.toBe(key);
    });

    it("refuses a conversation key that is not keyFor() output", async () => {
      const { a } = await open();
      const vault = makeVault(a);
      await expect(vault.save("U0456", "{}")).rejects.toThrow(TypeError);
      await expect(vault.load("slack:T1:U1")).rejects.toThrow(TypeError);
    });

    it("saves and loads a snapshot; an unknown conversation is none", async () => {
      const { a, b } = await open();
      const stateKeys = [randomBytes(32)];
      const vault = makeVault(a, { stateKeys });
      const conv = vault.keyFor("slack", "T1", "U1");
      expect(await vault.load(conv)).toEqual({ status: "none" });
      await vault.save(conv, '{"step":"topic"}');
      expect(await vault.load(conv)).toEqual({ status: "found", json: '{"step":"topic"}' });
      // Another process with the same keys reads it too.
      expect(await makeVault(b, { stateKeys }).load(conv)).toEqual({
        status: "found",
        json: '{"step":"topic"}',
      });
    });

    it("reports an idle-expired draft once as expired, then none", async () => {
      const { a } = await open();
      const vault = makeVault(a, { idleTtlMs: 200, markerTtlMs: 5000 });
      const conv = vault.keyFor("slack", "T1", "U-expire");
      await vault.save(conv, "{}");
      await sleep(350);
      expect(await vault.load(conv)).toEqual({ status: "expired" });
      expect(await vault.load(conv)).toEqual({ status: "none" });
    });

    it("forgets the marker too after markerTtlMs", async () => {
      const { a } = await open();
      const vault = makeVault(a, { idleTtlMs: 100, markerTtlMs: 250 });
      const conv = vault.keyFor("slack", "T1", "U-marker");
      await vault.save(conv, "{}");
      await sleep(400);
      expect(await vault.load(conv)).toEqual({ status: "none" });
    });

    it("rejects a marker TTL that could never outlive the draft", async () => {
      const { a } = await open();
      expect(() => makeVault(a, { idleTtlMs: 1000, markerTtlMs: 1000 })).toThrow(RangeError);
    });

    it("wipe removes draft, marker, lock and de-duplication", async () => {
      const { a } = await open();
      const vault = makeVault(a, { idleTtlMs: 5000 });
      const conv = vault.keyFor("slack", "T1", "U-wipe");
      await vault.save(conv, "{}");
      expect(await vault.firstDelivery(conv, "Ev1")).toBe(true);
      await a.set(vaultKeys(conv).lock, "someone", 5000);
      await vault.wipe(conv);
      expect(await vault.load(conv)).toEqual({ status: "none" });
      expect(await vault.firstDelivery(conv, "Ev1")).toBe(true);
      const keys = vaultKeys(conv);
      expect(await a.get(keys.lock)).toBeNull();
      expect(await a.get(keys.marker)).toBeNull();
      await vault.wipe(conv);
    });

    it("opens a value sealed with an older key after a new key is prepended", async () => {
      const { a, b } = await open();
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const before = makeVault(a, { stateKeys: [oldKey] });
      const conv = before.keyFor("slack", "T1", "U-rotate");
      await before.save(conv, '{"v":1}');
      const after = makeVault(b, { stateKeys: [newKey, oldKey] });
      expect(await after.load(conv)).toEqual({ status: "found", json: '{"v":1}' });
      await after.save(conv, '{"v":2}');
      // Sealed with the new key now: a process that only knows the old key treats it as absent.
      expect(await before.load(conv)).toEqual({ status: "none" });
      expect(await makeVault(a, { stateKeys: [newKey] }).load(conv)).toEqual({
        status: "found",
        json: '{"v":2}',
      });
    });

    it("treats a value sealed with an unknown key as absent and logs only the event", async () => {
      const { a } = await open();
      const { logger, lines } = captureLogger();
      const conv = makeVault(a).keyFor("slack", "T1", "U-unknown");
      await makeVault(a).save(conv, '{"secret":"canary-unknown-key"}');
      expect(await makeVault(a, { logger }).load(conv)).toEqual({ status: "none" });
      const logged = lines.join("");
      expect(logged).toContain("vault.unseal_failed");
      expect(logged).toContain("unknown-key");
      expect(logged).not.toContain("canary");
      expect(logged).not.toContain(conv);
    });

    it("treats tampered ciphertext as absent", async () => {
      const { a } = await open();
      const vault = makeVault(a);
      const conv = vault.keyFor("slack", "T1", "U-tamper");
      await vault.save(conv, '{"a":"b"}');
      const sealed = (await a.get(vaultKeys(conv).draft)) as string;
      const last = sealed.at(-1) === "A" ? "B" : "A";
      await a.set(vaultKeys(conv).draft, sealed.slice(0, -1) + last, 5000);
      expect(await vault.load(conv)).toEqual({ status: "none" });
      await a.set(vaultKeys(conv).draft, "not a sealed value", 5000);
      expect(await vault.load(conv)).toEqual({ status: "none" });
    });

    it("treats a draft moved to another conversation as absent", async () => {
      const { a } = await open();
      const vault = makeVault(a);
      const alice = vault.keyFor("slack", "T1", "U-alice");
      const bob = vault.keyFor("slack", "T1", "U-bob");
      await vault.save(alice, '{"who":"alice"}');
      await a.set(vaultKeys(bob).draft, (await a.get(vaultKeys(alice).draft)) as string, 5000);
      expect(await vault.load(bob)).toEqual({ status: "none" });
      expect(await vault.load(alice)).toEqual({ status: "found", json: '{"who":"alice"}' });
    });

    it("serialises concurrent turns of one conversation, in one process and across two", async () => {
      const { a, b } = await open();
      const one = makeVault(a);
      const two = makeVault(b);
      const conv = one.keyFor("slack", "T1", "U-lock");
      let inside = 0;
      let maxInside = 0;
      const order: string[] = [];
      const turn = (vault: typeof one, label: string) =>
        vault.withLock(conv, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          order.push(`${label}:start`);
          await sleep(60);
          order.push(`${label}:end`);
          inside--;
          return label;
        });
      const results = await Promise.all([
        turn(one, "p1"),
        turn(one, "p1b"),
        turn(two, "p2"),
        turn(two, "p2b"),
      ]);
      expect(results).toEqual(["p1", "p1b", "p2", "p2b"]);
      expect(maxInside).toBe(1);
      for (let i = 0; i < order.length; i += 2) {
        expect(order[i]?.replace(":start", "")).toBe(order[i + 1]?.replace(":end", ""));
      }
      expect(await a.get(vaultKeys(conv).lock)).toBeNull();
    });

    it("does not serialise different conversations", async () => {
      const { a } = await open();
      const vault = makeVault(a, { lockWaitMs: 100 });
      const spans: Array<[number, number]> = [];
      await Promise.all(
        ["U-x", "U-y"].map((user) =>
          vault.withLock(vault.keyFor("slack", "T1", user), async () => {
            const start = performance.now();
            await sleep(150);
            spans.push([start, performance.now()]);
          }),
        ),
      );
      // Both turns ran at the same time: each started before the other ended.
      const [x, y] = spans as [[number, number], [number, number]];
      expect(x[0] < y[1] && y[0] < x[1]).toBe(true);
    });

    it("releases the lock when the turn throws", async () => {
      const { a } = await open();
      const vault = makeVault(a, { lockWaitMs: 100 });
      const conv = vault.keyFor("slack", "T1", "U-throw");
      const failure = new Error("turn failed");
      expect(await rejection(vault.withLock(conv, async () => Promise.reject(failure)))).toBe(failure);
      expect(await a.get(vaultKeys(conv).lock)).toBeNull();
      expect(await vault.withLock(conv, async () => "next")).toBe("next");
    });

    it("gives up with StoreBusyError (a StoreUnavailableError) after lockWaitMs", async () => {
      const { a, b } = await open();
      const holder = makeVault(a);
      const waiter = makeVault(b, { lockWaitMs: 150 });
      const conv = holder.keyFor("slack", "T1", "U-busy");
      let release = () => {};
      const held = holder.withLock(conv, () => new Promise<void>((resolve) => (release = resolve)));
      await sleep(20);
      const started = Date.now();
      const err = await rejection(waiter.withLock(conv, async () => "never"));
      expect(err).toBeInstanceOf(StoreBusyError);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(Date.now() - started).toBeLessThan(800);
      release();
      await held;
    });

    it("takes over a lock whose holder died once its TTL runs out", async () => {
      const { a, b } = await open();
      const conv = makeVault(a).keyFor("slack", "T1", "U-dead");
      // A holder that crashed mid-turn: its lock is never released, only expires.
      expect(await a.setIfAbsent(vaultKeys(conv).lock, "dead-holder-token", 250)).toBe(true);
      const started = Date.now();
      expect(await makeVault(b, { lockWaitMs: 2000 }).withLock(conv, async () => "mine")).toBe("mine");
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    });

    it("a holder that lost its lock neither renews nor releases its successor's lock", async () => {
      const { a, b } = await open();
      const { logger, lines } = captureLogger();
      const first = makeVault(a, { lockTtlMs: 150, logger });
      const second = makeVault(b, { lockTtlMs: 5000, lockWaitMs: 2000 });
      const conv = first.keyFor("slack", "T1", "U-token");
      const lock = vaultKeys(conv).lock;
      let successorToken: string | null = null;
      let secondTurn: Promise<void> | undefined;
      await first.withLock(conv, async () => {
        // The first holder's lock vanishes (as if it expired while the process was stalled)...
        await a.delete(lock);
        // ...and another replica takes the conversation.
        let entered = () => {};
        const inside = new Promise<void>((resolve) => (entered = resolve));
        let leave = () => {};
        const done = new Promise<void>((resolve) => (leave = resolve));
        secondTurn = second.withLock(conv, async () => {
          entered();
          await done;
          // Still its own lock after the first turn ended and a few renewal periods passed.
          successorToken = await b.get(lock);
        });
        await inside;
        await sleep(120);
        setTimeout(leave, 200);
        // Returning ends the first turn while the second is still running.
      });
      await secondTurn;
      expect(successorToken).not.toBeNull();
      expect(await a.get(lock)).toBeNull();
      expect(lines.join("")).toContain("vault.lock_lost");
    });

    it("keeps renewing the lock while a long turn runs", async () => {
      const { a, b } = await open();
      // A TTL that renewals (every third of it) keep alive even on a loaded machine.
      const holder = makeVault(a, { lockTtlMs: 600 });
      const other = makeVault(b, { lockWaitMs: 100 });
      const conv = holder.keyFor("slack", "T1", "U-long");
      let release = () => {};
      const held = holder.withLock(conv, () => new Promise<void>((resolve) => (release = resolve)));
      // Three lock TTLs: without renewal the other replica would get in.
      await sleep(1800);
      expect(await rejection(other.withLock(conv, async () => "never"))).toBeInstanceOf(StoreBusyError);
      release();
      await held;
      expect(await other.withLock(conv, async () => "now")).toBe("now");
    });

    it("wipe inside a turn keeps that turn's lock until it ends, then nothing is left", async () => {
      const { a, b } = await open();
      const vault = makeVault(a, { idleTtlMs: 5000 });
      const other = makeVault(b, { lockWaitMs: 100 });
      const conv = vault.keyFor("slack", "T1", "U-wipe-in-turn");
      await vault.withLock(conv, async () => {
        await vault.save(conv, "{}");
        await vault.firstDelivery(conv, "Ev-1");
        await vault.wipe(conv);
        expect(await a.get(vaultKeys(conv).lock)).not.toBeNull();
        expect(await rejection(other.withLock(conv, async () => "never"))).toBeInstanceOf(StoreBusyError);
      });
      for (const key of Object.values(vaultKeys(conv))) {
        expect(await a.get(key).catch(() => "a set")).toBeNull();
      }
      expect(await vault.firstDelivery(conv, "Ev-1")).toBe(true);
    });

    it("firstDelivery is true once per event id, also across processes and concurrently", async () => {
      const { a, b } = await open();
      const one = makeVault(a);
      const two = makeVault(b);
      const conv = one.keyFor("slack", "T1", "U-dedup");
      expect(await one.firstDelivery(conv, "Ev-1")).toBe(true);
      expect(await one.firstDelivery(conv, "Ev-1")).toBe(false);
      expect(await two.firstDelivery(conv, "Ev-1")).toBe(false);
      expect(await two.firstDelivery(conv, "Ev-1")).toBe(false);
      const concurrent = await Promise.all([
        one.firstDelivery(conv, "Ev-2"),
        two.firstDelivery(conv, "Ev-2"),
        one.firstDelivery(conv, "Ev-2"),
        two.firstDelivery(conv, "Ev-2"),
      ]);
      expect(concurrent.filter(Boolean)).toHaveLength(1);
      // Same event id in another conversation is a different delivery.
      expect(await one.firstDelivery(one.keyFor("slack", "T1", "U-other"), "Ev-1")).toBe(true);
    });

    it("forgets event ids after dedupTtlMs", async () => {
      const { a } = await open();
      const vault = makeVault(a, { dedupTtlMs: 150 });
      const conv = vault.keyFor("slack", "T1", "U-dedup-ttl");
      expect(await vault.firstDelivery(conv, "Ev-1")).toBe(true);
      await sleep(300);
      expect(await vault.firstDelivery(conv, "Ev-1")).toBe(true);
    });
  });
}
