import nodemailer from "nodemailer";
import { isLoopbackHost } from "./net.ts";
import { buildPgpMimeMessage, encodeHeaderText, messageIdFor } from "./pgp-mime.ts";
import { assertSealed, dayStart } from "./sealed.ts";
import { type DeliveryConfirmation, DeliveryError, type SealedHandoff, type Transport } from "./transport.ts";

/** The settings nodemailer gets, derived from SMTP_URL. Exported for doctor output and tests. */
export interface SmtpConnectionSettings {
  host: string;
  port: number;
  /** Implicit TLS (smtps://). */
  secure: boolean;
  /** STARTTLS must succeed before anything is sent (smtp:// to anything but loopback). */
  requireTLS: boolean;
  auth?: { user: string; pass: string };
}

/**
 * Parses SMTP_URL. `smtps://` uses implicit TLS (port 465 by default); `smtp://` must upgrade
 * with STARTTLS (port 587 by default) unless the host is loopback, which is only ever a local
 * relay or a test server. Credentials are percent-encoded user info.
 */
export function parseSmtpUrl(value: string): SmtpConnectionSettings {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error("SMTP_URL is not a valid URL (expected smtp://user:pass@host:587 or smtps://…:465)");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new Error(`SMTP_URL must start with smtp:// or smtps:// (got ${url.protocol}//)`);
  }
  if (!url.hostname) throw new Error("SMTP_URL names no host");
  const secure = url.protocol === "smtps:";
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const settings: SmtpConnectionSettings = {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port,
    secure,
    requireTLS: !secure && !isLoopbackHost(url.hostname),
  };
  if (url.username) {
    settings.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  }
  return settings;
}

export interface SmtpTransportOptions {
  to: string;
  from: string;
  subject: string;
  smtpUrl: string;
  /** Connection/greeting timeout; the socket idle timeout is three times this. */
  timeoutMs?: number;
}

/**
 * Sends the ciphertext as an RFC 3156 PGP/MIME mail. Any GnuPG-aware client (Thunderbird,
 * Mailvelope, mutt, Outlook with gpg4o) shows it as one encrypted message.
 */
export class SmtpTransport implements Transport {
  readonly kind = "smtp" as const;
  readonly settings: SmtpConnectionSettings;
  private readonly options: SmtpTransportOptions;
  private readonly mailer: ReturnType<typeof nodemailer.createTransport>;

  constructor(options: SmtpTransportOptions) {
    this.options = options;
    this.settings = parseSmtpUrl(options.smtpUrl);
    // Fail at start, not at the first report, when the subject cannot be a header.
    encodeHeaderText(options.subject);
    const timeout = options.timeoutMs ?? 15_000;
    this.mailer = nodemailer.createTransport({
      host: this.settings.host,
      port: this.settings.port,
      secure: this.settings.secure,
      requireTLS: this.settings.requireTLS,
      auth: this.settings.auth,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 3,
      tls: { minVersion: "TLSv1.2", servername: this.settings.host },
      logger: false,
    });
  }

  async deliver(handoff: SealedHandoff, signal?: AbortSignal): Promise<DeliveryConfirmation> {
    assertSealed(handoff);
    signal?.throwIfAborted();
    const messageId = messageIdFor(handoff.caseId, this.options.from);
    const raw = buildPgpMimeMessage({
      from: this.options.from,
      to: this.options.to,
      subject: this.options.subject,
      messageId,
      armored: handoff.armored,
      // Day-granular, like everything else that leaves: the exact minute could tie a delivery
      // in the mail server's log to a click in Slack's.
      date: dayStart(handoff),
    });
    try {
      await untilAborted(
        this.mailer.sendMail({ envelope: { from: this.options.from, to: [this.options.to] }, raw }),
        signal,
      );
      return { transport: this.kind, reference: messageId };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  async check(options: { network: boolean }): Promise<string[]> {
    if (!options.network) return [];
    try {
      await this.mailer.verify();
      return [];
    } catch (err) {
      return [
        `SMTP server ${this.settings.host}:${this.settings.port} check failed: ${classifySmtpError(err).message}`,
      ];
    }
  }
}

const RETRYABLE_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ECONNREFUSED",
  "ECONNRESET",
]);

/**
 * SMTP replies decide: 4xx is a temporary failure (retry), 5xx is permanent (stop). Without a
 * reply, network trouble is retryable; TLS and auth set-up problems need an admin, not a retry.
 * The server's reply text is kept out of the message (it may echo addresses); only codes remain.
 */
export function classifySmtpError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
    name?: unknown;
  };
  const code = typeof e.code === "string" ? e.code : undefined;
  const command = typeof e.command === "string" ? e.command.split(" ")[0]?.toUpperCase() : undefined;
  if (typeof e.responseCode === "number") {
    const reply = e.responseCode;
    const where = command ? ` to ${command}` : "";
    if (reply >= 400 && reply < 500) {
      return new DeliveryError(`SMTP server answered ${reply}${where} (temporary failure)`, {
        retryable: true,
        cause: err,
      });
    }
    return new DeliveryError(`SMTP server answered ${reply}${where} (permanent failure)`, {
      retryable: false,
      cause: err,
    });
  }
  if (e.name === "AbortError") {
    return new DeliveryError("SMTP delivery was cancelled", { retryable: false, cause: err });
  }
  if (code && RETRYABLE_CODES.has(code)) {
    return new DeliveryError(`SMTP connection failed (${code})`, { retryable: true, cause: err });
  }
  if (
    code === "ETLS" ||
    code === "EAUTH" ||
    code === "ENOAUTH" ||
    code === "ECONFIG" ||
    code === "EREQUIRETLS"
  ) {
    return new DeliveryError(`SMTP set-up failed (${code}); check SMTP_URL and the server's TLS and auth`, {
      retryable: false,
      cause: err,
    });
  }
  return new DeliveryError(`SMTP delivery failed (${code ?? "unknown error"})`, {
    retryable: true,
    cause: err,
  });
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolvePromise(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
