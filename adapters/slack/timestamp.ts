/**
 * Slack signs `v0:<timestamp>:<body>` and Bolt refuses timestamps more than 5 minutes old.
 * A signed request from more than 5 minutes in the *future* is just as much a replay risk (a
 * captured request would stay valid until then), so it is refused too.
 */
const WINDOW_SECONDS = 5 * 60;

export function timestampProblem(
  header: string | string[] | undefined,
  nowMs: number = Date.now(),
): "missing_timestamp" | "future_timestamp" | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined; // Bolt answers a missing header itself.
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) return "missing_timestamp";
  return seconds - nowMs / 1000 > WINDOW_SECONDS ? "future_timestamp" : undefined;
}
