/**
 * Sealing a handoff: readable text + JSON document, padded to a size bucket, encrypted to the
 * counsellor (and deputy) so that GnuPG 2.2 can read it, optionally signed by the bot.
 */
import * as openpgp from "openpgp";
import { dayStart } from "../time/day.ts";
import { bucketFor, padding } from "./padding.ts";

export interface SealOptions {
  /** The counsellor's key, plus the deputy's when configured. Validate them first (keys.ts). */
  recipients: openpgp.PublicKey[];
  /**
   * The day the message belongs to. Literal data and signature carry the start of this day
   * (00:00 Europe/Amsterdam), never the exact moment: a signature's creation second would tell
   * when the melder pressed send.
   */
  day: string;
  /** The bot's decrypted signing key; signs inside the encryption so only recipients see it. */
  signingKey?: openpgp.PrivateKey;
  /** Write wildcard key ids: the ciphertext no longer says whose key opens it. */
  hideRecipients?: boolean;
}

export interface SealResult {
  armored: string;
  /** Hex SHA-256 of `armored`: the delivery's integrity check. */
  sha256: string;
}

/** Thrown when sealing cannot proceed. Messages are admin-facing and never carry report data. */
export class SealError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SealError";
  }
}

/**
 * GnuPG 2.2 compatibility and no length leaks:
 * - no compression (compressed size depends on content),
 * - SEIPDv1 with an explicit AES-256 session key: openpgp v6 picks SEIPDv2 (AEAD, which GnuPG
 *   2.2 cannot read) as soon as every recipient key advertises it, whatever aeadProtect says,
 *   so we hand it a session key without an AEAD algorithm,
 * - no version/comment armor headers.
 */
const SEAL_CONFIG: openpgp.PartialConfig = {
  aeadProtect: false,
  preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed,
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  showVersion: false,
  showComment: false,
};

/** Encrypting again converges in two or three rounds; more means something is off. */
const MAX_PAD_ROUNDS = 8;

/** Pads `plaintext` to its size bucket and encrypts (and optionally signs) it. */
export async function seal(plaintext: Uint8Array, options: SealOptions): Promise<SealResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.day)) throw new SealError("seal needs a day (YYYY-MM-DD)");
  if (options.recipients.length === 0) throw new SealError("no recipients to encrypt to");
  if (options.recipients.some((k) => k.isPrivate())) {
    throw new SealError("recipients must be public keys; never hand a private key to seal");
  }
  const date = messageDate(options);
  const encryptOnce = (padBytes: number): Promise<Uint8Array> =>
    encrypt(withPadding(plaintext, padBytes), date, options);

  // Measure the fixed overhead once, then grow the plaintext until the binary message is exactly
  // the bucket size. Repeat rounds absorb variable-length fields (MPIs in RSA session keys and
  // signatures can come out a byte shorter), so the size is exact every time.
  let message = await encryptOnce(0);
  const target = bucketFor(message.length);
  let padBytes = target - message.length;
  for (let round = 0; message.length !== target; round++) {
    if (round >= MAX_PAD_ROUNDS || padBytes < 0) {
      throw new SealError("could not pad the sealed message to its size bucket");
    }
    message = await encryptOnce(padBytes);
    padBytes += target - message.length;
  }

  const armored = openpgp.armor(
    openpgp.enums.armor.message,
    message,
    undefined,
    undefined,
    undefined,
    false,
    {
      ...openpgp.config,
      ...SEAL_CONFIG,
    },
  );
  return { armored, sha256: await sha256Hex(armored) };
}

function withPadding(base: Uint8Array, bytes: number): Uint8Array {
  const pad = new TextEncoder().encode(padding(bytes));
  const out = new Uint8Array(base.length + pad.length);
  out.set(base, 0);
  out.set(pad, base.length);
  return out;
}

/**
 * The start of the message's day, unless a key involved was made later that day: openpgp refuses
 * keys "from the future", and a key's creation time says nothing about when the melder sent.
 */
function messageDate(options: SealOptions): Date {
  const day = dayStart(options.day).getTime();
  const keys = [...options.recipients, ...(options.signingKey ? [options.signingKey] : [])];
  const created = keys.flatMap((k) => [
    k.getCreationTime(),
    ...k.getSubkeys().map((s) => s.getCreationTime()),
  ]);
  return new Date(Math.max(day, ...created.map((d) => d.getTime())));
}

async function encrypt(plaintext: Uint8Array, date: Date, options: SealOptions): Promise<Uint8Array> {
  const message = await openpgp.createMessage({ binary: plaintext, format: "utf8", date });
  try {
    return await openpgp.encrypt({
      message,
      encryptionKeys: options.recipients,
      ...(options.signingKey ? { signingKeys: options.signingKey } : {}),
      sessionKey: { data: globalThis.crypto.getRandomValues(new Uint8Array(32)), algorithm: "aes256" },
      wildcard: options.hideRecipients ?? false,
      date,
      format: "binary",
      config: SEAL_CONFIG,
    });
  } catch (err) {
    // openpgp's messages name keys and algorithms, never the plaintext; keep them for the admin.
    const detail = err instanceof Error ? err.message.slice(0, 200) : "unknown error";
    throw new SealError(`encryption failed: ${detail}`, { cause: err });
  }
}

/** Hex SHA-256 of a text's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
