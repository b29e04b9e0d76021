import { createHmac } from "node:crypto";
import { dayOf, dayStart as startOfDay } from "../time/day.ts";
import { isLoopbackHost, parseRetryAfter } from "./net.ts";
import { armoredBytes, assertSealed, dayStart } from "./sealed.ts";
import { type DeliveryConfirmation, DeliveryError, type SealedHandoff, type Transport } from "./transport.ts";

/** Shorter secrets are refused: the HMAC is the receiver's only proof the POST came from us. */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

export interface WebhookTransportOptions {
  url: string;
  secret: string;
  timeoutMs: number;
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`; the receiver recomputes it byte for byte. */
export function signWebhookBody(secret: string, timestamp: number, body: Buffer | string): string {
  const mac = createHmac("sha256", secret);
  mac.update(`${timestamp}.`, "utf8");
  mac.update(typeof body === "string" ? Buffer.from(body, "utf8") : body);
  return `v1=${mac.digest("hex")}`;
}

/** Problems with a webhook URL: HTTPS only, plain HTTP for loopback development and tests alone. */
export function webhookUrlProblems(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ["webhook url is not a valid URL"];
  }
  if (url.protocol === "https:") return [];
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return [];
  if (url.protocol === "http:")
    return ["webhook url must use https:// (plain http is allowed for loopback hosts only)"];
  return [`webhook url must use https:// (got ${url.protocol}//)`];
}

/**
 * POSTs the armored ciphertext to the receiver, signed with HMAC-SHA256 over the timestamp and
 * body. Redirects are not followed: the signature is for the configured receiver alone.
 */
export class WebhookTransport implements Transport {
  readonly kind = "webhook" as const;
  private readonly options: WebhookTransportOptions;

  constructor(options: WebhookTransportOptions) {
    const problems = webhookUrlProblems(options.url);
    if (problems.length > 0) throw new Error(problems.join("; "));
    if (options.secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
      throw new Error(`webhook secret is shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
    }
    this.options = options;
  }

  async deliver(handoff: SealedHandoff, signal?: AbortSignal): Promise<DeliveryConfirmation> {
    assertSealed(handoff);
    signal?.throwIfAborted();
    const body = armoredBytes(handoff);
    // The signed timestamp is the day of this attempt, not the second (docs/delivery.md): it
    // tells the receiver nothing it does not see itself, and a handoff retried days later (queue
    // retry) is still fresh. Replays are recognised by the Idempotency-Key, the case id.
    const today = startOfDay(dayOf(new Date()));
    const timestamp = Math.floor(Math.max(dayStart(handoff).getTime(), today.getTime()) / 1000);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: "POST",
        headers: {
          "content-type": "application/pgp-encrypted",
          "idempotency-key": handoff.caseId,
          "x-vertrouwd-timestamp": String(timestamp),
          "x-vertrouwd-signature": signWebhookBody(this.options.secret, timestamp, body),
        },
        body: new Uint8Array(body),
        redirect: "manual",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      // Drain the body so the connection can be reused; its content is not ours to log.
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      throw classifyFetchError(err, signal, "webhook");
    }
    return this.interpret(response);
  }

  private interpret(response: Response): DeliveryConfirmation {
    const status = response.status;
    if (status >= 200 && status < 300) return { transport: this.kind, reference: `HTTP ${status}` };
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    if (status === 429 || status >= 500) {
      throw new DeliveryError(`webhook receiver answered HTTP ${status}`, { retryable: true, retryAfterMs });
    }
    if (status >= 300 && status < 400) {
      throw new DeliveryError(`webhook receiver answered HTTP ${status} (redirects are not followed)`, {
        retryable: false,
      });
    }
    throw new DeliveryError(`webhook receiver answered HTTP ${status}`, { retryable: false });
  }

  /** Network check: an unsigned HEAD request. Any answer below 500 proves DNS, TCP and TLS work. */
  async check(options: { network: boolean }): Promise<string[]> {
    if (!options.network) return [];
    try {
      const response = await fetch(this.options.url, {
        method: "HEAD",
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (response.status >= 500)
        return [`webhook receiver answered HTTP ${response.status} to a HEAD request`];
      return [];
    } catch (err) {
      return [`webhook receiver is not reachable: ${classifyFetchError(err, undefined, "webhook").message}`];
    }
  }
}

/** Maps fetch failures: timeouts and connection trouble are worth another try, a cancel is not. */
export function classifyFetchError(
  err: unknown,
  signal: AbortSignal | undefined,
  what: string,
): DeliveryError {
  if (signal?.aborted)
    return new DeliveryError(`${what} delivery was cancelled`, { retryable: false, cause: err });
  const name = err instanceof Error ? err.name : undefined;
  if (name === "TimeoutError" || name === "AbortError") {
    return new DeliveryError(`${what} request timed out`, { retryable: true, cause: err });
  }
  const code = networkCode(err);
  if (code?.startsWith("CERT_") || code?.startsWith("ERR_TLS") || code === "DEPTH_ZERO_SELF_SIGNED_CERT") {
    return new DeliveryError(`${what} TLS verification failed (${code})`, { retryable: false, cause: err });
  }
  return new DeliveryError(`${what} connection failed (${code ?? "network error"})`, {
    retryable: true,
    cause: err,
  });
}

function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
