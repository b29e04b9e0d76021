import { randomBytes } from "node:crypto";
import { ErrorReply } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.ts";
import { type RedisTopology, parseRedisTopology } from "../../src/store/redis-config.ts";
import { RedisStore, assertRedisUrl, describeRedisError } from "../../src/store/redis.ts";
import { VAULT_DEFAULTS, createVault, vaultKeys } from "../../src/store/vault.ts";
import { connectedRedisStore, deletePrefix, keysWithPrefix, rawClient, uniquePrefix } from "./helpers.ts";
import { describeKeyValueContract } from "./kv-contract.ts";
import { captureLogger, describeVaultContract } from "./vault-contract.ts";

const filePrefix = uniquePrefix("redis");
let counter = 0;
const nextPrefix = () => `${filePrefix}${counter++}:`;

afterAll(async () => {
  await deletePrefix(filePrefix);
});

describeKeyValueContract("RedisStore", () => connectedRedisStore(nextPrefix()));

describeVaultContract("RedisStore", async () => {
  const prefix = nextPrefix();
  // Two clients on one Redis behave like two replicas.
  const a = await connectedRedisStore(prefix);
  const b = await connectedRedisStore(prefix);
  return {
    a,
    b,
    cleanup: async () => {
      await a.close();
      await b.close();
      await deletePrefix(prefix);
    },
  };
});

describe("RedisStore on the wire", () => {
  let raw: Awaited<ReturnType<typeof rawClient>>;
  beforeAll(async () => {
    raw = await rawClient();
  });
  afterAll(() => {
    raw.destroy();
  });

  it("writes under the configured prefix only", async () => {
    const prefix = nextPrefix();
    const store = await connectedRedisStore(prefix);
    await store.set("k", "v", 5000);
    expect(await raw.get(`${prefix}k`)).toBe("v");
    expect(await raw.exists("k")).toBe(0);
    await store.close();
  });

  it("gives every key a TTL within its configured maximum after a full conversation", async () => {
    const prefix = nextPrefix();
    const store = await connectedRedisStore(prefix);
    const idleTtlMs = 30 * 60 * 1000;
    const vault = createVault({
      store,
      stateKeys: [randomBytes(32)],
      serverSecret: randomBytes(32),
      idleTtlMs,
    });
    const conv = vault.keyFor("slack", "T1", "U-ttl");
    await vault.firstDelivery(conv, "Ev-1");
    await vault.withLock(conv, async () => {
      await vault.save(conv, '{"step":1}');
      await vault.save(conv, '{"step":2}');
      // The lock is alive right now, so it is audited too.
      const keys = await keysWithPrefix(raw, prefix);
      expect(keys.sort()).toEqual(
        Object.values(vaultKeys(conv))
          .map((k) => prefix + k)
          .sort(),
      );
      const maxima: Record<string, number> = {
        [prefix + vaultKeys(conv).draft]: idleTtlMs,
        [prefix + vaultKeys(conv).marker]: idleTtlMs + VAULT_DEFAULTS.markerGraceMs,
        [prefix + vaultKeys(conv).lock]: VAULT_DEFAULTS.lockTtlMs,
        [prefix + vaultKeys(conv).dedup]: VAULT_DEFAULTS.dedupTtlMs,
      };
      for (const key of keys) {
        const ttl = await raw.pTTL(key);
        expect(ttl, key).toBeGreaterThan(0);
        expect(ttl, key).toBeLessThanOrEqual(maxima[key] as number);
      }
    });
    await vault.wipe(conv);
    await store.close();
  });

  it("never lets plaintext or a raw user id into a key, a value or a log line", async () => {
    const prefix = nextPrefix();
    const store = await connectedRedisStore(prefix);
    const { logger, lines } = captureLogger();
    const vault = createVault({
      store,
      stateKeys: [randomBytes(32)],
      serverSecret: randomBytes(32),
      idleTtlMs: 60_000,
      logger,
    });
    const canary = `CANARY-${randomBytes(8).toString("hex")}`;
    const userId = `U-${canary}`;
    const conv = vault.keyFor("slack", "T-canary", userId);
    await vault.firstDelivery(conv, `Ev-${canary}`);
    await vault.withLock(conv, () => vault.save(conv, JSON.stringify({ report: { what: canary } })));
    // A failed unseal must not leak either.
    await createVault({
      store,
      stateKeys: [randomBytes(32)],
      serverSecret: randomBytes(32),
      idleTtlMs: 60_000,
      logger,
    }).load(conv);

    const keys = await keysWithPrefix(raw, prefix);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) {
      expect(key).not.toContain(canary);
      const type = await raw.type(key);
      const values = type === "set" ? await raw.sMembers(key) : [String(await raw.get(key))];
      for (const value of values) {
        expect(value).not.toContain(canary);
        expect(Buffer.from(value, "base64url").toString("latin1")).not.toContain(canary);
      }
    }
    expect(lines.join("")).not.toContain(canary);
    await vault.wipe(conv);
    expect(await keysWithPrefix(raw, prefix)).toEqual([]);
    await store.close();
  });

  it("wipe leaves no key of the conversation and keeps others", async () => {
    const prefix = nextPrefix();
    const store = await connectedRedisStore(prefix);
    const vault = createVault({
      store,
      stateKeys: [randomBytes(32)],
      serverSecret: randomBytes(32),
      idleTtlMs: 60_000,
    });
    const gone = vault.keyFor("slack", "T1", "U-gone");
    const kept = vault.keyFor("slack", "T1", "U-kept");
    for (const conv of [gone, kept]) {
      await vault.firstDelivery(conv, "Ev-1");
      await vault.save(conv, "{}");
    }
    await raw.set(`${prefix}${vaultKeys(gone).lock}`, "stuck", { expiration: { type: "PX", value: 5000 } });
    await vault.wipe(gone);
    const keys = await keysWithPrefix(raw, prefix);
    expect(keys.filter((key) => key.includes(gone))).toEqual([]);
    expect(keys.filter((key) => key.includes(kept))).toHaveLength(3);
    await store.close();
  });
});

