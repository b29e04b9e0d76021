import type { RedisTopologyKind } from "./redis-config.ts";

/**
 * Storage ports. The core never hands a store a raw user id or readable draft: keys are
 * HMACs and values are AES-256-GCM sealed before they get here (see vault.ts).
 */

/**
 * Minimal key-value port implemented by the memory and Redis stores (one contract test runs
 * against every kind: test/store/kv-contract.ts). Every write carries a TTL.
 *
 * @example
 * await store.set("dq:status:{id}", "queued", 7 * 86_400_000);
 * if (await store.setIfAbsent("lock:{conv}", token, 4_000)) { ...; await store.deleteIfEquals("lock:{conv}", token); }
 */
export interface KeyValueStore {
  readonly kind: "memory" | "redis";
  /** For Redis: which topology it talks to (one endpoint, Sentinel, Cluster). */
  readonly topology?: RedisTopologyKind;
  get(key: string): Promise<string | null>;
  /** Always sets a TTL: a value without one would outlive the idle timeout. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** SET NX PX: true when the key was absent and is now set. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes key only when it still holds value (token-checked lock release). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Resets the TTL only when key still holds value (keeps a long turn's lock alive). */
  extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * Deletes the keys in one atomic step. All keys must share one hash tag (`{…}`), so they stay
   * in one Redis Cluster slot; otherwise RangeError, on every store.
   */
  delete(...keys: string[]): Promise<void>;
  /**
   * Adds member to the set at key and (re)sets the set's TTL, atomically (SADD + PEXPIRE).
   * True when member was not yet in the set. Used for per-conversation de-duplication.
   */
  addToSet(key: string, member: string, ttlMs: number): Promise<boolean>;
  /**
   * Adds one to the counter at key (INCR) and gives it a TTL when it has none (a new counter),
   * atomically; returns the new count. Used for rate limits that replicas share.
   */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Resets the TTL of an existing key (PEXPIRE). False when the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Adds member to the sorted set at key (or moves it) with score, and (re)sets the set's TTL,
   * atomically (ZADD + PEXPIRE). Used for the delivery queue, ordered by due time.
   */
  sortedAdd(key: string, member: string, score: number, ttlMs: number): Promise<void>;
  /** Up to `limit` members with score ≤ maxScore, lowest score first (ZRANGE BYSCORE LIMIT). */
  sortedUpTo(key: string, maxScore: number, limit: number): Promise<string[]>;
  /** Removes member; true when it was there. */
  sortedRemove(key: string, member: string): Promise<boolean>;
  /** Number of members (ZCARD); 0 when the set does not exist. */
  sortedCount(key: string): Promise<number>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Raised when the store is unreachable or too slow; the core answers "temporarily unavailable". */
export class StoreUnavailableError extends Error {
  constructor(message = "state store unavailable", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/** The conversation lock stayed taken for the whole wait: another turn of it is still running. */
export class StoreBusyError extends StoreUnavailableError {
  constructor(message = "conversation busy") {
    super(message);
    this.name = "StoreBusyError";
  }
}

export type LoadResult =
  | { status: "found"; json: string }
  /** A conversation existed but its draft was wiped by the idle timeout; tell the melder once. */
  | { status: "expired" }
  | { status: "none" };

/**
 * What the conversation runtime uses for the chat's navigation record: keyed by HMAC, sealed at
 * rest, TTL on every write, one turn at a time per conversation, platform retries de-duplicated.
 *
 * @example
 * const conv = vault.keyFor("slack", teamId, userId); // an HMAC; the user id is not stored
 * await vault.withLock(conv, async () => {
 *   if (!(await vault.firstDelivery(conv, eventId))) return; // Slack retried
 *   const rec = await vault.load(conv);
 *   await vault.save(conv, JSON.stringify(next)); // sealed, with the idle TTL
 * });
 */
export interface ConversationVault {
  /** HMAC-SHA256(serverSecret, `${platform}:${tenant}:${user}`), hex. Never a raw id. */
  keyFor(platform: string, tenant: string, user: string): string;
  load(conversation: string): Promise<LoadResult>;
  /** Seals and writes the snapshot with the idle TTL. */
  save(conversation: string, json: string): Promise<void>;
  /** Renews the record's idle TTL without rewriting it (a form step keeps its chat alive). */
  touch(conversation: string): Promise<void>;
  /**
   * A MAC that binds a form's draft id to this conversation, so a form token cannot be
   * replayed by another melder. Keyed with the server secret; never stored.
   */
  bind(conversation: string, draftId: string): string;
  /** The store underneath, for the other records that share it (drafts, delivery queue). */
  readonly store: KeyValueStore;
  /** Removes every key of the conversation: draft, lock, de-duplication and timeout marker. */
  wipe(conversation: string): Promise<void>;
  /** Serialises turns of one conversation across processes; throws StoreUnavailableError on timeout. */
  withLock<T>(conversation: string, fn: () => Promise<T>): Promise<T>;
  /** True the first time this platform event id is seen for the conversation. */
  firstDelivery(conversation: string, eventId: string): Promise<boolean>;
  /** Idle TTL in milliseconds. */
  readonly idleTtlMs: number;
  ping(): Promise<void>;
  close(): Promise<void>;
}
