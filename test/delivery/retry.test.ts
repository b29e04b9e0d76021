import { describe, expect, it, vi } from "vitest";
import { DeliveryFailedError, backoffDelay, deliverWithRetry } from "../../src/delivery/retry.ts";
import { DeliveryError, type SealedHandoff, type Transport } from "../../src/delivery/transport.ts";
import { CANARY, fakeSealed, memoryLogger, recordingSleep } from "./fixtures.ts";

/** A transport that plays back a script of outcomes and records what it was handed. */
function scripted(outcomes: Array<Error | "ok">) {
  const seen: SealedHandoff[] = [];
  const transport: Transport = {
    kind: "webhook",
    async deliver(handoff) {
      seen.push(handoff);
      const next = outcomes.shift() ?? "ok";
      if (next === "ok") return { transport: "webhook", reference: "HTTP 200" };
      throw next;
    },
    async check() {
      return [];
    },
  };
  return { transport, seen };
}

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
const temporary = () => new DeliveryError("webhook receiver answered HTTP 503", { retryable: true });

describe("deliverWithRetry", () => {
  it("retries temporary failures with capped, fully jittered exponential backoff", async () => {
    const { transport, seen } = scripted([temporary(), temporary(), temporary(), "ok"]);
    const { delays, sleep } = recordingSleep();
    const onAttempt = vi.fn();
    const handoff = fakeSealed();
    const confirmation = await deliverWithRetry(transport, handoff, policy, {
      sleep,
      random: () => 0.5,
      onAttempt,
    });
    expect(confirmation.reference).toBe("HTTP 200");
    expect(delays).toEqual([50, 100, 200]);
    expect(onAttempt.mock.calls).toEqual([[1], [2], [3], [4]]);
    expect(seen.every((h) => h === handoff)).toBe(true);
  });

  it("caps the backoff ceiling at maxDelayMs", () => {
    const p = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(p, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(p, 8, () => 0.999)).toBe(999);
    expect(backoffDelay(p, 8, () => 0)).toBe(0);
  });

  it("stops at once on a non-retryable error", async () => {
    const { transport, seen } = scripted([
      new DeliveryError("webhook receiver answered HTTP 400", { retryable: false }),
    ]);
    const { delays, sleep } = recordingSleep();
    const error = (await deliverWithRetry(transport, fakeSealed(), policy, { sleep }).catch(
      (e: unknown) => e,
    )) as DeliveryFailedError | undefined;
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error?.attempts).toBe(1);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toBe(
      "delivery via webhook failed after 1 attempt: webhook receiver answered HTTP 400",
    );
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("gives up after the configured attempts with the last reason", async () => {
    const { transport, seen } = scripted([temporary(), temporary(), temporary(), temporary(), "ok"]);
    const { delays, sleep } = recordingSleep();
    const error = (await deliverWithRetry(transport, fakeSealed(), policy, { sleep, random: () => 0 }).catch(
      (e: unknown) => e,
    )) as DeliveryFailedError;
    expect(error.attempts).toBe(4);
    expect(error.reason).toBe("webhook receiver answered HTTP 503");
    expect(error.retryable).toBe(true);
    expect(seen).toHaveLength(4);
    expect(delays).toEqual([0, 0, 0]);
  });

  it("waits at least Retry-After, and stops when the server asks for more than maxDelayMs", async () => {
    const { transport } = scripted([
      new DeliveryError("slack conversations.open was rate limited", { retryable: true, retryAfterMs: 700 }),
      new DeliveryError("slack conversations.open was rate limited", { retryable: true, retryAfterMs: 5000 }),
    ]);
    const { delays, sleep } = recordingSleep();
    const error = (await deliverWithRetry(transport, fakeSealed(), policy, {
      sleep,
      random: () => 0.5,
    }).catch((e: unknown) => e)) as DeliveryFailedError;
    expect(delays).toEqual([700]);
    expect(error.attempts).toBe(2);
    expect(error.message).toBe(
      "delivery via webhook failed after 2 attempts: slack conversations.open was rate limited; server asked to wait 5s, beyond the retry budget",
    );
  });

  it("never repeats a foreign error's message (it may quote user data)", async () => {
    const { transport } = scripted([new TypeError(`cannot read ${CANARY}`)]);
    const { logger, lines } = memoryLogger();
    const error = (await deliverWithRetry(transport, fakeSealed(), policy, { logger }).catch(
      (e: unknown) => e,
    )) as DeliveryFailedError;
    expect(error.message).toBe(
      "delivery via webhook failed after 1 attempt: unexpected TypeError in transport",
    );
    expect(lines().join("\n")).not.toContain(CANARY);
  });

  it("logs event names, attempts, delays and outcomes — never the ciphertext or case id", async () => {
    const { transport } = scripted([
      new DeliveryError("webhook receiver answered HTTP 429", { retryable: true, retryAfterMs: 300 }),
      "ok",
    ]);
    const { logger, lines } = memoryLogger();
    const handoff = fakeSealed();
    await deliverWithRetry(transport, handoff, policy, {
      logger,
      sleep: recordingSleep().sleep,
      random: () => 0,
    });
    const events = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual([
      "handoff.delivery.attempt",
      "handoff.delivery.retry_scheduled",
      "handoff.delivery.attempt",
      "handoff.delivery.confirmed",
    ]);
    expect(events[1]).toMatchObject({ transport: "webhook", attempt: 1, delayMs: 300, retryAfterMs: 300 });
    const all = lines().join("\n");
    expect(all).not.toContain("BEGIN PGP");
    expect(all).not.toContain(handoff.caseId);
    expect(all).not.toContain(handoff.sha256);
  });

  it("stops between attempts when cancelled", async () => {
    const { transport, seen } = scripted([temporary(), temporary()]);
    const controller = new AbortController();
    const error = (await deliverWithRetry(transport, fakeSealed(), policy, {
      signal: controller.signal,
      sleep: async () => controller.abort(),
    }).catch((e: unknown) => e)) as DeliveryFailedError;
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error.message).toMatch(/cancelled before the next attempt$/);
  });

  it("uses real timers by default (checked with fake timers)", async () => {
    vi.useFakeTimers();
    try {
      const { transport, seen } = scripted([temporary(), "ok"]);
      const done = deliverWithRetry(transport, fakeSealed(), policy, { random: () => 0.99 });
      await vi.advanceTimersByTimeAsync(98);
      expect(seen).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(done).resolves.toMatchObject({ reference: "HTTP 200" });
      expect(seen).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
