import { ErrorReply, createClient } from "redis";
import type { Logger } from "../log/logger.ts";
import { type KeyValueStore, StoreUnavailableError } from "./types.ts";

/**
 * Redis-backed store shared by all replicas.
 *
 * Fail fast, never hang: Slack wants an ack within 3 s, so a dead Redis must turn into a
 * StoreUnavailableError within about a second. Hence no offline queue (commands are refused
 * while disconnected instead of waiting for a reconnect), short connect and command timeouts,
 * and an outer deadline in case a command gets stuck anyway. Reconnecting goes on forever in
 * the background with capped, jittered backoff; the process never crashes on a Redis error.
 */

export interface RedisStoreOptions {
  /** redis://[user:password@]host[:port][/db] or rediss:// for TLS. */
  url: string;
  logger: Logger;
  /** Prefix for every key, so several installs (or tests) can share one Redis. Default "vt:". */
  keyPrefix?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Upper bound of the reconnect backoff. */
  maxReconnectDelayMs?: number;
}

/** Deletes the key only when it still holds the caller's token (so a late holder can't free a successor's lock). */
const DELETE_IF_EQUALS = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/** Renews the TTL only for the current holder's token. */
const EXTEND_IF_EQUALS = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;

/** SADD and PEXPIRE in one step: a set without a TTL must never exist. */
const ADD_TO_SET = `local added = redis.call("SADD", KEYS[1], ARGV[1])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return added`;

/** ZADD and PEXPIRE in one step, for the same reason. */
const SORTED_ADD = `redis.call("ZADD", KEYS[1], ARGV[2], ARGV[1])
redis.call("PEXPIRE", KEYS[1], ARGV[3])
return 1`;

const KEY_PREFIX = /^[A-Za-z0-9:_.-]{0,64}$/;

type Client = ReturnType<typeof createClient>;

export class RedisStore implements KeyValueStore {
  readonly kind = "redis" as const;
  readonly keyPrefix: string;
  readonly #client: Client;
  readonly #logger: Logger;
  readonly #deadlineMs: number;
  #closed = false;
  #down = false;
  #everReady = false;
  readonly #connecting: Promise<void>;

