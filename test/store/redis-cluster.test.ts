/**
 * RedisStore on a real Redis Cluster on loopback — three primaries, one replica each — every
 * connection made as the ACL user docs/redis.md documents. The same contracts as on a single
 * Redis; every key of one conversation in one slot, so a wipe is one DEL on one node (never
 * CROSSSLOT, never split); and when a primary is SIGKILLed its conversations fail fast while the
 * others go on, until the store follows the promoted replica with their state.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.ts";
import { checkStore, createStateStore } from "../../src/store/create.ts";
import { StoreUnavailableError, generateStateKey } from "../../src/store/index.ts";
import { type RedisTopology, parseRedisTopology } from "../../src/store/redis-config.ts";
import { RedisStore } from "../../src/store/redis.ts";
import { vaultKeys } from "../../src/store/vault.ts";
import { captureProcessErrors, rejection, timeoutSignalsMadeBy, uniquePrefix } from "./helpers.ts";
import { doctor, readyz } from "./reporting.ts";
import { describeStoreContracts } from "./store-contracts.ts";
import { type ClusterTopology, command, documentedAcl, startCluster } from "./topologies.ts";
import { captureLogger, makeVault } from "./vault-contract.ts";

const PASSWORD = randomBytes(12).toString("hex");
const FAST_MS = 1000;

let cluster: ClusterTopology;
let env: Record<string, string>;
let topology: RedisTopology;

beforeAll(async () => {
  cluster = await startCluster({ replicas: 1, serverConfig: [await documentedAcl("cluster", PASSWORD)] });
  env = { ...cluster.env, REDIS_USERNAME: "vertrouwd", REDIS_PASSWORD: PASSWORD };
  topology = parseRedisTopology(env) as RedisTopology;
});
afterAll(async () => {
  await cluster?.stop();
});

// Any unhandled 'error' event or rejection would surface here (and fail vitest on its own).
const processErrors = captureProcessErrors();

async function clusterStore(options: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}) {
  const store = new RedisStore({
    topology,
    logger: silentLogger(),
    keyPrefix: uniquePrefix("cluster"),
    ...options,
  });
  if (!(await store.waitUntilReady(5000))) throw new Error("the Cluster store did not become ready");
  return store;
}

describeStoreContracts("RedisStore on Cluster", (options) => clusterStore(options));

/** Calls per command and error counts of one node, from INFO. */
async function stats(port: number) {
  const info = String(await command(port, ["INFO", "all"]));
  const count = (pattern: RegExp) => Number(pattern.exec(info)?.[1] ?? 0);
  return {
    del: count(/^cmdstat_del:calls=(\d+)/m),
    crossslot: count(/^errorstat_CROSSSLOT:count=(\d+)/m),
  };
}

