/** Resilience: bounded retries, Retry-After, and the per-process turn limiter. */
export { createLimiter, type Limiter, TurnQueueFullError } from "./limiter.ts";
export {
  abortableSleep,
  backoffCeiling,
  retry,
  RetryExhausted,
  type RetryOptions,
  type RetryPolicy,
  type Verdict,
} from "./retry.ts";
export { parseRetryAfter } from "./retry-after.ts";
