/**
 * Rate limits that every replica shares: counted in the state store, not in process memory, so
 * a client cannot multiply its allowance by the number of replicas behind the load balancer.
 *
 * Fixed windows. A client's count is one counter (INCR, atomic on every store) under
 *   rl:{<name>:<client key>:<window>}   (hash-tagged: one slot in a Redis Cluster)  TTL: the window
 * The client key is a keyed hash of the client's address and the window (the caller makes it with
 * the server secret), so the store never holds an address in readable form, and the keys of one
 * client in two windows cannot be linked without the secret. Exactly `limit` requests per window
 * get through, however many arrive at once and on however many replicas.
 */
import type { KeyValueStore } from "../store/types.ts";

export interface RateLimit {
  /** What is counted, e.g. "web-handoff"; part of the key. */
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window ends (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /**
   * Counts one request against `limit` for `client` (an opaque key from clientKey, or "all" for
   * a limit over every client together).
   */
  take(limit: RateLimit, client: string): Promise<RateDecision>;
  /** The current window's number (for clientKey: keys rotate with it). */
  window(limit: RateLimit): number;
  /** True when `client` has used up `limit` in this window already (counts nothing). */
  exhausted(limit: RateLimit, client: string): Promise<boolean>;
}

export function createRateLimiter(options: { store: KeyValueStore; now?: () => number }): RateLimiter {
  const { store } = options;
  const now = options.now ?? Date.now;
  const windowOf = (l: RateLimit) => Math.floor(now() / l.windowMs);
  const keyOf = (limit: RateLimit, client: string) => `rl:{${limit.name}:${client}:${windowOf(limit)}}`;
  return {
    window: windowOf,
    async exhausted(limit, client) {
      return Number((await store.get(keyOf(limit, client))) ?? 0) >= limit.limit;
    },
    async take(limit, client) {
      const window = windowOf(limit);
      const endsIn = (window + 1) * limit.windowMs - now();
      const refused = { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(endsIn / 1000)) };
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(limit.name) || !/^[A-Za-z0-9_-]{1,128}$/.test(client)) {
        throw new TypeError("rate limit name and client key must be short tokens");
      }
      const key = `rl:{${limit.name}:${client}:${window}}`;
      // The counter outlives its window by a little, so a count near the boundary never resets early.
      if ((await store.increment(key, endsIn + 1000)) > limit.limit) return refused;
      return { allowed: true, retryAfterSeconds: 0 };
    },
  };
}
