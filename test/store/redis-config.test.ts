import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.ts";
import { createStateStore, stateStoreEnv } from "../../src/store/create.ts";
import { hashTagOf } from "../../src/store/hash-tag.ts";
import {
  REDIS_ENV_NAMES,
  RedisConfigError,
  type RedisEnv,
  parseRedisTopology,
  withoutRedis,
} from "../../src/store/redis-config.ts";
import { StateKeyConfigError } from "../../src/store/state-key.ts";
import { rejection } from "./helpers.ts";

const SECRET = "s3cret-Pa55";

/** The error a parse throws; fails when it parses. Never contains the secret canary. */
function refusal(env: RedisEnv): string {
  try {
    parseRedisTopology(env);
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a refusal");
}

describe("Redis topology from the environment", () => {
  it("is memory (undefined) without any Redis variable, and treats blank as unset", () => {
    expect(parseRedisTopology({})).toBeUndefined();
    expect(parseRedisTopology({ REDIS_URL: "", REDIS_SENTINELS: "  ", REDIS_PASSWORD: "" })).toBeUndefined();
  });

  it("reads REDIS_URL as a single endpoint, with credentials from REDIS_USERNAME/REDIS_PASSWORD if given", () => {
    expect(parseRedisTopology({ REDIS_URL: " redis://127.0.0.1:6379 " })).toEqual({
      kind: "single",
      url: "redis://127.0.0.1:6379",
    });
    expect(
      parseRedisTopology({
        REDIS_URL: "rediss://redis.example:6380/2",
        REDIS_USERNAME: "bot",
        REDIS_PASSWORD: SECRET,
      }),
    ).toEqual({ kind: "single", url: "rediss://redis.example:6380/2", username: "bot", password: SECRET });
    expect(refusal({ REDIS_URL: `redis://:${SECRET}@h:6379`, REDIS_PASSWORD: SECRET })).toMatch(
      /REDIS_PASSWORD .* REDIS_URL carries a password too/,
    );
    expect(refusal({ REDIS_URL: `http://bot:${SECRET}@h:6379` })).toMatch(
      /REDIS_URL must start with redis:\/\//,
    );
    expect(refusal({ REDIS_URL: SECRET })).toMatch(/REDIS_URL is not a valid URL/);
  });

  it("reads a Sentinel set: addresses, master name, credentials for both, TLS", () => {
    expect(
      parseRedisTopology({
        REDIS_SENTINELS: "10.0.0.1:26379, sentinel-b.internal ,[fd00::3]:26380",
        REDIS_SENTINEL_NAME: "vertrouwd",
        REDIS_SENTINEL_USERNAME: "sentinel-user",
        REDIS_SENTINEL_PASSWORD: "sentinel-pass",
        REDIS_USERNAME: "bot",
        REDIS_PASSWORD: SECRET,
        REDIS_SENTINEL_TLS: "true",
      }),
    ).toEqual({
      kind: "sentinel",
      name: "vertrouwd",
      sentinels: [
        { host: "10.0.0.1", port: 26379 },
        { host: "sentinel-b.internal", port: 26379 },
        { host: "fd00::3", port: 26380 },
      ],
      tls: true,
      sentinelUsername: "sentinel-user",
      sentinelPassword: "sentinel-pass",
      username: "bot",
      password: SECRET,
    });
    expect(parseRedisTopology({ REDIS_SENTINELS: "h:1", REDIS_SENTINEL_NAME: "m" })).toMatchObject({
      tls: false,
    });
  });

  it("refuses a malformed Sentinel setting, naming the variable and entry but never the value", () => {
    const name = { REDIS_SENTINEL_NAME: "m" };
    expect(refusal({ REDIS_SENTINELS: "h:26379" })).toMatch(
      /REDIS_SENTINEL_NAME is required with REDIS_SENTINELS/,
    );
    expect(refusal({ REDIS_SENTINELS: "h:26379", REDIS_SENTINEL_NAME: "two words" })).toMatch(
      /REDIS_SENTINEL_NAME may hold/,
    );
    expect(refusal({ ...name, REDIS_SENTINELS: `h:1,redis://bot:${SECRET}@h:2` })).toBe(
      "REDIS_SENTINELS entry 2 of 2 must be host:port, without a scheme or credentials (use REDIS_SENTINEL_PASSWORD)",
    );
    expect(refusal({ ...name, REDIS_SENTINELS: `bot:${SECRET}@h:2` })).toMatch(
      /entry 1 of 1 must be host:port/,
    );
    expect(refusal({ ...name, REDIS_SENTINELS: "h:1,,h:2" })).toBe(
      "REDIS_SENTINELS entry 2 of 3 is empty (stray comma?)",
    );
    expect(refusal({ ...name, REDIS_SENTINELS: "h:1,H:1" })).toBe(
      "REDIS_SENTINELS entry 2 of 2 repeats entry 1",
    );
    expect(refusal({ ...name, REDIS_SENTINELS: "h:99999" })).toMatch(/port outside 1–65535/);
    expect(refusal({ ...name, REDIS_SENTINELS: `h:${SECRET}` })).toMatch(/is not a valid host:port/);
    expect(refusal({ ...name, REDIS_SENTINELS: "h:1", REDIS_SENTINEL_TLS: "maybe" })).toBe(
      "REDIS_SENTINEL_TLS must be true or false",
    );
    expect(refusal({ ...name, REDIS_SENTINELS: "h:1", REDIS_SENTINEL_USERNAME: "u" })).toMatch(
      /REDIS_SENTINEL_USERNAME is set without REDIS_SENTINEL_PASSWORD/,
    );
    expect(refusal({ ...name, REDIS_SENTINELS: "h:1", REDIS_USERNAME: "u" })).toMatch(
      /REDIS_USERNAME is set without REDIS_PASSWORD/,
    );
  });

  it("reads Cluster seed nodes as redis:// or rediss:// URLs, credentials from REDIS_USERNAME/REDIS_PASSWORD", () => {
    expect(
      parseRedisTopology({
        REDIS_CLUSTER_NODES: "redis://10.0.0.1:7000,redis://10.0.0.2,redis://[fd00::4]:7002/",
        REDIS_USERNAME: "bot",
        REDIS_PASSWORD: SECRET,
      }),
    ).toEqual({
      kind: "cluster",
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 6379 },
        { host: "fd00::4", port: 7002 },
      ],
      tls: false,
      username: "bot",
      password: SECRET,
    });
    expect(parseRedisTopology({ REDIS_CLUSTER_NODES: "rediss://a:1,rediss://b:1" })).toMatchObject({
      tls: true,
    });
  });

  it("refuses a malformed Cluster setting without echoing it", () => {
    expect(refusal({ REDIS_CLUSTER_NODES: `redis://bot:${SECRET}@h:7000` })).toBe(
      "REDIS_CLUSTER_NODES entry 1 of 1 carries credentials: put them in REDIS_USERNAME and REDIS_PASSWORD",
    );
    expect(refusal({ REDIS_CLUSTER_NODES: "redis://a:1,rediss://b:1" })).toBe(
      "REDIS_CLUSTER_NODES mixes redis:// and rediss://",
    );
    expect(refusal({ REDIS_CLUSTER_NODES: "redis://a:1/3" })).toMatch(/database 0 only/);
    expect(refusal({ REDIS_CLUSTER_NODES: `a:${SECRET}` })).toMatch(
      /entry 1 of 1 must start with redis:\/\//,
    );
    expect(refusal({ REDIS_CLUSTER_NODES: SECRET })).toMatch(/entry 1 of 1 is not a URL/);
  });

  it("wants exactly one topology, and no variable that the chosen one would ignore", () => {
    expect(
      refusal({ REDIS_URL: "redis://h:1", REDIS_SENTINELS: "h:2", REDIS_CLUSTER_NODES: "redis://h:3" }),
    ).toBe(
      "set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES (found REDIS_URL and REDIS_SENTINELS and REDIS_CLUSTER_NODES)",
    );
    expect(refusal({ REDIS_URL: "redis://h:1", REDIS_CLUSTER_NODES: "redis://h:3" })).toMatch(
      /found REDIS_URL and REDIS_CLUSTER_NODES/,
    );
    // A typo in the topology variable must not silently leave the state in memory.
    expect(refusal({ REDIS_SENTINEL_NAME: "m", REDIS_SENTINELS_TYPO: "h:1" } as RedisEnv)).toBe(
      "REDIS_SENTINEL_NAME is set but none of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES is: the state would stay in memory",
    );
    expect(refusal({ REDIS_PASSWORD: SECRET })).toMatch(/^REDIS_PASSWORD is set but none of/);
    expect(refusal({ REDIS_CLUSTER_NODES: "redis://h:1", REDIS_SENTINEL_PASSWORD: SECRET })).toBe(
      "REDIS_SENTINEL_PASSWORD only applies with REDIS_SENTINELS, not with REDIS_CLUSTER_NODES",
    );
    expect(refusal({ REDIS_URL: "redis://h:1", REDIS_SENTINEL_TLS: "true" })).toMatch(
      /REDIS_SENTINEL_TLS only applies with REDIS_SENTINELS/,
    );
  });

  it("errors are RedisConfigError (or RangeError for REDIS_URL's scheme, as before)", () => {
    expect(() => parseRedisTopology({ REDIS_SENTINELS: "h:1" })).toThrow(RedisConfigError);
    expect(() => parseRedisTopology({ REDIS_URL: "ftp://h" })).toThrow(RangeError);
  });

  it("requires the vault secrets with any Redis topology, and says which variables mean Redis", async () => {
    const err = await rejection(
      createStateStore(
        { REDIS_SENTINELS: "127.0.0.1:1", REDIS_SENTINEL_NAME: "m" },
        { idleTtlMs: 1000, logger: silentLogger() },
      ),
    );
    expect(err).toBeInstanceOf(StateKeyConfigError);
    expect((err as Error).message).toMatch(
      /VERTROUWD_STATE_KEY is required with Redis \(REDIS_URL, REDIS_SENTINELS/,
    );
  });

  it("picks the store's variables from an environment, and the demo drops them all", () => {
    const env: NodeJS.ProcessEnv = {
      PATH: "/bin",
      REDIS_SENTINELS: "h:1",
      REDIS_SENTINEL_NAME: "m",
      REDIS_PASSWORD: SECRET,
      VERTROUWD_STATE_KEY: "k",
      SLACK_BOT_TOKEN: "xoxb",
    };
    expect(stateStoreEnv(env)).toEqual({
      REDIS_SENTINELS: "h:1",
      REDIS_SENTINEL_NAME: "m",
      REDIS_PASSWORD: SECRET,
      VERTROUWD_STATE_KEY: "k",
      VERTROUWD_SERVER_SECRET: undefined,
      VERTROUWD_REDIS_PREFIX: undefined,
    });
    const bare = withoutRedis(env);
    for (const name of REDIS_ENV_NAMES) expect(bare[name]).toBeUndefined();
    expect(bare).toMatchObject({ PATH: "/bin", SLACK_BOT_TOKEN: "xoxb", VERTROUWD_STATE_KEY: "k" });
    expect(parseRedisTopology(bare)).toBeUndefined();
  });
});

describe("hash tags", () => {
  it("hashes by the first non-empty {…} section, else by the whole key (as Redis Cluster does)", () => {
    expect(hashTagOf("vt:draft:{abc}")).toBe("abc");
    expect(hashTagOf("vt:lock:{abc}:x{y}")).toBe("abc");
    expect(hashTagOf("vt:x:{}{abc}")).toBe("vt:x:{}{abc}");
    expect(hashTagOf("vt:plain")).toBe("vt:plain");
    expect(hashTagOf("vt:{open")).toBe("vt:{open");
  });
});
