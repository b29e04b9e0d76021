import { ErrorReply } from "redis";
import type { Logger } from "../log/logger.ts";
import { assertOneHashSlot } from "./hash-tag.ts";
import { type RedisTopology, type RedisTopologyKind, assertRedisUrl } from "./redis-config.ts";
import { type RedisCommands, type RedisConnection, openConnection } from "./redis-connection.ts";
import { type KeyValueStore, StoreUnavailableError } from "./types.ts";

export { assertRedisUrl } from "./redis-config.ts";

/**
 * Redis-backed store shared by all replicas, on one endpoint, a Sentinel-monitored primary or a
 * Redis Cluster (see redis-connection.ts); every operation behaves the same on all three.
 *
 * Fail fast, never hang: Slack wants an ack within 3 s, so a dead Redis must turn into a
 * StoreUnavailableError within about a second. Hence no offline queue (commands are refused
 * while the node they need is unreachable, including during a failover), a short connect
 * timeout, and one deadline per call of our own. Reconnecting goes on forever in the background
 * with capped, jittered backoff; the process never crashes on a Redis error.
 *
 * Multi-key operations touch one hash slot only (one Lua key each; DEL only of keys sharing a
 * hash tag), so they stay single-node, atomic commands on a Cluster.
 */

export interface RedisStoreOptions {
  /** redis://[user:password@]host[:port][/db] or rediss:// for TLS. Shorthand for a single topology. */
  url?: string;
  /** Which Redis to use (see parseRedisTopology); give this or `url`. */
  topology?: RedisTopology;
  logger: Logger;
  /** Prefix for every key, so several installs (or tests) can share one Redis. Default "vt:". */
  keyPrefix?: string;
  connectTimeoutMs?: number;
  /**
   * Upper bound of one store call, from the call to its result or StoreUnavailableError.
   * Default 750 ms: a frozen Redis costs at most that, well inside Slack's 3 s.
   */
  commandTimeoutMs?: number;
  /** Upper bound of the reconnect backoff. */
  maxReconnectDelayMs?: number;
  /** Sentinel: how long the primary may stay unreachable before the sentinels are asked again. */
  rediscoverAfterMs?: number;
}

/** Deletes the key only when it still holds the caller's token (so a late holder can't free a successor's lock). */
const DELETE_IF_EQUALS = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/** Renews the TTL only for the current holder's token. */
const EXTEND_IF_EQUALS = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;

/** SADD and PEXPIRE in one step: a set without a TTL must never exist. */
const ADD_TO_SET = `local added = redis.call("SADD", KEYS[1], ARGV[1])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return added`;

/** INCR, and a TTL for a counter that has none (a new one), in one step. */
const INCREMENT = `local count = redis.call("INCR", KEYS[1])
if redis.call("PTTL", KEYS[1]) < 0 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
return count`;

/** ZADD and PEXPIRE in one step, for the same reason. */
const SORTED_ADD = `redis.call("ZADD", KEYS[1], ARGV[2], ARGV[1])
redis.call("PEXPIRE", KEYS[1], ARGV[3])
return 1`;

// No braces: the prefix stays outside every key's hash tag.
const KEY_PREFIX = /^[A-Za-z0-9:_.-]{0,64}$/;

export class RedisStore implements KeyValueStore {
  readonly kind = "redis" as const;
  readonly topology: RedisTopologyKind;
  readonly keyPrefix: string;
  readonly #connection: RedisConnection;
  readonly #logger: Logger;
  readonly #deadlineMs: number;
  #closed = false;
  #down = false;
  #everReady = false;

