import { createHash } from "node:crypto";
import { dayStart as startOfDay } from "../time/day.ts";
import { DeliveryError, type SealedHandoff } from "./transport.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ARMOR_HEADER = "-----BEGIN PGP MESSAGE-----";

/**
 * Checks a sealed handoff before any transport touches it: the case id becomes a file name, a
 * Message-ID and an idempotency key, so it must be a plain UUID; the payload must be armored
 * ciphertext whose hash matches the one on the melder's receipt. Failures are not retryable.
 */
export function assertSealed(handoff: SealedHandoff): void {
  if (!UUID.test(handoff.caseId)) {
    throw new DeliveryError("sealed handoff has an invalid case id (expected a UUID)", { retryable: false });
  }
  if (!handoff.armored.trimStart().startsWith(ARMOR_HEADER)) {
    throw new DeliveryError("sealed handoff is not an armored OpenPGP message; refusing to send", {
      retryable: false,
    });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(handoff.day)) {
    throw new DeliveryError("sealed handoff has no valid day (YYYY-MM-DD)", { retryable: false });
  }
  const digest = createHash("sha256").update(handoff.armored, "utf8").digest("hex");
  if (digest !== handoff.sha256.toLowerCase()) {
    throw new DeliveryError("sealed handoff sha256 does not match its ciphertext; refusing to send", {
      retryable: false,
    });
  }
}

/** Ciphertext bytes as they go on the wire and to disk. */
export function armoredBytes(handoff: SealedHandoff): Buffer {
  return Buffer.from(handoff.armored, "utf8");
}

/** The start of the handoff's day (00:00 Europe/Amsterdam): the only time a delivery states. */
export function dayStart(handoff: SealedHandoff): Date {
  return startOfDay(handoff.day);
}
