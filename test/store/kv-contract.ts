import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { type KeyValueStore, StoreUnavailableError } from "../../src/store/types.ts";
import { rejection } from "./helpers.ts";

/** Behaviour both KeyValueStore implementations must share; written once, run against each. */
export function describeKeyValueContract(name: string, makeStore: () => Promise<KeyValueStore>): void {
  describe(`${name}: KeyValueStore contract`, () => {
    it("sets and gets a value, and misses an absent key", async () => {
      const store = await makeStore();
      await store.set("a", "one", 5000);
      expect(await store.get("a")).toBe("one");
      expect(await store.get("absent")).toBeNull();
      await store.close();
    });

    it("makes a value unreadable once its TTL has passed", async () => {
      const store = await makeStore();
      await store.set("short", "x", 150);
      expect(await store.get("short")).toBe("x");
      await sleep(300);
      expect(await store.get("short")).toBeNull();
      await store.close();
    });

    it("refuses a write without a positive TTL", async () => {
      const store = await makeStore();
      await expect(store.set("k", "v", 0)).rejects.toThrow(RangeError);
      await expect(store.setIfAbsent("k", "v", -5)).rejects.toThrow(RangeError);
      await expect(store.addToSet("k", "m", 1.5)).rejects.toThrow(RangeError);
      await store.close();
    });

    it("setIfAbsent only sets an absent key, and again after expiry", async () => {
      const store = await makeStore();
      expect(await store.setIfAbsent("nx", "first", 200)).toBe(true);
      expect(await store.setIfAbsent("nx", "second", 200)).toBe(false);
      expect(await store.get("nx")).toBe("first");
      await sleep(300);
      expect(await store.setIfAbsent("nx", "third", 200)).toBe(true);
      expect(await store.get("nx")).toBe("third");
      await store.close();
    });

    it("deleteIfEquals deletes only when the value matches", async () => {
      const store = await makeStore();
      await store.set("lock", "token-a", 5000);
      expect(await store.deleteIfEquals("lock", "token-b")).toBe(false);
      expect(await store.get("lock")).toBe("token-a");
      expect(await store.deleteIfEquals("lock", "token-a")).toBe(true);
      expect(await store.get("lock")).toBeNull();
      expect(await store.deleteIfEquals("lock", "token-a")).toBe(false);
      await store.close();
    });

    it("extendIfEquals renews the TTL only for the matching value", async () => {
      const store = await makeStore();
      await store.set("lease", "token-a", 200);
      expect(await store.extendIfEquals("lease", "token-b", 5000)).toBe(false);
      expect(await store.extendIfEquals("lease", "token-a", 5000)).toBe(true);
      await sleep(300);
      expect(await store.get("lease")).toBe("token-a");
      expect(await store.extendIfEquals("absent", "token-a", 5000)).toBe(false);
      expect(await store.get("absent")).toBeNull();
      await store.delete("lease");
      await store.close();
    });

    it("deletes several keys of one hash tag at once, absent ones included", async () => {
      const store = await makeStore();
      await store.set("d1:{conv}", "1", 5000);
      await store.set("d2:{conv}", "2", 5000);
      await store.delete("d1:{conv}", "d2:{conv}", "never-there:{conv}");
      await store.delete();
      expect(await store.get("d1:{conv}")).toBeNull();
      expect(await store.get("d2:{conv}")).toBeNull();
      await store.close();
    });

    it("refuses a multi-key delete across hash tags, and deletes nothing", async () => {
      const store = await makeStore();
      await store.set("x:{one}", "1", 5000);
      await store.set("x:{two}", "2", 5000);
      // Two Redis Cluster slots: one DEL could not be atomic there, so no store accepts it.
      for (const keys of [
        ["x:{one}", "x:{two}"],
        ["x:{one}", "untagged"],
        ["x:{one}", "x:{}"],
      ]) {
        await expect(store.delete(...keys)).rejects.toThrow(RangeError);
      }
      expect(await store.get("x:{one}")).toBe("1");
      expect(await store.get("x:{two}")).toBe("2");
      // The same key twice, or one key, is one slot.
      await store.delete("x:{one}", "x:{one}");
      await store.delete("x:{two}");
      expect(await store.get("x:{one}")).toBeNull();
      expect(await store.get("x:{two}")).toBeNull();
      await store.close();
    });

    it("addToSet reports new members once and expires the whole set", async () => {
      const store = await makeStore();
      expect(await store.addToSet("set", "m1", 250)).toBe(true);
      expect(await store.addToSet("set", "m1", 250)).toBe(false);
      expect(await store.addToSet("set", "m2", 250)).toBe(true);
      await sleep(400);
      expect(await store.addToSet("set", "m1", 250)).toBe(true);
      await store.delete("set");
      expect(await store.addToSet("set", "m1", 250)).toBe(true);
      await store.delete("set");
      await store.close();
    });

    it("increment counts atomically, sets the TTL once, and starts again after expiry", async () => {
      const store = await makeStore();
      const counts = await Promise.all(Array.from({ length: 10 }, () => store.increment("counter", 800)));
      expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Later increments do not push the expiry out: a window ends when it ends.
      await sleep(300);
      expect(await store.increment("counter", 800)).toBe(11);
      await sleep(700);
      expect(await store.increment("counter", 800)).toBe(1);
      await expect(store.increment("counter", 0)).rejects.toThrow(RangeError);
      await store.delete("counter");
      await store.close();
    });

    it("setIfAbsent has exactly one winner among concurrent callers", async () => {
      const store = await makeStore();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.setIfAbsent("race", `t${i}`, 5000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await store.delete("race");
      await store.close();
    });

    it("pings while open and fails with StoreUnavailableError once closed", async () => {
      const store = await makeStore();
      await store.ping();
      await store.close();
      expect(await rejection(store.get("a"))).toBeInstanceOf(StoreUnavailableError);
      expect(await rejection(store.ping())).toBeInstanceOf(StoreUnavailableError);
      await store.close();
    });

    it("expire resets the TTL of an existing key only", async () => {
      const store = await makeStore();
      await store.set("e", "v", 200);
      expect(await store.expire("e", 5000)).toBe(true);
      await sleep(300);
      expect(await store.get("e")).toBe("v");
      expect(await store.expire("absent", 5000)).toBe(false);
      await store.close();
    });

    it("keeps a sorted set ordered by score, with a TTL on the whole set", async () => {
      const store = await makeStore();
      await store.sortedAdd("q", "late", 30, 5000);
      await store.sortedAdd("q", "early", 10, 5000);
      await store.sortedAdd("q", "middle", 20, 5000);
      expect(await store.sortedUpTo("q", 25, 10)).toEqual(["early", "middle"]);
      expect(await store.sortedUpTo("q", 100, 1)).toEqual(["early"]);
      expect(await store.sortedCount("q")).toBe(3);
      await store.sortedAdd("q", "early", 40, 5000);
      expect(await store.sortedUpTo("q", 100, 10)).toEqual(["middle", "late", "early"]);
      expect(await store.sortedRemove("q", "middle")).toBe(true);
      expect(await store.sortedRemove("q", "middle")).toBe(false);
      expect(await store.sortedCount("q")).toBe(2);
      expect(await store.sortedCount("none")).toBe(0);
      expect(await store.sortedUpTo("none", 100, 10)).toEqual([]);
      await store.sortedAdd("short", "m", 1, 150);
      await sleep(300);
      expect(await store.sortedCount("short")).toBe(0);
      await expect(store.sortedAdd("q", "m", 1, 0)).rejects.toThrow(RangeError);
      await store.close();
    });
  });
}
