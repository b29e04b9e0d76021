/** Connector calls retry 429/412/502/504 within bounds, honouring Retry-After. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryAfterOf, withConnectorRetry } from "../../../adapters/teams/retry.ts";
import { type Bench, TeamsUser, lastCard, startBench } from "./harness.ts";

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
});
afterAll(async () => bench?.close());

describe("connector retries over HTTP", () => {
  it("retries a 429 after the Retry-After delay and then delivers the card", async () => {
    const user = new TeamsUser(bench);
    const before = bench.calls.length;
    bench.failNext({ status: 429, headers: { "retry-after": "1" } });
    const started = Date.now();
    expect((await bench.post(user.install())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const posts = bench.calls.slice(before).filter((c) => c.method === "POST");
    expect(posts.map((c) => c.status)).toEqual([429, 201]);
    expect(bench.logs.join("")).toContain('"event":"teams.connector.retry"');
  });

  it("retries 502, 504 and a 412 on the card update", async () => {
    const user = new TeamsUser(bench);
    await bench.post(user.install());
    const card = lastCard(bench);
    const before = bench.calls.length;
    // The click first updates the answered card (412, then 502), then sends the next card (504).
    bench.failNext({ status: 412 }, { status: 502 });
    const res = await bench.post(user.click(card, "continue"));
    expect(res.status).toBe(200);
    const calls = bench.calls.slice(before).map((c) => `${c.method} ${c.status}`);
    expect(calls).toEqual(["PUT 412", "PUT 502", "PUT 200", "POST 201"]);
    bench.failNext({ status: 504 });
    const next = lastCard(bench);
    const from = bench.calls.length;
    await bench.post(user.click(next, "ack"));
    expect(bench.calls.slice(from).map((c) => `${c.method} ${c.status}`)).toEqual([
      "PUT 504",
      "PUT 200",
      "POST 201",
    ]);
  });

  it("gives up after a bounded number of attempts and does not retry a 400", async () => {
    const user = new TeamsUser(bench);
    const before = bench.calls.length;
    bench.failNext({ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
    expect((await bench.post(user.install())).status).toBe(200);
    // Four attempts at the card, then the best-effort "temporarily unavailable" notice gets through.
    expect(bench.calls.slice(before).map((c) => c.status)).toEqual([502, 502, 502, 502, 201]);
    expect(bench.logs.join("")).toContain('"event":"teams.turn.error"');

    const other = new TeamsUser(bench);
    const from = bench.calls.length;
    bench.failNext({ status: 400 });
    await bench.post(other.install());
    // One failed send; the best-effort error notice is a second, successful one.
    expect(bench.calls.slice(from).map((c) => c.status)).toEqual([400, 201]);
  });
});

describe("withConnectorRetry", () => {
  const fail = (status: number, headers: Record<string, string> = {}) =>
    Object.assign(new Error("x"), {
      statusCode: status,
      response: { status, headers: new Map(Object.entries(headers)) },
    });

  it("caps Retry-After and stops at the deadline", async () => {
    const sleeps: number[] = [];
    let n = 0;
    const now = 1_000_000;
    await expect(
      withConnectorRetry(
        async () => {
          n++;
          throw fail(429, { "retry-after": "120" });
        },
        {
          attempts: 5,
          baseDelayMs: 10,
          maxDelayMs: 2_000,
          deadline: now + 3_000,
          now: () => now,
          sleep: async (ms) => void sleeps.push(ms),
        },
      ),
    ).rejects.toThrow();
    // 2 s each (capped) fits the 3 s deadline only while now() stands still: all 4 retries, each capped.
    expect(sleeps.every((ms) => ms <= 2_000)).toBe(true);
    expect(n).toBe(5);
  });

  it("does not start a retry that would end past the deadline", async () => {
    let n = 0;
    await expect(
      withConnectorRetry(
        async () => {
          n++;
          throw fail(504, { "retry-after": "5" });
        },
        {
          attempts: 5,
          baseDelayMs: 10,
          maxDelayMs: 10_000,
          deadline: Date.now() + 1_000,
          sleep: async () => undefined,
        },
      ),
    ).rejects.toThrow();
    expect(n).toBe(1);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(retryAfterOf(fail(429, { "retry-after": "3" }), 0)).toBe(3_000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterOf(fail(429, { "retry-after": "Thu, 01 Jan 2026 00:00:02 GMT" }), now)).toBe(2_000);
    expect(retryAfterOf(fail(429), now)).toBeUndefined();
  });
});
