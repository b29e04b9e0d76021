/**
 * The delivery worker: every replica runs one. It takes due handoffs from the queue under a
 * lease, hands the ciphertext to the counsellor's transport with bounded retries and backoff,
 * and records the outcome. A handoff whose worker died is taken over when its lease runs out;
 * after `maxClaims` takeovers, or when the transport finally refuses, it is marked failed:
 * visible to the admin (`vertrouwd doctor`, `/readyz`, `vertrouwd queue`, an error log line),
 * kept for `vertrouwd queue retry`, never silently dropped.
 */
import type { Logger } from "../log/logger.ts";
import { faultPoint } from "../resilience/faults.ts";
import { type Claim, type DeliveryQueue, QUEUE_DEFAULTS } from "./queue.ts";
import { DeliveryFailedError, type RetryPolicy, deliverWithRetry } from "./retry.ts";
import type { Transport } from "./transport.ts";

export interface WorkerDeps {
  queue: DeliveryQueue;
  /** The transport and retry policy for a counsellor; undefined when the counsellor is gone. */
  route(counsellorId: string): { transport: Transport; policy: RetryPolicy } | undefined;
  logger: Logger;
  /** How often the queue is looked at (default 1 s). */
  pollMs?: number;
  /** Takeovers after which a handoff is marked failed (default 3). */
  maxClaims?: number;
  /** The queue's lease length (renewed at a third of it). */
  leaseMs?: number;
  /** Called after every outcome (metrics). */
  onOutcome?: (outcome: "delivered" | "failed", queuedForMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryWorker {
  start(): void;
  /** One pass over what is due; resolves when those deliveries ended. */
  runOnce(): Promise<number>;
  /**
   * Stops taking new work; deliveries in flight get `graceMs` to finish, then are cancelled and
   * their leases released, so another replica takes them over at once.
   */
  stop(graceMs?: number): Promise<void>;
  readonly busy: number;
}

export function createDeliveryWorker(deps: WorkerDeps): DeliveryWorker {
  const { queue, logger } = deps;
  const pollMs = deps.pollMs ?? 1000;
  const maxClaims = deps.maxClaims ?? 3;
  const leaseMs = deps.leaseMs ?? QUEUE_DEFAULTS.leaseMs;
  const inFlight = new Map<string, { done: Promise<void>; abort: AbortController }>();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let passing: Promise<number> | undefined;

  async function deliver(claim: Claim): Promise<void> {
    const { item } = claim;
    const abort = new AbortController();
    const route = deps.route(item.counsellorId);
    // The lease is renewed at a third of its length while a slow delivery retries.
    const renewal = setInterval(
      () => void claim.renew().catch(() => undefined),
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    const work = (async () => {
      try {
        if (!route) {
          logger.error({ event: "delivery.failed_final", reason: "counsellor no longer configured" });
          await queue.failed(item.caseId, "counsellor no longer configured");
          deps.onOutcome?.("failed", Date.now() - item.queuedAt);
          return;
        }
        if (item.claims > maxClaims) {
          logger.error({
            event: "delivery.failed_final",
            counsellor: item.counsellorId,
            reason: `taken over ${item.claims - 1} times without an outcome`,
          });
          await queue.failed(item.caseId, `taken over ${item.claims - 1} times without an outcome`);
          deps.onOutcome?.("failed", Date.now() - item.queuedAt);
          return;
        }
        await deliverWithRetry(route.transport, item, route.policy, {
          logger,
          signal: abort.signal,
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
        });
        faultPoint("after-transport");
        await queue.delivered(item.caseId);
        logger.info({ event: "delivery.delivered" });
        deps.onOutcome?.("delivered", Date.now() - item.queuedAt);
      } catch (err) {
        if (abort.signal.aborted) {
          // Shutting down: leave it queued; the lease is released below for another replica.
          logger.info({ event: "delivery.handed_over" });
          return;
        }
        // Admin-facing and never silent. The counsellor is named so the admin can act on the
        // right transport; this is the one log line that says which counsellor was chosen,
        // and only when delivery to them is broken (docs/privacy.md).
        const reason = err instanceof DeliveryFailedError ? err.message : "unexpected error";
        logger.error({ event: "delivery.failed_final", counsellor: item.counsellorId, reason });
        await queue.failed(item.caseId, reason).catch(() => undefined);
        deps.onOutcome?.("failed", Date.now() - item.queuedAt);
      } finally {
        clearInterval(renewal);
        await claim.release().catch(() => undefined);
      }
    })();
    inFlight.set(item.caseId, { done: work, abort });
    await work;
    inFlight.delete(item.caseId);
  }

  async function pass(): Promise<number> {
    let started = 0;
    const runs: Promise<void>[] = [];
    for (const caseId of await queue.due(20)) {
      if (stopping) break;
      if (inFlight.has(caseId)) continue;
      const claim = await queue.claim(caseId);
      if (!claim) continue;
      started++;
      runs.push(deliver(claim));
    }
    await Promise.all(runs);
    return started;
  }

  function schedule(): void {
    if (stopping) return;
    timer = setTimeout(() => {
      passing = pass()
        .catch((err: unknown) => {
          // A store outage: try again next round; queued ciphertext is safe where it is.
          logger.warn({
            event: "delivery.poll_failed",
            errorType: err instanceof Error ? err.name : "unknown",
          });
          return 0;
        })
        .finally(() => {
          passing = undefined;
          schedule();
        });
    }, pollMs);
    timer.unref();
  }

  return {
    start() {
      stopping = false;
      schedule();
    },
    runOnce: () => pass(),
    async stop(graceMs = 10_000) {
      stopping = true;
      if (timer) clearTimeout(timer);
      const pending = [...inFlight.values()];
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.all(pending.map((p) => p.done)), grace]);
      for (const p of inFlight.values()) p.abort.abort();
      await Promise.all([...inFlight.values()].map((p) => p.done.catch(() => undefined)));
      await passing?.catch(() => undefined);
    },
    get busy() {
      return inFlight.size;
    },
  };
}
