/**
 * Connector I/O (adapters/teams/connector.ts) through the real adapter over HTTP: bounded retries
 * on 429 (honouring Retry-After), 412, 502 and 504, nothing else retried, never past the turn's
 * deadline; the SDK's own retry policy is off so retries never multiply.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RETRYABLE_STATUS, retryAfterOf, statusOf } from "../../../adapters/teams/connector.ts";
import { type Bench, Melder, startBench } from "./harness.ts";

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
});
afterAll(async () => bench?.close());
afterEach(() => {
  expect(bench.clearFailures(), "every queued failure was consumed").toBe(0);
});

const events = (b: Bench, from: number, name: string) =>
  b.logs
    .slice(from)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.event === name);
const statuses = (r: { calls: { method: string; status: number }[] }) =>
  r.calls.map((c) => `${c.method} ${c.status}`);

describe("connector retries (serve's defaults: 4 attempts, 250 ms base, 3 s cap)", () => {
  it("waits out a 429's Retry-After once, then delivers the card", async () => {
    const m = new Melder(bench);
    const logsFrom = bench.logs.length;
    bench.failNext({ status: 429, headers: { "retry-after": "1" } });
    const started = Date.now();
    const res = await m.install();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    // Exactly two attempts: the SDK's own retry policy did not add any.
    expect(statuses(res)).toEqual(["POST 429", "POST 201"]);
    expect(res.calls[1]!.at - res.calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(events(bench, logsFrom, "teams.connector.retry")).toEqual([
      expect.objectContaining({ op: "send", status: 429, attempt: 1, delayMs: expect.any(Number) }),
    ]);
    expect(Number(events(bench, logsFrom, "teams.connector.retry")[0]?.delayMs)).toBeGreaterThanOrEqual(1000);
    expect(events(bench, 0, "teams.connector.sdkRetryPolicyNotFound")).toEqual([]);
  });

  it("retries 412 and 502 on the card update, and 504 on the send", async () => {
    const m = new Melder(bench);
    await m.install();
    // A click first collapses the answered card (PUT), then sends the next one (POST).
    bench.failNext({ status: 412 }, { status: 502 }, { status: 200 }, { status: 504 });
    const res = await m.click("continue");
    expect(res.status).toBe(200);
    expect(statuses(res)).toEqual(["PUT 412", "PUT 502", "PUT 200", "POST 504", "POST 201"]);
    expect(m.last().choices()).toContain("ack");
  });

  it("gives up after four attempts, and then tells the melder once, best effort", async () => {
    const m = new Melder(bench);
    const logsFrom = bench.logs.length;
    bench.failNext({ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
    const started = Date.now();
    const res = await m.install();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(statuses(res)).toEqual(["POST 502", "POST 502", "POST 502", "POST 502", "POST 201"]);
    // The last call is the plain-text notice, not the card.
    expect(res.calls[4]?.body?.text).toContain("lukt nu even niet");
    expect(events(bench, logsFrom, "teams.connector.failed")).toEqual([
      expect.objectContaining({ op: "send", status: 502 }),
    ]);
    expect(events(bench, logsFrom, "teams.turn.error")).toEqual([
      expect.objectContaining({ op: "send", status: 502 }),
    ]);
  });

  it("does not retry what a retry cannot fix (400, 403, 404, 500)", async () => {
    for (const status of [400, 403, 404, 500]) {
      const m = new Melder(bench);
      bench.failNext({ status });
      const res = await m.install();
      expect(res.status).toBe(200);
      expect(statuses(res), String(status)).toEqual([`POST ${status}`, "POST 201"]);
    }
    expect([...RETRYABLE_STATUS].sort()).toEqual([412, 429, 502, 504]);
  });

  it("stops at once when Retry-After asks for longer than it may wait", async () => {
    const m = new Melder(bench);
    bench.failNext({ status: 429, headers: { "retry-after": "120" } });
    const started = Date.now();
    const res = await m.install();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(statuses(res)).toEqual(["POST 429", "POST 201"]);
  });
});

describe("the turn's deadline", () => {
  let tight: Bench;
  beforeAll(async () => {
    tight = await startBench({
      adapter: {
        retry: { attempts: 10, baseDelayMs: 400, maxDelayMs: 1_000 },
        turnBudgetMs: 1_200,
        invokeBudgetMs: 800,
      },
    });
  });
  afterAll(async () => tight?.close());

  it("never starts a retry that would end past a message turn's deadline", async () => {
    const m = new Melder(tight);
    tight.failNext(...Array.from({ length: 10 }, () => ({ status: 502 })));
    const started = Date.now();
    const res = await m.install();
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(took).toBeLessThan(1_200 + 500);
    const attempts = res.calls.filter((c) => c.status === 502).length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThan(10);
    // Whatever is left of the queued failures met the best-effort notice or nothing at all.
    tight.clearFailures();
  });

  it("opens the dialog in time even when the chat cannot be updated", async () => {
    const m = new Melder(tight);
    await m.install();
    await m.click("continue");
    await m.click("ack");
    tight.failNext(...Array.from({ length: 10 }, () => ({ status: 429, headers: { "retry-after": "0.5" } })));
    const started = Date.now();
    const res = await m.open();
    expect(Date.now() - started).toBeLessThan(800 + 600);
    expect(res.status).toBe(200);
    expect(res.dialog?.options()).toEqual(["report", "contact"]);
    tight.clearFailures();
  });
});

describe("reading connector failures", () => {
  const fail = (status: number, headers: Record<string, string> = {}) =>
    Object.assign(new Error("x"), {
      statusCode: status,
      response: { status, headers: new Headers(headers) },
    });

  it("finds the status on any layer of the SDK's error", () => {
    expect(statusOf(fail(429))).toBe(429);
    expect(statusOf({ response: { status: 502 } })).toBe(502);
    expect(statusOf({ status: 504 })).toBe(504);
    expect(statusOf(new Error("socket hang up"))).toBeUndefined();
    expect(statusOf(undefined)).toBeUndefined();
  });

  it("reads Retry-After as seconds or as an HTTP date, from a Headers object or a plain one", () => {
    expect(retryAfterOf(fail(429, { "retry-after": "3" }), 0)).toBe(3_000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterOf(fail(429, { "retry-after": "Thu, 01 Jan 2026 00:00:02 GMT" }), now)).toBe(2_000);
    expect(retryAfterOf({ response: { headers: { "retry-after": "1.5" } } }, 0)).toBe(1_500);
    expect(retryAfterOf(fail(429), now)).toBeUndefined();
    expect(retryAfterOf(fail(429, { "retry-after": "soon" }), now)).toBeUndefined();
  });
});
