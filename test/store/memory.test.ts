import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory.ts";
import { describeKeyValueContract } from "./kv-contract.ts";
import { describeVaultContract } from "./vault-contract.ts";

describeKeyValueContract("MemoryStore", async () => new MemoryStore());

describeVaultContract("MemoryStore", async () => {
  // In one process both "processes" share the same map.
  const store = new MemoryStore();
  return { a: store, b: store, cleanup: () => store.close() };
});

describe("MemoryStore specifics", () => {
  it("uses the injected clock for expiry and sweeps expired entries", async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: 0 });
    await store.set("a", "1", 1000);
    await store.addToSet("s", "m", 3000);
    expect(store.size).toBe(2);
    now += 999;
    expect(await store.get("a")).toBe("1");
    now += 1;
    expect(await store.get("a")).toBeNull();
    expect(store.sweep()).toBe(0);
    now += 2000;
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(0);
    await store.close();
  });

  it("sweeps in the background without keeping the process alive", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 20 });
    await store.set("a", "1", 10);
    await new Promise((resolve) => setTimeout(resolve, 80));
    // The background sweeper already dropped it, so a manual sweep finds nothing left.
    expect(store.sweep()).toBe(0);
    await store.close();
  });

  it("addToSet renews the set's TTL", async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: 0 });
    await store.addToSet("s", "m1", 100);
    now = 90;
    await store.addToSet("s", "m2", 100);
    now = 150;
    expect(await store.addToSet("s", "m1", 100)).toBe(false);
    await store.close();
  });
});
