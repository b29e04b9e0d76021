/**
 * Parses an HTTP Retry-After value (delay-seconds or an HTTP-date) into milliseconds from now.
 * Returns undefined when absent or unreadable, so the caller falls back to its own backoff.
 * The one parser for every far side we call: webhooks, Slack's file upload, the Bot Connector.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
