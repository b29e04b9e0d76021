/**
 * Rate limits that every replica shares: counted in the state store, not in process memory, so
 * a client cannot multiply its allowance by the number of replicas behind the load balancer.
 *
 * Fixed windows. A client's count lives in a sorted set under
 *   rl:{<name>:<client key>:<window>}   (hash-tagged: one slot in a Redis Cluster)  TTL: the window
 * whose members are random ids. The client key is a keyed hash of the client's address and the
 * window (see clientKey), so the store never holds an address in readable form, and the keys of
 * one client in two windows cannot be linked without the server secret.
 *
 * Every request first counts what is there (refused at the limit, without adding to it: a flood
 * cannot grow the set), then adds itself and counts again. Two requests racing for the last place
 * may both be refused; none is ever allowed past the limit.
 */
import { randomBytes } from "node:crypto";
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
}

export function createRateLimiter(options: { store: KeyValueStore; now?: () => number }): RateLimiter {
  const { store } = options;
  const now = options.now ?? Date.now;
  const windowOf = (l: RateLimit) => Math.floor(now() / l.windowMs);
  return {
    window: windowOf,
    async take(limit, client) {
      const window = windowOf(limit);
      const endsIn = (window + 1) * limit.windowMs - now();
      const refused = { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(endsIn / 1000)) };
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(limit.name) || !/^[A-Za-z0-9_-]{1,128}$/.test(client)) {
        throw new TypeError("rate limit name and client key must be short tokens");
      }
      const key = `rl:{${limit.name}:${client}:${window}}`;
      if ((await store.sortedCount(key)) >= limit.limit) return refused;
      // The set outlives its window by a little, so a count near the boundary never sees it gone early.
      await store.sortedAdd(key, randomBytes(8).toString("hex"), now(), endsIn + 1000);
      if ((await store.sortedCount(key)) > limit.limit) return refused;
      return { allowed: true, retryAfterSeconds: 0 };
    },
  };
}
