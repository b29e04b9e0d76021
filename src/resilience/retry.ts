/**
 * Bounded retries, one implementation for every far side: counsellor transports, Slack's Web
 * API, the Bot Connector. Capped exponential backoff with jitter; a Retry-After the far side asks
 * for is honoured as a lower bound — unless it is longer than we may wait, which ends the loop
 * rather than hammering a server that asked us to wait. Nothing here logs: callers say what a
 * retry means in their own terms.
 */
export interface RetryPolicy {
  /** Total tries, the first one included. */
  attempts: number;
  baseDelayMs: number;
  /** Longest single wait. */
  maxDelayMs: number;
}

export interface Verdict {
  retryable: boolean;
  /** The wait the far side asked for, if any. */
  retryAfterMs?: number;
}

/** Why the loop stopped: the last error, with how many attempts were made and the reason. */
export class RetryExhausted extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
    readonly why: "not-retryable" | "attempts" | "deadline" | "retry-after-too-long" | "cancelled",
    readonly retryable: boolean,
  ) {
    super(`gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} (${why})`, { cause: lastError });
    this.name = "RetryExhausted";
  }
}

export interface RetryOptions {
  policy: RetryPolicy;
  classify(err: unknown): Verdict;
  /** "full": uniform in [0, ceiling); "equal": uniform in [ceiling/2, ceiling). */
  jitter?: "full" | "equal";
  /** No attempt starts, and no wait ends, after this moment (ms since epoch). */
  deadline?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?(info: { attempt: number; delayMs: number; error: unknown; retryAfterMs?: number }): void;
}

/** The ceiling of the wait after `failedAttempt` failures: base·2^(n−1), capped. */
export function backoffCeiling(policy: RetryPolicy, failedAttempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy } = options;
  validatePolicy(policy);
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    let error: unknown;
    try {
      return await fn(attempt);
    } catch (err) {
      error = err;
    }
    const verdict = options.classify(error);
    const stop = (why: RetryExhausted["why"]): never => {
      throw new RetryExhausted(error, attempt, why, verdict.retryable);
    };
    if (!verdict.retryable) stop("not-retryable");
    if (attempt >= policy.attempts) stop("attempts");
    if (options.signal?.aborted) stop("cancelled");
    if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > policy.maxDelayMs)
      stop("retry-after-too-long");
    const ceiling = backoffCeiling(policy, attempt);
    const jittered = options.jitter === "equal" ? ceiling / 2 + random() * (ceiling / 2) : random() * ceiling;
    const delayMs = Math.floor(Math.max(verdict.retryAfterMs ?? 0, jittered));
    if (options.deadline !== undefined && now() + delayMs > options.deadline) stop("deadline");
    options.onRetry?.({
      attempt,
      delayMs,
      error,
      ...(verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}),
    });
    try {
      await sleep(delayMs, options.signal);
    } catch {
      stop("cancelled");
    }
  }
}

function validatePolicy(policy: RetryPolicy): void {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1)
    throw new Error("retry attempts must be an integer ≥ 1");
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new Error("retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs");
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
