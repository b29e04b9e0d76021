import type { Logger } from "../log/logger.ts";
import { type DeliveryConfirmation, DeliveryError, type SealedHandoff, type Transport } from "./transport.ts";

export interface RetryPolicy {
  /** Total tries, the first one included. */
  attempts: number;
  baseDelayMs: number;
  /** Longest single wait. A server asking for more (Retry-After) ends the loop instead. */
  maxDelayMs: number;
}

/** Same values as the config schema's defaults. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface RetryDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: Logger;
  onAttempt?: (attempt: number) => void;
  /** Cancels the loop (between attempts and inside a transport that honours it). */
  signal?: AbortSignal;
}

/**
 * The final word on a delivery that did not get through. Admin-facing: the reason is one of our
 * own transport messages (status codes, error codes), never report or melder data.
 */
export class DeliveryFailedError extends Error {
  readonly transport: string;
  readonly attempts: number;
  readonly reason: string;
  /** Whether the last failure was of a temporary kind (a later, fresh try may succeed). */
  readonly retryable: boolean;

  constructor(transport: string, attempts: number, reason: string, retryable: boolean, cause?: unknown) {
    super(
      `delivery via ${transport} failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${reason}`,
      { cause },
    );
    this.name = "DeliveryFailedError";
    this.transport = transport;
    this.attempts = attempts;
    this.reason = reason;
    this.retryable = retryable;
  }
}

/** Capped exponential backoff with full jitter: a uniform wait in [0, min(max, base·2^(n-1))). */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Delivers with bounded retries. Every attempt sends the same handoff (same case id, so the far
 * side can de-duplicate). Non-retryable errors stop at once. A Retry-After is honoured as a
 * lower bound on the wait; one longer than maxDelayMs cannot be honoured within the policy, so
 * the loop stops rather than hammering a server that asked us to wait.
 */
export async function deliverWithRetry(
  transport: Transport,
  handoff: SealedHandoff,
  policy: RetryPolicy,
  deps: RetryDeps = {},
): Promise<DeliveryConfirmation> {
  validatePolicy(policy);
  const sleep = deps.sleep ?? ((ms: number) => abortableSleep(ms, deps.signal));
  const random = deps.random ?? Math.random;
  const log = deps.logger?.child({ transport: transport.kind });

  for (let attempt = 1; ; attempt++) {
    deps.onAttempt?.(attempt);
    log?.debug({ event: "handoff.delivery.attempt", attempt, attempts: policy.attempts });
    const started = Date.now();
    let failure: DeliveryError;
    try {
      const confirmation = await transport.deliver(handoff, deps.signal);
      // Debug only: at info level a per-delivery line naming the transport would tell which
      // counsellor was chosen whenever counsellors use different transports.
      log?.debug({ event: "handoff.delivery.confirmed", attempt, durationMs: Date.now() - started });
      return confirmation;
    } catch (err) {
      failure = asDeliveryError(err);
    }

    const fail = (reason: string): never => {
      log?.warn({
        event: "handoff.delivery.failed",
        attempts: attempt,
        retryable: failure.retryable,
        reason,
      });
      throw new DeliveryFailedError(transport.kind, attempt, reason, failure.retryable, failure);
    };

    if (!failure.retryable) fail(failure.message);
    if (attempt >= policy.attempts) fail(failure.message);
    if (deps.signal?.aborted) fail(`${failure.message}; cancelled before the next attempt`);
    const retryAfterMs = failure.retryAfterMs;
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) {
      fail(
        `${failure.message}; server asked to wait ${Math.ceil(retryAfterMs / 1000)}s, beyond the retry budget`,
      );
    }
    const delayMs = Math.max(retryAfterMs ?? 0, backoffDelay(policy, attempt, random));
    log?.info({
      event: "handoff.delivery.retry_scheduled",
      attempt,
      reason: failure.message,
      delayMs,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    try {
      await sleep(delayMs);
    } catch {
      fail(`${failure.message}; cancelled before the next attempt`);
    }
  }
}

function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof Error && err.name === "AbortError") {
    return new DeliveryError("delivery was cancelled", { retryable: false, cause: err });
  }
  // A foreign error's message may carry anything; only its type name is safe to repeat.
  const type = err instanceof Error ? err.name : typeof err;
  return new DeliveryError(`unexpected ${type} in transport`, { retryable: false, cause: err });
}

function validatePolicy(policy: RetryPolicy): void {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1)
    throw new Error("retry attempts must be an integer ≥ 1");
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new Error("retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs");
  }
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolvePromise();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
