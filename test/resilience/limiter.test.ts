import { describe, expect, it } from "vitest";
import { TurnQueueFullError, createLimiter } from "../../src/resilience/limiter.ts";

const deferred = () => {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("turn limiter", () => {
  it("runs at most N at once, in arrival order, and refuses beyond the waiting bound", async () => {
    const limiter = createLimiter(2, 2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limiter.waiting).toBe(2);
    await expect(limiter.run(async () => 9)).rejects.toBeInstanceOf(TurnQueueFullError);
    gates[1]!.resolve();
    await runs[1];
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(limiter.active).toBe(0);
  });

  it("starts a turn with a deadline (first) before the turns waiting without one", async () => {
    const limiter = createLimiter(1, 10);
    const gate = deferred();
    const started: string[] = [];
    const turn = (name: string, first = false) =>
      limiter.run(
        async () => {
          started.push(name);
          if (name === "running") await gate.promise;
        },
        { first },
      );
    const runs = [
      turn("running"),
      turn("a"),
      turn("b"),
      turn("open-form-1", true),
      turn("open-form-2", true),
    ];
    await Promise.resolve();
    expect(limiter.waiting).toBe(4);
    gate.resolve();
    await Promise.all(runs);
    expect(started).toEqual(["running", "open-form-1", "open-form-2", "a", "b"]);
  });

  it("frees the slot when a turn throws", async () => {
    const limiter = createLimiter(1, 1);
    await expect(limiter.run(async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await limiter.run(async () => 1)).toBe(1);
    expect(limiter.active).toBe(0);
  });
});
