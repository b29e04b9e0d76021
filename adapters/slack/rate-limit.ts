/**
 * Slack's Web API answers HTTP 429 with Retry-After. The WebClient is told to reject such calls
 * (rejectRateLimitedCalls) so the wait is ours and bounded: a melder waits a few seconds at most,
 * and a turn never hangs for the WebClient's default of up to half an hour.
 */
import { webApi } from "@slack/bolt";

export interface RetryAfterOptions {
  /** Total attempts including the first. */
  attempts?: number;
  /** A Retry-After longer than this is not waited for: the call fails instead. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isRateLimited(err: unknown): err is { retryAfter: number } {
  return (
    typeof err === "object" &&
    err !== null &&
    (err as { code?: unknown }).code === webApi.ErrorCode.RateLimitedError &&
    typeof (err as { retryAfter?: unknown }).retryAfter === "number"
  );
}

export async function withRetryAfter<T>(call: () => Promise<T>, options: RetryAfterOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 20_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isRateLimited(err) || attempt >= attempts) throw err;
      const waitMs = Math.max(0, err.retryAfter) * 1000;
      if (waitMs > maxWaitMs) throw err;
      await sleep(waitMs);
    }
  }
}
