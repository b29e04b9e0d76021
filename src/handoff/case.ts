/**
 * A case's identity: a random UUID (every delivery attempt's idempotency key), the short code the
 * melder writes down, and the day. Web Crypto only, so the server and the secure web page (which
 * seals in the melder's browser) make case ids the same way from the same code.
 */
import { dayOf } from "../time/day.ts";

/** The case's identity, fixed the moment the melder presses send and kept across retries. */
export interface CaseIds {
  /** UUID; every delivery attempt's idempotency key. */
  caseId: string;
  /** The short code the melder writes down. */
  caseCode: string;
  /** Day only (YYYY-MM-DD), Europe/Amsterdam. */
  date: string;
}

/** Crockford-style alphabet without look-alikes (no I, L, O, U) for codes people read aloud. */
export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CASE_CODE = /^VT-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/**
 * "VT-XXXX-XXXX": 8 characters of a 32-letter alphabet (40 bits). 256 is a multiple of 32, so
 * the low five bits of a random byte are uniform: no modulo bias, no rejection loop.
 */
export function newCaseCode(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  const chars = Array.from(bytes, (b) => CODE_ALPHABET[b & 31]);
  return `VT-${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

export function newCaseIds(now: Date): CaseIds {
  return { caseId: globalThis.crypto.randomUUID(), caseCode: newCaseCode(), date: dayOf(now) };
}