  constructor(options: RedisStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? "vt:";
    if (!KEY_PREFIX.test(this.keyPrefix)) {
      throw new RangeError(
        "Redis key prefix (VERTROUWD_REDIS_PREFIX) may only hold letters, digits and : _ . - (max 64 characters)",
      );
    }
    const topology = resolveTopology(options);
    this.topology = topology.kind;
    this.#deadlineMs = options.commandTimeoutMs ?? 750;
    this.#logger = options.logger;
    this.#connection = openConnection(topology, {
      connectTimeoutMs: options.connectTimeoutMs ?? 1000,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 2000,
      ...(options.rediscoverAfterMs !== undefined ? { rediscoverAfterMs: options.rediscoverAfterMs } : {}),
      onError: (err) => this.#onError(err),
      onReady: () => this.#onReady(),
      onPrimaryChange: () =>
        this.#logger.info({ event: "store.redis.primary_changed", topology: this.topology }),
    });
  }

  /** Waits until connected or `waitMs` has passed; true when ready. Never throws. */
  async waitUntilReady(waitMs: number): Promise<boolean> {
    if (this.#connection.isReady) return true;
    let timer: NodeJS.Timeout | undefined;
    // Keeps the process alive while someone waits (e.g. `vertrouwd doctor` with nothing else running).
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([this.#connection.connected, timeout]);
    clearTimeout(timer);
    return this.#connection.isReady;
  }

  get isReady(): boolean {
    return this.#connection.isReady;
  }

  async get(key: string): Promise<string | null> {
    return this.#run("get", (redis) => redis.get(this.#key(key)));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    await this.#run("set", (redis) =>
      redis.set(this.#key(key), value, { expiration: { type: "PX", value: ttl } }),
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("set-nx", (redis) =>
      redis.set(this.#key(key), value, { expiration: { type: "PX", value: ttl }, condition: "NX" }),
    );
    return reply === "OK";
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const reply = await this.#run("delete-if-equals", (redis) =>
      redis.eval(DELETE_IF_EQUALS, { keys: [this.#key(key)], arguments: [value] }),
    );
    return Number(reply) === 1;
  }

  async extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("extend-if-equals", (redis) =>
      redis.eval(EXTEND_IF_EQUALS, { keys: [this.#key(key)], arguments: [value, String(ttl)] }),
    );
    return Number(reply) === 1;
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const full = keys.map((key) => this.#key(key));
    assertOneHashSlot(full);
    await this.#run("delete", (redis) => redis.del(full));
  }

  async addToSet(key: string, member: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("add-to-set", (redis) =>
      redis.eval(ADD_TO_SET, { keys: [this.#key(key)], arguments: [member, String(ttl)] }),
    );
    return Number(reply) === 1;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("increment", (redis) =>
      redis.eval(INCREMENT, { keys: [this.#key(key)], arguments: [String(ttl)] }),
    );
    return Number(reply);
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("expire", (redis) => redis.pExpire(this.#key(key), ttl));
    return Number(reply) === 1;
  }

  async sortedAdd(key: string, member: string, score: number, ttlMs: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    if (!Number.isFinite(score)) throw new RangeError("sorted set score must be a finite number");
    await this.#run("sorted-add", (redis) =>
      redis.eval(SORTED_ADD, { keys: [this.#key(key)], arguments: [member, String(score), String(ttl)] }),
    );
  }

  async sortedUpTo(key: string, maxScore: number, limit: number): Promise<string[]> {
    return this.#run("sorted-up-to", (redis) =>
      redis.zRange(this.#key(key), "-inf", String(maxScore), {
        BY: "SCORE",
        LIMIT: { offset: 0, count: limit },
      }),
    );
  }

  async sortedRemove(key: string, member: string): Promise<boolean> {
    const reply = await this.#run("sorted-remove", (redis) => redis.zRem(this.#key(key), member));
    return Number(reply) === 1;
  }

  async sortedCount(key: string): Promise<number> {
    return Number(await this.#run("sorted-count", (redis) => redis.zCard(this.#key(key))));
  }

  /** Single: the server; Sentinel: the current primary; Cluster: every primary. */
  async ping(): Promise<void> {
    await this.#run("ping", () => this.#connection.ping());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Pending commands fail at once; a reconnect loop sleeping in its backoff ends on its own.
    await this.#connection.destroy();
  }

  #key(key: string): string {
    return this.keyPrefix + key;
  }

  /**
   * One bounded call. The bound is our own timer only: node-redis's per-command `timeout`
   * makes an AbortSignal.timeout() and its listeners for every command (it cost more CPU than
   * the rest of a GET, see bench/redis-command-cpu.ts) and only covers commands still waiting
   * to be written, which without an offline queue is none. The error object is made only when
   * the timer fires. (await + Promise.race measured cheaper than a hand-built promise.)
   */
  async #run<T>(op: string, fn: (redis: RedisCommands) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError("redis store closed");
    if (!this.#connection.isReady) throw new StoreUnavailableError(`redis not connected (${op})`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`redis ${op} timed out`)), this.#deadlineMs);
      timer.unref();
    });
    try {
      return await Promise.race([fn(this.#connection.commands), deadline]);
    } catch (err) {
      throw this.#failure(op, err);
    } finally {
      clearTimeout(timer);
    }
  }

  #failure(op: string, err: unknown): StoreUnavailableError {
    if (err instanceof StoreUnavailableError) return err;
    // A demoted primary answers writes with READONLY: the topology moved under us.
    if (err instanceof ErrorReply && err.message.startsWith("READONLY")) this.#connection.suspect();
    // Redis error replies and socket errors alike: the caller only needs "unavailable".
    return new StoreUnavailableError(`redis ${op} failed: ${describeRedisError(err)}`, { cause: err });
  }

  #onError(err: unknown): void {
    if (this.#closed) return;
    // Logged once per outage at warn; the reconnect loop repeats the same error every attempt.
    const fields = {
      event: "store.redis.error",
      topology: this.topology,
      errorType: describeRedisError(err),
    };
    if (this.#down) {
      this.#logger.debug(fields);
    } else {
      this.#down = true;
      this.#logger.warn(fields);
    }
  }

  #onReady(): void {
    if (this.#everReady && !this.#down) return;
    const event = this.#everReady ? "store.redis.reconnected" : "store.redis.ready";
    this.#everReady = true;
    this.#down = false;
    this.#logger.info({ event, topology: this.topology });
  }
}

function resolveTopology(options: RedisStoreOptions): RedisTopology {
  if (options.topology && options.url !== undefined) {
    throw new RangeError("RedisStore takes a url or a topology, not both");
  }
  if (options.topology) return options.topology;
  if (options.url === undefined) throw new RangeError("RedisStore needs a url or a topology");
  assertRedisUrl(options.url);
  return { kind: "single", url: options.url };
}

/** node-redis errors with a fixed text that admins need to tell apart; nothing else is ever quoted. */
const KNOWN_MESSAGES: Record<string, string> = {
  "None of the sentinels are available": "no-sentinel-reachable",
  "no valid master node": "no-primary",
};

/**
 * Error class name plus the Redis error code (WRONGPASS, NOPERM, OOM…) when there is one.
 * Never the message: it can hold a key name or server text we do not control.
 */
export function describeRedisError(err: unknown): string {
  if (!(err instanceof Error)) return "unknown";
  // System errors carry a fixed code (ECONNREFUSED, ENOTFOUND…); Redis replies start with one.
  const system = (err as NodeJS.ErrnoException).code;
  if (typeof system === "string" && /^E[A-Z_]{2,30}$/.test(system)) return `${err.name} ${system}`;
  if (err instanceof ErrorReply) {
    const reply = /^[A-Z]{2,20}\b/.exec(err.message)?.[0];
    return reply ? `ErrorReply ${reply}` : "ErrorReply";
  }
  const known = KNOWN_MESSAGES[err.message];
  if (known) return `${err.name} ${known}`;
  // node-redis wraps a node connection's error ("Master Client (host:port): …") around the original.
  if (err.name === "Error" && err.cause instanceof Error) return describeRedisError(err.cause);
  return err.name;
}

function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0)
    throw new RangeError("store TTL must be a positive integer of ms");
  return ttlMs;
}
