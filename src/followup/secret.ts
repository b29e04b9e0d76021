/**
 * The melder's mailbox secret R (docs/follow-up.md): 20 random characters of the Crockford
 * alphabet (100 bits) plus one check character, shown as six groups — `ABCD-EFGH-JKMN-PQRS-TVWX-Y`
 * — for a person to copy onto paper. From R, and only from R, the browser derives
 *
 *   mailboxId   = base64url(HKDF-SHA-256(R, info "vertrouwd/mailbox-id/v1"))      43 characters
 *   passphrase  = base64url(HKDF-SHA-256(R, info "vertrouwd/mailbox-key/v1"))     43 characters
 *
 * The mailbox id is what the server knows the mailbox by; the passphrase locks the melder's
 * private key. A fast keyed hash is enough because R is random, not chosen: 100 bits means 2^99
 * tries on average, offline against a copy of the store (which holds the id) or online against
 * the rate-limited API — neither ends in any lifetime. A slow hash (Argon2, PBKDF2) protects
 * low-entropy passwords; it would add nothing here but waiting.
 *
 * The check character catches every single mistyped character and every swap of two adjacent
 * characters before any request is made: it is the value of the 20 characters as a polynomial
 * over GF(32) at x (Horner: s ← x·s ⊕ c), chosen so that the 21 characters together give zero. A
 * changed character changes the result by x^k·δ ≠ 0; a swap of neighbours a, b by (x+1)·(a⊕b)·x^k
 * ≠ 0. (Damm's construction; test/followup/secret.test.ts checks both exhaustively.)
 *
 * Web Crypto only: this module runs in the web page's bundle and on the server alike.
 */
import { CODE_ALPHABET } from "../handoff/case.ts";

/** Characters of randomness (5 bits each): 100 bits. */
export const SECRET_CHARS = 20;
export const SECRET_BITS = SECRET_CHARS * 5;
/** The random characters plus the check character. */
export const SECRET_LENGTH = SECRET_CHARS + 1;
/** The mailbox id's form: base64url of a 32-byte HKDF output. */
export const MAILBOX_ID = /^[A-Za-z0-9_-]{43}$/;

/** x^5 + x^2 + 1, the field GF(32)'s modulus. */
const MODULUS = 0b100101;

/** Multiplication by x in GF(32). */
const timesX = (v: number): number => {
  const shifted = v << 1;
  return shifted & 0b100000 ? shifted ^ MODULUS : shifted;
};

/** Horner over GF(32) at x: 0 for a string with a valid check character. */
function syndrome(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s = timesX(s) ^ v;
  return s;
}

/** The check character for 20 data values. */
function checkValue(values: readonly number[]): number {
  return timesX(syndrome(values));
}

/** A new secret, canonical (21 characters, no dashes). Random from crypto.getRandomValues. */
export function newSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(SECRET_CHARS));
  // 256 is a multiple of 32: the low five bits of a random byte are uniform.
  const values = Array.from(bytes, (b) => b & 31);
  return [...values, checkValue(values)].map((v) => CODE_ALPHABET[v]).join("");
}

/** As shown and written down: groups of four, e.g. ABCD-EFGH-JKMN-PQRS-TVWX-Y. */
export function formatSecret(canonical: string): string {
  return canonical.match(/.{1,4}/g)?.join("-") ?? canonical;
}

export type SecretProblem =
  /** Nothing typed. */
  | "empty"
  /** A character that is not in the alphabet (after the look-alikes are mapped). */
  | "character"
  /** Too few or too many characters. */
  | "length"
  /** The check character does not fit: a typo. */
  | "check";

export type ParsedSecret = { ok: true; canonical: string } | { ok: false; problem: SecretProblem };

/**
 * What a person typed, tolerantly: any case, spaces and dashes anywhere, and the look-alikes
 * I and L read as 1, O as 0 (the alphabet has none of them). Checks the length and the check
 * character, so a typo is caught here rather than as a "no such mailbox" from the server.
 */
export function parseSecret(typed: string): ParsedSecret {
  const cleaned = typed
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—_.]/g, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0");
  if (cleaned === "") return { ok: false, problem: "empty" };
  const values: number[] = [];
  for (const c of cleaned) {
    const v = CODE_ALPHABET.indexOf(c);
    if (v < 0) return { ok: false, problem: "character" };
    values.push(v);
  }
  if (values.length !== SECRET_LENGTH) return { ok: false, problem: "length" };
  if (syndrome(values) !== 0) return { ok: false, problem: "check" };
  return { ok: true, canonical: cleaned };
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function derive(canonical: string, info: string): Promise<string> {
  const parsed = parseSecret(canonical);
  if (!parsed.ok) throw new RangeError("not a valid mailbox secret");
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey("raw", new TextEncoder().encode(parsed.canonical), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = await subtle.deriveBits(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new TextEncoder().encode("vertrouwd mailbox"),
      info: new TextEncoder().encode(info),
    },
    key,
    256,
  );
  return base64url(new Uint8Array(bits));
}

export interface MailboxSecrets {
  /** What the server knows the mailbox by. */
  mailboxId: string;
  /** Locks the melder's private key (OpenPGP key encryption). */
  passphrase: string;
}

/** The mailbox id and the key's passphrase from R (canonical or as typed). */
export async function deriveMailbox(secret: string): Promise<MailboxSecrets> {
  const [mailboxId, passphrase] = await Promise.all([
    derive(secret, "vertrouwd/mailbox-id/v1"),
    derive(secret, "vertrouwd/mailbox-key/v1"),
  ]);
  return { mailboxId, passphrase };
}
