import { afterAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.ts";
import { checkStore, createStateStore, generateStateKey } from "../../src/store/index.ts";
import { REDIS_URL, deletePrefix, freePort, keysWithPrefix, rawClient, uniquePrefix } from "./helpers.ts";

const prefix = uniquePrefix("index");
const options = { idleTtlMs: 60_000, logger: silentLogger(), keyPrefix: prefix };
const secrets = { VERTROUWD_STATE_KEY: generateStateKey(), VERTROUWD_SERVER_SECRET: generateStateKey() };

afterAll(async () => {
  await deletePrefix(prefix);
});

describe("createStateStore", () => {
  it("uses memory without REDIS_URL, with ephemeral keys", async () => {
    const vault = await createStateStore({}, options);
    expect(vault.kind).toBe("memory");
    expect(vault.idleTtlMs).toBe(60_000);
    const conv = vault.keyFor("console", "local", "me");
    await vault.save(conv, "{}");
    expect(await vault.load(conv)).toEqual({ status: "found", json: "{}" });
    expect(await checkStore(vault)).toMatchObject({ ok: true, kind: "memory" });
    await vault.close();
  });

  it("uses Redis with REDIS_URL, and two replicas with the same secrets share conversations", async () => {
    const env = { REDIS_URL, ...secrets };
    const one = await createStateStore(env, options);
    const two = await createStateStore(env, options);
    expect(one.kind).toBe("redis");
    const conv = one.keyFor("slack", "T1", "U1");
    expect(two.keyFor("slack", "T1", "U1")).toBe(conv);
    await one.save(conv, '{"shared":true}');
    expect(await two.load(conv)).toEqual({ status: "found", json: '{"shared":true}' });
    const check = await checkStore(two);
    expect(check).toMatchObject({ ok: true, kind: "redis" });
    expect(check.latencyMs).toBeGreaterThanOrEqual(0);
    await one.wipe(conv);
    await one.close();
    await two.close();
  });

  it("takes the key prefix from VERTROUWD_REDIS_PREFIX and validates it", async () => {
    const envPrefix = uniquePrefix("index-env");
    const vault = await createStateStore(
      { REDIS_URL, ...secrets, VERTROUWD_REDIS_PREFIX: envPrefix },
      { idleTtlMs: 60_000, logger: silentLogger() },
    );
    const conv = vault.keyFor("slack", "T1", "U-prefix");
    await vault.save(conv, "{}");
    const raw = await rawClient();
    expect(await keysWithPrefix(raw, envPrefix)).toHaveLength(2);
    raw.destroy();
    await vault.wipe(conv);
    await vault.close();
    await expect(
      createStateStore(
        { REDIS_URL, ...secrets, VERTROUWD_REDIS_PREFIX: "bad prefix*" },
        { idleTtlMs: 1000, logger: silentLogger() },
      ),
    ).rejects.toThrow(/VERTROUWD_REDIS_PREFIX/);
  });

  it("accepts the longest configurable idle timeout with the default marker TTL", async () => {
    const vault = await createStateStore({}, { ...options, idleTtlMs: 24 * 60 * 60 * 1000 });
    expect(vault.idleTtlMs).toBe(86_400_000);
    await vault.close();
  });

  it("requires the state key and server secret with REDIS_URL, naming the variable only", async () => {
    const url = "redis://bot:pa55word@127.0.0.1:6379";
    await expect(createStateStore({ REDIS_URL: url }, options)).rejects.toThrow(
      /VERTROUWD_STATE_KEY is required/,
    );
    await expect(
      createStateStore({ REDIS_URL: url, VERTROUWD_STATE_KEY: secrets.VERTROUWD_STATE_KEY }, options),
    ).rejects.toThrow(/VERTROUWD_SERVER_SECRET is required/);
    const err = await createStateStore({ REDIS_URL: "http://bot:pa55word@host", ...secrets }, options).catch(
      (e) => e,
    );
    expect(String(err.message)).toMatch(/REDIS_URL must start with redis:\/\//);
    expect(String(err.message)).not.toContain("pa55word");
  });

  it("starts against an unreachable Redis, and checkStore reports it fast", async () => {
    const port = await freePort();
    const vault = await createStateStore(
      { REDIS_URL: `redis://127.0.0.1:${port}`, ...secrets },
      { ...options, connectWaitMs: 200 },
    );
    const check = await checkStore(vault);
    expect(check.ok).toBe(false);
    expect(check.kind).toBe("redis");
    expect(check.latencyMs).toBeLessThan(1000);
    expect(check.error).toMatch(/redis not connected/);
    await vault.close();
  });
});
