import { isIP } from "node:net";

/**
 * True for hosts that can only be this machine. Plain-text HTTP and SMTP without STARTTLS are
 * allowed for these alone, so a development or test setup never weakens a production one.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

export { parseRetryAfter } from "../resilience/retry-after.ts";
