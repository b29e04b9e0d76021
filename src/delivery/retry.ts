import type { Logger } from "../log/logger.ts";
import { RetryExhausted, type RetryPolicy, backoffCeiling, retry } from "../resilience/retry.ts";
import { type DeliveryConfirmation, DeliveryError, type SealedHandoff, type Transport } from "./transport.ts";

export type { RetryPolicy };

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
  return Math.floor(random() * backoffCeiling(policy, failedAttempt));
}

/**
 * Delivers with bounded retries. Every attempt sends the same handoff (same case id, so the far
 * side can de-duplicate). Non-retryable errors stop at once; a Retry-After longer than the
 * policy allows ends the loop (see src/resilience/retry.ts).
 */
export async function deliverWithRetry(
  transport: Transport,
  handoff: SealedHandoff,
  policy: RetryPolicy,
  deps: RetryDeps = {},
): Promise<DeliveryConfirmation> {
  const log = deps.logger?.child({ transport: transport.kind });
  let started = 0;
  try {
    return await retry(
      async (attempt) => {
        deps.onAttempt?.(attempt);
        log?.debug({ event: "handoff.delivery.attempt", attempt, attempts: policy.attempts });
        started = Date.now();
        const confirmation = await transport.deliver(handoff, deps.signal);
        // Debug only: at info level a per-delivery line naming the transport would tell which
        // counsellor was chosen whenever counsellors use different transports.
        log?.debug({ event: "handoff.delivery.confirmed", attempt, durationMs: Date.now() - started });
        return confirmation;
      },
      {
        policy,
        classify: (err) => {
          const failure = asDeliveryError(err);
          return {
            retryable: failure.retryable,
            ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
          };
        },
        jitter: "full",
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.random ? { random: deps.random } : {}),
        onRetry: ({ attempt, delayMs, error, retryAfterMs }) =>
          log?.info({
            event: "handoff.delivery.retry_scheduled",
            attempt,
            reason: asDeliveryError(error).message,
            delayMs,
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          }),
      },
    );
  } catch (err) {
    if (!(err instanceof RetryExhausted)) throw err;
    const failure = asDeliveryError(err.lastError);
    const reason =
      err.why === "cancelled"
        ? `${failure.message}; cancelled before the next attempt`
        : err.why === "retry-after-too-long"
          ? `${failure.message}; server asked to wait ${Math.ceil((failure.retryAfterMs ?? 0) / 1000)}s, beyond the retry budget`
          : failure.message;
    log?.warn({
      event: "handoff.delivery.failed",
      attempts: err.attempts,
      retryable: failure.retryable,
      reason,
    });
    throw new DeliveryFailedError(transport.kind, err.attempts, reason, failure.retryable, failure);
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
