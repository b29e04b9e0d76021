/**
 * Bolt's and the WebClient's logger, bridged to our pino logger as an allow-list.
 *
 * Bolt logs free text, and some of it can quote request content (a JSON parse error shows part of
 * the body; debug lines show payloads). So nothing Bolt writes is passed through: each line is
 * classified into a fixed event name and reason, and debug/info lines are dropped.
 */
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../src/log/logger.ts";

interface Classified {
  event: string;
  reason?: string;
}

const RULES: { match: RegExp; event: string; reason?: (text: string) => string | undefined }[] = [
  {
    match: /^Failed to parse and verify the request data/,
    event: "slack.request.unverified",
    reason: (text) =>
      /stale|5 minutes/i.test(text)
        ? "stale_timestamp"
        : /signature mismatch/i.test(text)
          ? "bad_signature"
          : /x-slack-signature|x-slack-request-timestamp/i.test(text)
            ? "missing_headers"
            : "other",
  },
  { match: /^Failed to parse the request body|^Malformed request body/, event: "slack.request.malformed" },
  { match: /exceeded the maximum allowed size/, event: "slack.request.too_large" },
  { match: /not acknowledged within 3 seconds/, event: "slack.ack.late" },
  { match: /^Rate limited|rate limit/i, event: "slack.api.rate_limited" },
  {
    match: /^Slack API error/,
    event: "slack.api.error",
    reason: (text) => /^Slack API error: ([a-z_]+)/.exec(text)?.[1],
  },
  {
    match: /^HTTP error \d+/,
    event: "slack.api.http_error",
    reason: (text) => /^HTTP error (\d+)/.exec(text)?.[1],
  },
  { match: /^http request failed/, event: "slack.api.request_failed" },
  { match: /Authorization of incoming event did not succeed/, event: "slack.authorize.failed" },
  { match: /Could not determine the type of an incoming event/, event: "slack.request.unknown_type" },
  { match: /deprecated/, event: "slack.api.deprecated" },
  {
    // @slack/socket-mode, when apps.connections.open fails (it retries); only Slack's error code is kept.
    match: /^Failed to retrieve a new WSS URL/,
    event: "slack.socket.open_failed",
    reason: (text) => /An API error occurred: ([a-z_]+)/.exec(text)?.[1],
  },
  { match: /^A (ping|pong) wasn't received/, event: "slack.socket.unhealthy" },
  { match: /^WebSocket error/, event: "slack.socket.error" },
];

export function classify(args: unknown[]): Classified {
  const text = typeof args[0] === "string" ? args[0] : "";
  for (const rule of RULES) {
    if (rule.match.test(text)) {
      const reason = rule.reason?.(text);
      return reason ? { event: rule.event, reason } : { event: rule.event };
    }
  }
  if (args[0] instanceof Error) return { event: "slack.bolt.error", reason: args[0].name };
  return { event: "slack.bolt.other" };
}

export function boltLogger(log: Logger): SlackLogger {
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...args: unknown[]) => log.warn(classify(args)),
    error: (...args: unknown[]) => log.error(classify(args)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