describe("RedisStore configuration", () => {
  it("accepts redis:// and rediss:// and refuses other schemes without echoing the URL", () => {
    expect(() => assertRedisUrl("redis://127.0.0.1:6379")).not.toThrow();
    expect(() => assertRedisUrl("rediss://bot:s3cret@redis.example:6380/0")).not.toThrow();
    for (const bad of ["http://bot:s3cret@host:6379", "s3cret", "redis://"]) {
      let message = "";
      try {
        assertRedisUrl(bad);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/REDIS_URL/);
      expect(message).not.toContain("s3cret");
    }
  });

  it("refuses an odd key prefix", () => {
    expect(
      () => new RedisStore({ url: "redis://127.0.0.1:6379", logger: silentLogger(), keyPrefix: "a b*" }),
    ).toThrow(RangeError);
  });

  it("authenticates with an ACL user from the URL", async () => {
    const raw = await rawClient();
    const user = `vt-test-${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    const prefix = nextPrefix();
    await raw.sendCommand([
      "ACL",
      "SETUSER",
      user,
      "reset",
      "on",
      `>${password}`,
      `~${prefix}*`,
      "+get",
      "+set",
      "+del",
      "+eval",
      "+ping",
      "+sadd",
      "+pexpire",
    ]);
    try {
      const store = await connectedRedisStore(prefix, `redis://${user}:${password}@127.0.0.1:6379`);
      const vault = createVault({
        store,
        stateKeys: [randomBytes(32)],
        serverSecret: randomBytes(32),
        idleTtlMs: 5000,
      });
      const conv = vault.keyFor("slack", "T1", "U-acl");
      await vault.withLock(conv, () => vault.save(conv, "{}"));
      expect(await vault.firstDelivery(conv, "Ev")).toBe(true);
      expect((await vault.load(conv)).status).toBe("found");
      await vault.wipe(conv);
      await vault.ping();
      // Outside its prefix the ACL says no; that surfaces as StoreUnavailableError with the reply code only.
      const outside = new RedisStore({
        url: `redis://${user}:${password}@127.0.0.1:6379`,
        logger: silentLogger(),
        keyPrefix: "elsewhere:",
      });
      await outside.waitUntilReady(2000);
      await expect(outside.get("x")).rejects.toThrow("redis get failed: ErrorReply NOPERM");
      await expect(outside.get("x")).rejects.toMatchObject({ name: "StoreUnavailableError" });
      await outside.close();
      // The same user with the credentials apart from the URL (REDIS_USERNAME / REDIS_PASSWORD).
      const apart = new RedisStore({
        topology: parseRedisTopology({
          REDIS_URL: "redis://127.0.0.1:6379",
          REDIS_USERNAME: user,
          REDIS_PASSWORD: password,
        }) as RedisTopology,
        logger: silentLogger(),
        keyPrefix: prefix,
      });
      expect(await apart.waitUntilReady(2000)).toBe(true);
      await apart.set("apart", "v", 5000);
      expect(await apart.get("apart")).toBe("v");
      await apart.delete("apart");
      expect(apart.topology).toBe("single");
      await apart.close();
      await store.close();
    } finally {
      await raw.sendCommand(["ACL", "DELUSER", user]);
      raw.destroy();
    }
  });

  it("makes no per-command timeout signal: its own deadline is the only timer", async () => {
    const store = await connectedRedisStore(nextPrefix());
    const original = AbortSignal.timeout;
    let made = 0;
    AbortSignal.timeout = (ms: number) => {
      made++;
      return original.call(AbortSignal, ms);
    };
    try {
      await store.set("k", "v", 5000);
      for (let i = 0; i < 100; i++) await store.get("k");
    } finally {
      AbortSignal.timeout = original;
    }
    expect(made).toBe(0);
    await store.close();
  });

  it("describes errors by class and code, never by message", () => {
    const reply = new ErrorReply("NOPERM User x has no permissions to access the 'secret' key");
    expect(describeRedisError(reply)).toBe("ErrorReply NOPERM");
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(describeRedisError(refused)).toBe("Error ECONNREFUSED");
    expect(describeRedisError("text")).toBe("unknown");
    // node-redis's own fixed texts that admins need, and the code inside a wrapped node error.
    expect(describeRedisError(new Error("no valid master node"))).toBe("Error no-primary");
    expect(describeRedisError(new Error("None of the sentinels are available"))).toBe(
      "Error no-sentinel-reachable",
    );
    const wrapped = new Error("Master Client (10.0.0.5:6379): connect ECONNREFUSED 10.0.0.5:6379", {
      cause: refused,
    });
    expect(describeRedisError(wrapped)).toBe("Error ECONNREFUSED");
    expect(describeRedisError(new Error("anything else with a key name in it"))).toBe("Error");
  });
});