describe("Cluster topology", () => {
  it("is reported by `vertrouwd doctor` and /readyz", async () => {
    const vault = await createStateStore(
      { ...env, VERTROUWD_STATE_KEY: generateStateKey(), VERTROUWD_SERVER_SECRET: generateStateKey() },
      { idleTtlMs: 60_000, logger: silentLogger(), keyPrefix: uniquePrefix("cluster-check") },
    );
    expect(await checkStore(vault)).toMatchObject({ ok: true, kind: "redis", topology: "cluster" });
    const ready = await readyz(vault);
    expect(ready.status).toBe(200);
    expect(ready.body.store).toMatchObject({ ok: true, kind: "redis", topology: "cluster" });
    await vault.close();
    const out = await doctor(env);
    expect(out).toMatch(/✓ state store: redis cluster \(\d+ ms\)/);
    expect(out).not.toContain(PASSWORD);
  });

  it("keeps every key of a conversation in one slot: a wipe is one DEL on one node, never CROSSSLOT", async () => {
    const store = await clusterStore();
    const vault = makeVault(store);
    const conversations = Array.from({ length: 24 }, (_, i) => vault.keyFor("slack", "T1", `U-slot-${i}`));
    // Conversations spread over all three primaries…
    const homes = new Set<number>();
    for (const conv of conversations)
      homes.add(await cluster.portForKey(store.keyPrefix + vaultKeys(conv).draft));
    expect(homes.size).toBe(3);
    // …and each one's keys share a slot: the store's prefix stays outside the hash tag.
    const conv = conversations[0] as string;
    const keys = Object.values(vaultKeys(conv)).map((k) => store.keyPrefix + k);
    const primaries = await cluster.primaryPorts();
    const port = primaries[0] as number;
    const slots = await Promise.all(keys.map((k) => command(port, ["CLUSTER", "KEYSLOT", k])));
    expect(new Set(slots).size).toBe(1);
    const owner = await cluster.portForKey(keys[0] as string);

    await vault.withLock(conv, async () => {
      await vault.save(conv, '{"step":"report"}');
      expect(await vault.firstDelivery(conv, "Ev-1")).toBe(true);
    });
    await store.set(vaultKeys(conv).lock, "stuck-lock", 5000);
    const before = await Promise.all(primaries.map(stats));
    await vault.wipe(conv);
    const after = await Promise.all(primaries.map(stats));
    // One DEL command in all, on the primary that owns the slot: atomic, not split per key.
    expect(after.map((s, i) => s.del - (before[i]?.del ?? 0))).toEqual(
      primaries.map((p) => (p === owner ? 1 : 0)),
    );
    expect(after.map((s) => s.crossslot)).toEqual(before.map((s) => s.crossslot));
    for (const key of Object.values(vaultKeys(conv)))
      expect(await store.get(key).catch(() => "a set")).toBeNull();

    // Without the shared tag Redis would refuse such a DEL; the store refuses it before sending.
    const other = vaultKeys(conversations[1] as string).draft;
    await expect(store.delete(vaultKeys(conv).draft, other)).rejects.toThrow(RangeError);
    const raw = createClient({
      socket: { host: "127.0.0.1", port: owner },
      username: "vertrouwd",
      password: PASSWORD,
    });
    raw.on("error", () => {});
    await raw.connect();
    await expect(raw.sendCommand(["DEL", keys[0] as string, store.keyPrefix + other])).rejects.toThrow(
      /CROSSSLOT/,
    );
    raw.destroy();
    await store.close();
  });

  it("makes no per-command timeout signal: our own deadline is the only timer", async () => {
    const store = await clusterStore();
    const made = await timeoutSignalsMadeBy(async () => {
      for (let i = 0; i < 30; i++) await store.set(`k:{${i}}`, "v", 5000);
      for (let i = 0; i < 90; i++) await store.get(`k:{${i % 30}}`);
    });
    expect(made).toBe(0);
    await store.close();
  });

  it("survives a SIGKILL of a primary: its conversations fail fast, the others go on, then the promoted replica takes over", async () => {
    const { logger, lines } = captureLogger();
    const store = await clusterStore({ logger });
    const vault = makeVault(store);
    const primaries = await cluster.primaryPorts();
    const doomed = primaries[2] as number;
    const onDead: string[] = [];
    const onLive: string[] = [];
    for (let i = 0; onDead.length < 2 || onLive.length < 2; i++) {
      const conv = vault.keyFor("slack", "T1", `U-node-${i}`);
      const home = await cluster.portForKey(store.keyPrefix + vaultKeys(conv).draft);
      (home === doomed ? onDead : onLive).push(conv);
    }
    for (const conv of [...onDead, ...onLive]) await vault.save(conv, '{"step":"topic"}');
    // Asynchronous replication: only what reached the replica survives (docs/redis.md).
    expect(await command(doomed, ["WAIT", "1", "2000"])).toBe(1);

    const node = cluster.nodes.find((n) => n.port === doomed);
    if (!node) throw new Error("no such node");
    const killedAt = performance.now();
    node.child.kill("SIGKILL");
    await new Promise((resolve) => node.child.once("exit", resolve));
    const lateKey = `late:{${onDead[0]}}`;
    for (const conv of onDead) {
      for (const call of [
        () => vault.load(conv),
        () => vault.withLock(conv, async () => "never"),
        () => store.set(lateKey, "written during the failover", 60_000),
      ]) {
        const started = performance.now();
        expect(await rejection(call())).toBeInstanceOf(StoreUnavailableError);
        expect(performance.now() - started).toBeLessThan(FAST_MS);
      }
    }
    for (const conv of onLive) {
      expect(await vault.load(conv)).toEqual({ status: "found", json: '{"step":"topic"}' });
    }
    // PING goes to every primary: one unreachable primary makes the store not ready.
    const ready = await readyz(Object.assign(makeVault(store), { topology: "cluster" as const }));
    expect(ready.status).toBe(503);
    expect(ready.body.store).toMatchObject({ ok: false, kind: "redis", topology: "cluster" });

    // The cluster promotes the replica; the store re-reads the slot map and follows it.
    let refused = 0;
    for (;;) {
      const attempt = performance.now();
      try {
        expect(await vault.load(onDead[0] as string)).toEqual({ status: "found", json: '{"step":"topic"}' });
        break;
      } catch (err) {
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect(performance.now() - attempt).toBeLessThan(FAST_MS);
        refused++;
      }
      if (performance.now() - killedAt > 20_000) throw new Error("no recovery within 20 s of the SIGKILL");
      await sleep(100);
    }
    console.info(
      `cluster failover: SIGKILL → first successful call on the promoted replica ${Math.round(performance.now() - killedAt)} ms; ${refused} refused calls meanwhile`,
    );
    expect(await cluster.portForKey(store.keyPrefix + vaultKeys(onDead[0] as string).draft)).not.toBe(doomed);
    for (const conv of onDead)
      expect(await vault.load(conv)).toEqual({ status: "found", json: '{"step":"topic"}' });
    expect(await store.get(lateKey)).toBeNull();
    await vault.withLock(onDead[1] as string, () => vault.save(onDead[1] as string, '{"step":"after"}'));
    expect(await vault.load(onDead[1] as string)).toEqual({ status: "found", json: '{"step":"after"}' });
    expect(await checkStore(Object.assign(makeVault(store), { topology: "cluster" as const }))).toMatchObject(
      {
        ok: true,
      },
    );
    expect(lines.join("")).toContain('"event":"store.redis.error"');
    expect(lines.join("")).toContain('"event":"store.redis.reconnected"');
    expect(processErrors).toEqual([]);
    await store.close();
  });
});
