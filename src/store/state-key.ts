import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * AES-256-GCM sealing of conversation snapshots with VERTROUWD_STATE_KEY.
 *
 * Sealed format (ASCII, safe for any store): `v1.<keyId>.<iv>.<tag>.<ciphertext>`, the last three
 * base64url. keyId = first 8 hex of SHA-256(key), so rotation can pick the right key without
 * trying them all. The conversation key is the AAD: a value copied to another conversation
 * does not open.
 */

const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export class StateKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateKeyConfigError";
  }
}

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** A fresh key in the VERTROUWD_STATE_KEY format (base64 of 32 random bytes). */
export function generateStateKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/** Strict base64 (standard or url-safe alphabet); Buffer.from alone silently skips bad characters. */
function decodeBase64(text: string): Buffer | null {
  if (!BASE64.test(text) && !BASE64URL.test(text)) return null;
  const buf = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  // Round-trip check catches truncated or mis-padded input.
  const canonical = buf.toString("base64").replace(/=+$/, "");
  const given = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  return canonical === given ? buf : null;
}

/**
 * Parses VERTROUWD_STATE_KEY: comma-separated base64 32-byte keys, newest first.
 * Errors name the variable and the entry position, never the value.
 * Without `required` and without a value, an ephemeral key is generated (memory mode:
 * the state dies with the process anyway).
 */
export function parseStateKeys(value: string | undefined, options: { required: boolean }): Buffer[] {
  const name = "VERTROUWD_STATE_KEY";
  if (value === undefined || value.trim() === "") {
    if (options.required) {
      throw new StateKeyConfigError(
        `${name} is required with Redis (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES). Generate one with: openssl rand -base64 32`,
      );
    }
    return [randomBytes(KEY_BYTES)];
  }
  const entries = value.split(",").map((entry) => entry.trim());
  const keys: Buffer[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const where = `${name} entry ${index + 1} of ${entries.length}`;
    if (entry === "") throw new StateKeyConfigError(`${where} is empty (stray comma?)`);
    const key = decodeBase64(entry);
    if (!key) throw new StateKeyConfigError(`${where} is not valid base64`);
    if (key.length !== KEY_BYTES) {
      throw new StateKeyConfigError(`${where} decodes to ${key.length} bytes; expected ${KEY_BYTES}`);
    }
    const id = keyId(key);
    if (seen.has(id)) throw new StateKeyConfigError(`${where} repeats an earlier key`);
    seen.add(id);
    keys.push(key);
  });
  return keys;
}

/**
 * Parses VERTROUWD_SERVER_SECRET (the HMAC key that turns platform user ids into conversation keys):
 * base64 of at least 32 bytes. Without `required` and without a value, a random one is made.
 */
export function parseServerSecret(value: string | undefined, options: { required: boolean }): Buffer {
  const name = "VERTROUWD_SERVER_SECRET";
  if (value === undefined || value.trim() === "") {
    if (options.required) {
      throw new StateKeyConfigError(
        `${name} is required with Redis (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES; all replicas must share it). Generate one with: openssl rand -base64 32`,
      );
    }
    return randomBytes(KEY_BYTES);
  }
  const secret = decodeBase64(value.trim());
  if (!secret) throw new StateKeyConfigError(`${name} is not valid base64`);
  if (secret.length < KEY_BYTES) {
    throw new StateKeyConfigError(
      `${name} decodes to ${secret.length} bytes; expected at least ${KEY_BYTES}`,
    );
  }
  return secret;
}

function assertKeys(keys: Buffer[]): void {
  if (keys.length === 0) throw new StateKeyConfigError("at least one state key is needed");
  for (const key of keys) {
    if (key.length !== KEY_BYTES) throw new StateKeyConfigError(`state keys must be ${KEY_BYTES} bytes`);
  }
}

/** Seals plaintext with the newest key (keys[0]), bound to `aad`. */
export function sealState(keys: Buffer[], plaintext: string, aad: string): string {
  assertKeys(keys);
  const key = keys[0] as Buffer;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    keyId(key),
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

export type OpenFailure = "malformed" | "unknown-key" | "auth-failed";

/**
 * Opens a sealed value with whichever configured key its id names.
 * Returns the reason instead of throwing: an unreadable value is treated as absent by the vault.
 */
export function openState(
  keys: Buffer[],
  sealed: string,
  aad: string,
): { ok: true; plaintext: string } | { ok: false; reason: OpenFailure } {
  assertKeys(keys);
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) return { ok: false, reason: "malformed" };
  const [, id, ivText, tagText, ctText] = parts as [string, string, string, string, string];
  const key = keys.find((candidate) => keyId(candidate) === id);
  if (!key) return { ok: false, reason: "unknown-key" };
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return { ok: false, reason: "malformed" };
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ctText, "base64url")), decipher.final()]);
    return { ok: true, plaintext: plaintext.toString("utf8") };
  } catch {
    return { ok: false, reason: "auth-failed" };
  }
}
