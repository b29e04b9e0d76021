/**
 * The transport port. A transport only ever receives ciphertext: the armored OpenPGP message
 * and facts about it. It never sees the HandoffDocument.
 */
export interface SealedHandoff {
  /** UUID; the idempotency key on every attempt. */
  caseId: string;
  counsellorId: string;
  /** ASCII-armored OpenPGP message. */
  armored: string;
  /** Hex SHA-256 of the armored text: checked before sending, never shown to the melder. */
  sha256: string;
  /**
   * The day the melder sent it (YYYY-MM-DD). Every timestamp that leaves — the mail's Date
   * header, the webhook's signed timestamp — is this day at 00:00 UTC, never the exact moment.
   */
  day: string;
}

export interface DeliveryConfirmation {
  transport: string;
  /** Opaque reference from the receiving side (file path, message id, HTTP status); never user data. */
  reference?: string;
}

/**
 * One way to a counsellor (outbox, smtp, webhook, slack file). It moves ciphertext only and
 * confirms or throws; the queue's worker retries and never gives it anything readable.
 *
 * @example
 * const transport = createTransport(counsellor.delivery, { env, logger, baseDir, locale: "nl" });
 * const problems = await transport.check({ network: false }); // [] when the settings are fine
 * const { reference } = await transport.deliver(sealed, AbortSignal.timeout(30_000));
 */
export interface Transport {
  readonly kind: "outbox" | "smtp" | "webhook" | "slack";
  /** Resolves only once the receiving side confirmed. Throws DeliveryError otherwise. */
  deliver(handoff: SealedHandoff, signal?: AbortSignal): Promise<DeliveryConfirmation>;
  /** Problems with the settings (and, when network is true, with reaching the far side). Empty = fine. */
  check(options: { network: boolean }): Promise<string[]>;
}

/** A delivery failure. Messages are admin-facing and never contain report or melder data. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "DeliveryError";
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
