/**
 * Slack's Web API answers HTTP 429 with Retry-After. The WebClient is told to reject such calls
 * (rejectRateLimitedCalls) so the wait is ours and bounded (src/resilience): a melder waits a
 * few seconds at most, and a turn never hangs for the WebClient's default of up to half an hour.
 */
import { webApi } from "@slack/bolt";
import { RetryExhausted, retry } from "../../src/resilience/retry.ts";

export interface RetryAfterOptions {
  /** Total attempts including the first. */
  attempts?: number;
  /** A Retry-After longer than this is not waited for: the call fails instead. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function isRateLimited(err: unknown): err is { retryAfter: number } {
  return (
    typeof err === "object" &&
    err !== null &&
    (err as { code?: unknown }).code === webApi.ErrorCode.RateLimitedError &&
    typeof (err as { retryAfter?: unknown }).retryAfter === "number"
  );
}

export async function withRetryAfter<T>(call: () => Promise<T>, options: RetryAfterOptions = {}): Promise<T> {
  try {
    return await retry(() => call(), {
      // Only Slack's own Retry-After sets the wait: no backoff of ours on top.
      policy: { attempts: options.attempts ?? 3, baseDelayMs: 0, maxDelayMs: options.maxWaitMs ?? 20_000 },
      classify: (err) =>
        isRateLimited(err)
          ? { retryable: true, retryAfterMs: Math.max(0, err.retryAfter) * 1000 }
          : { retryable: false },
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  } catch (err) {
    // The caller sees Slack's own error, as if no retry had happened.
    throw err instanceof RetryExhausted ? err.lastError : err;
  }
}
