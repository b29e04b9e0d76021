import { assertOneHashSlot } from "./hash-tag.ts";
import { type KeyValueStore, StoreUnavailableError } from "./types.ts";

/**
 * In-process store for the demo and single-replica installs. Same semantics as the Redis store:
 * every entry has a TTL, expired entries are unreadable at once and swept in the background
 * so a quiet process does not keep stale ciphertext in memory.
 */

type Entry =
  | { value: string; expiresAt: number }
  | { members: Set<string>; expiresAt: number }
  | { scores: Map<string, number>; expiresAt: number };

export interface MemoryStoreOptions {
  /** Injectable clock (ms since epoch) for tests. */
  now?: () => number;
  /** How often expired entries are dropped; 0 disables the sweeper. */
  sweepIntervalMs?: number;
}

export class MemoryStore implements KeyValueStore {
  readonly kind = "memory" as const;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    const interval = options.sweepIntervalMs ?? 30_000;
    if (interval > 0) {
      this.#sweeper = setInterval(() => this.sweep(), interval);
      // A sweeper must never keep the process alive on its own.
      this.#sweeper.unref();
    }
  }

  /** Drops every expired entry; returns how many were dropped. */
  sweep(): number {
    const now = this.#now();
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  /** Number of live entries (for tests and metrics). */
  get size(): number {
    this.sweep();
    return this.#entries.size;
  }

  async get(key: string): Promise<string | null> {
    const entry = this.#live(key);
    if (!entry) return null;
    if (!("value" in entry)) throw new TypeError("memory store: key holds a set, not a string");
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#assertOpen();
    this.#entries.set(key, { value, expiresAt: this.#now() + checkTtl(ttlMs) });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.#assertOpen();
    const expiresAt = this.#now() + checkTtl(ttlMs);
    if (this.#live(key)) return false;
    this.#entries.set(key, { value, expiresAt });
    return true;
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const entry = this.#live(key);
    if (!entry || !("value" in entry) || entry.value !== value) return false;
    this.#entries.delete(key);
    return true;
  }

  async extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    const expiresAt = this.#now() + checkTtl(ttlMs);
    const entry = this.#live(key);
    if (!entry || !("value" in entry) || entry.value !== value) return false;
    entry.expiresAt = expiresAt;
    return true;
  }

  async delete(...keys: string[]): Promise<void> {
    this.#assertOpen();
    assertOneHashSlot(keys);
    for (const key of keys) this.#entries.delete(key);
  }

  async addToSet(key: string, member: string, ttlMs: number): Promise<boolean> {
    this.#assertOpen();
    const expiresAt = this.#now() + checkTtl(ttlMs);
    const entry = this.#live(key);
    if (entry && !("members" in entry)) throw new TypeError("memory store: key does not hold a set");
    if (!entry) {
      this.#entries.set(key, { members: new Set([member]), expiresAt });
      return true;
    }
    entry.expiresAt = expiresAt;
    if (entry.members.has(member)) return false;
    entry.members.add(member);
    return true;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    this.#assertOpen();
    const expiresAt = this.#now() + checkTtl(ttlMs);
    const entry = this.#live(key);
    if (!entry) {
      this.#entries.set(key, { value: "1", expiresAt });
      return 1;
    }
    if (!("value" in entry)) throw new TypeError("memory store: key does not hold a counter");
    const count = Number(entry.value);
    if (!Number.isSafeInteger(count)) throw new TypeError("memory store: key does not hold a counter");
    entry.value = String(count + 1);
    return count + 1;
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const expiresAt = this.#now() + checkTtl(ttlMs);
    const entry = this.#live(key);
    if (!entry) return false;
    entry.expiresAt = expiresAt;
    return true;
  }

  async sortedAdd(key: string, member: string, score: number, ttlMs: number): Promise<void> {
    this.#assertOpen();
    const expiresAt = this.#now() + checkTtl(ttlMs);
    if (!Number.isFinite(score)) throw new RangeError("sorted set score must be a finite number");
    const entry = this.#sorted(key);
    if (entry) {
      entry.scores.set(member, score);
      entry.expiresAt = expiresAt;
    } else {
      this.#entries.set(key, { scores: new Map([[member, score]]), expiresAt });
    }
  }

  async sortedUpTo(key: string, maxScore: number, limit: number): Promise<string[]> {
    const entry = this.#sorted(key);
    if (!entry) return [];
    return [...entry.scores]
      .filter(([, score]) => score <= maxScore)
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([member]) => member);
  }

  async sortedRemove(key: string, member: string): Promise<boolean> {
    const entry = this.#sorted(key);
    if (!entry) return false;
    const removed = entry.scores.delete(member);
    if (entry.scores.size === 0) this.#entries.delete(key);
    return removed;
  }

  async sortedCount(key: string): Promise<number> {
    return this.#sorted(key)?.scores.size ?? 0;
  }

  async ping(): Promise<void> {
    this.#assertOpen();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#entries.clear();
  }

  #live(key: string): Entry | undefined {
    this.#assertOpen();
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sorted(key: string): { scores: Map<string, number>; expiresAt: number } | undefined {
    const entry = this.#live(key);
    if (entry && !("scores" in entry)) throw new TypeError("memory store: key does not hold a sorted set");
    return entry;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreUnavailableError("memory store closed");
  }
}

function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0)
    throw new RangeError("store TTL must be a positive integer of ms");
  return ttlMs;
}