  constructor(options: RedisStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? "vt:";
    if (!KEY_PREFIX.test(this.keyPrefix)) {
      throw new RangeError(
        "Redis key prefix (VERTROUWD_REDIS_PREFIX) may only hold letters, digits and : _ . - (max 64 characters)",
      );
    }
    assertRedisUrl(options.url);
    const connectTimeout = options.connectTimeoutMs ?? 1000;
    const commandTimeout = options.commandTimeoutMs ?? 500;
    const maxDelay = options.maxReconnectDelayMs ?? 2000;
    this.#deadlineMs = commandTimeout + 250;
    this.#logger = options.logger;
    this.#client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      // No CLIENT SETINFO / maintenance handshake: keeps the ACL down to the data commands.
      disableClientInfo: true,
      maintNotifications: "disabled",
      commandOptions: { timeout: commandTimeout },
      socket: {
        connectTimeout,
        // Capped exponential backoff with jitter, never giving up: giving up would leave a
        // dead client that only a restart could fix.
        reconnectStrategy: (retries: number) =>
          Math.min(50 * 2 ** Math.min(retries, 10), maxDelay) + Math.floor(Math.random() * 100),
      },
    });
    this.#client.on("error", (err: unknown) => this.#onError(err));
    this.#client.on("ready", () => this.#onReady());
    this.#connecting = this.#client.connect().then(
      () => undefined,
      // Only reachable when close() runs while still connecting; failures are reported via "error".
      () => undefined,
    );
  }

  /** Waits until connected or `waitMs` has passed; true when ready. Never throws. */
  async waitUntilReady(waitMs: number): Promise<boolean> {
    if (this.#client.isReady) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([this.#connecting, timeout]);
    clearTimeout(timer);
    return this.#client.isReady;
  }

  get isReady(): boolean {
    return this.#client.isReady;
  }

  async get(key: string): Promise<string | null> {
    return this.#run("get", (client) => client.get(this.#key(key)));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    await this.#run("set", (client) =>
      client.set(this.#key(key), value, { expiration: { type: "PX", value: ttl } }),
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("set-nx", (client) =>
      client.set(this.#key(key), value, { expiration: { type: "PX", value: ttl }, condition: "NX" }),
    );
    return reply === "OK";
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const reply = await this.#run("delete-if-equals", (client) =>
      client.eval(DELETE_IF_EQUALS, { keys: [this.#key(key)], arguments: [value] }),
    );
    return Number(reply) === 1;
  }

  async extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("extend-if-equals", (client) =>
      client.eval(EXTEND_IF_EQUALS, { keys: [this.#key(key)], arguments: [value, String(ttl)] }),
    );
    return Number(reply) === 1;
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#run("delete", (client) => client.del(keys.map((key) => this.#key(key))));
  }

  async addToSet(key: string, member: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("add-to-set", (client) =>
      client.eval(ADD_TO_SET, { keys: [this.#key(key)], arguments: [member, String(ttl)] }),
    );
    return Number(reply) === 1;
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run("expire", (client) => client.pExpire(this.#key(key), ttl));
    return Number(reply) === 1;
  }

  async sortedAdd(key: string, member: string, score: number, ttlMs: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    if (!Number.isFinite(score)) throw new RangeError("sorted set score must be a finite number");
    await this.#run("sorted-add", (client) =>
      client.eval(SORTED_ADD, { keys: [this.#key(key)], arguments: [member, String(score), String(ttl)] }),
    );
  }

  async sortedUpTo(key: string, maxScore: number, limit: number): Promise<string[]> {
    return this.#run("sorted-up-to", (client) =>
      client.zRange(this.#key(key), "-inf", String(maxScore), {
        BY: "SCORE",
        LIMIT: { offset: 0, count: limit },
      }),
    );
  }

  async sortedRemove(key: string, member: string): Promise<boolean> {
    const reply = await this.#run("sorted-remove", (client) => client.zRem(this.#key(key), member));
    return Number(reply) === 1;
  }

  async sortedCount(key: string): Promise<number> {
    return Number(await this.#run("sorted-count", (client) => client.zCard(this.#key(key))));
  }

  async ping(): Promise<void> {
    await this.#run("ping", (client) => client.ping());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // destroy() drops the socket and fails pending commands at once; close() would wait for them.
    // Not awaiting the connect loop: it may be sleeping in a backoff and ends on its own.
    this.#client.destroy();
  }

  #key(key: string): string {
    return this.keyPrefix + key;
  }

  async #run<T>(op: string, fn: (client: Client) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError("redis store closed");
    if (!this.#client.isReady) throw new StoreUnavailableError(`redis not connected (${op})`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`redis ${op} timed out`)), this.#deadlineMs);
      timer.unref();
    });
    try {
      return await Promise.race([fn(this.#client), deadline]);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      // Redis error replies and socket errors alike: the caller only needs "unavailable".
      throw new StoreUnavailableError(`redis ${op} failed: ${describeRedisError(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  #onError(err: unknown): void {
    // Logged once per outage at warn; the reconnect loop repeats the same error every attempt.
    const fields = { event: "store.redis.error", errorType: describeRedisError(err) };
    if (this.#down) {
      this.#logger.debug(fields);
    } else {
      this.#down = true;
      this.#logger.warn(fields);
    }
  }

  #onReady(): void {
    const event = this.#everReady ? "store.redis.reconnected" : "store.redis.ready";
    this.#everReady = true;
    this.#down = false;
    this.#logger.info({ event });
  }
}

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
  return err.name;
}

/** Validates the URL scheme without ever echoing the URL (it may carry a password). */
export function assertRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError("REDIS_URL is not a valid URL (expected redis://[user:password@]host:port)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new RangeError("REDIS_URL must start with redis:// or rediss:// (TLS)");
  }
  if (!parsed.hostname) throw new RangeError("REDIS_URL has no host");
}

function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0)
    throw new RangeError("store TTL must be a positive integer of ms");
  return ttlMs;
}
