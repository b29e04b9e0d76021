import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Logs are an allow-list: event names, outcomes, latencies, hashed conversation keys.
 * Redaction is the safety net for a field that slips through, not the plan.
 */
export const REDACT_PATHS = [
  "text",
  "*.text",
  "report",
  "*.report",
  "values",
  "*.values",
  "contact",
  "*.contact",
  "user",
  "*.user",
  "userId",
  "*.userId",
  "body",
  "*.body",
  "payload",
  "*.payload",
  "armored",
  "*.armored",
  "plaintext",
  "*.plaintext",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-slack-signature"]',
];

export type { Logger };

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { app: "vertrouwd" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      // Errors are reduced to name and message: stacks and causes may quote user input.
      serializers: { err: safeError, error: safeError },
    },
    options.destination,
  );
}

export function safeError(err: unknown): { type: string; message: string } {
  if (err instanceof Error) return { type: err.name, message: err.message.slice(0, 300) };
  return { type: typeof err, message: "non-error thrown" };
}

/** A logger that discards everything, for tests and quiet CLI commands. */
export const silentLogger = (): Logger => pino({ level: "silent" });
