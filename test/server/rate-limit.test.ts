/**
 * The shared rate limiter: fixed windows counted in the state store (here the memory store; the
 * web API test runs it on Redis across two replicas), never past the limit, refused requests not
 * counted, a new window starting fresh, and every key with a TTL.
 */
import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../src/server/rate-limit.ts";
import { MemoryStore } from "../../src/store/memory.ts";

const LIMIT = { name: "test", limit: 3, windowMs: 60_000 };

describe("rate limiter", () => {
  it("allows the limit, refuses the rest with the seconds to the window's end, and starts fresh after it", async () => {
    let now = 1_000_000_040_000;
    const limiter = createRateLimiter({ store: new MemoryStore(), now: () => now });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.take(LIMIT, "client-a"));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[3]?.retryAfterSeconds).toBe(40);
    // Another client has its own count.
    expect((await limiter.take(LIMIT, "client-b")).allowed).toBe(true);
    now += 40_000;
    expect((await limiter.take(LIMIT, "client-a")).allowed).toBe(true);
  });

  it("never lets more than the limit through, however many arrive at once", async () => {
    const limiter = createRateLimiter({ store: new MemoryStore() });
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.take(LIMIT, "burst")));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
  });

  it("keeps one counter per client and window, which expires with the window", async () => {
    let now = 1_000_000_040_000;
    const store = new MemoryStore({ now: () => now });
    const limiter = createRateLimiter({ store, now: () => now });
    for (let i = 0; i < 20; i++) await limiter.take(LIMIT, "flood");
    const key = `rl:{test:flood:${limiter.window(LIMIT)}}`;
    expect(await store.get(key)).toBe("20");
    now += 41_001;
    expect(await store.get(key)).toBeNull();
  });

  it("takes only short tokens as names and client keys", async () => {
    const limiter = createRateLimiter({ store: new MemoryStore() });
    await expect(limiter.take(LIMIT, "10.0.0.1")).rejects.toThrow(TypeError);
    await expect(limiter.take({ ...LIMIT, name: "a b" }, "x")).rejects.toThrow(TypeError);
  });
});
