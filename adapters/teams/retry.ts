/**
 * Bounded retries for calls to the Bot Connector (the activity's serviceUrl). Teams answers 429
 * when a bot sends too fast, 412 on a concurrent update, and 502/504 on transient gateway
 * trouble. Delays honour Retry-After but never push a turn past its deadline: Teams gives the
 * whole turn about 15 seconds.
 */

export const RETRYABLE_STATUS = new Set([412, 429, 502, 504]);

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Absolute time (ms since epoch) after which no further attempt starts. */
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onRetry?: (info: { attempt: number; status: number; delayMs: number }) => void;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The HTTP status of a failed connector call, whatever layer of the SDK threw it. */
export function statusOf(err: unknown): number | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.statusCode, e.status, e.response?.status]) if (typeof v === "number") return v;
  return undefined;
}

/** Retry-After in ms (delta-seconds or HTTP date), when the failed response carried one. */
export function retryAfterOf(err: unknown, now: number): number | undefined {
  const headers = (err as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  let raw: unknown;
  if (headers && typeof (headers as { get?: unknown }).get === "function") {
    raw = (headers as { get(name: string): unknown }).get("retry-after");
  } else if (headers && typeof headers === "object") {
    raw = (headers as Record<string, unknown>)["retry-after"];
  }
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export async function withConnectorRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const status = statusOf(err);
      if (status === undefined || !RETRYABLE_STATUS.has(status) || attempt >= options.attempts) throw err;
      const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const delayMs = Math.min(options.maxDelayMs, Math.max(retryAfterOf(err, now()) ?? 0, jittered));
      if (now() + delayMs > options.deadline) throw err;
      options.onRetry?.({ attempt, status, delayMs: Math.round(delayMs) });
      await sleep(delayMs);
    }
  }
}
