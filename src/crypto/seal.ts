/**
 * Sealing a handoff: readable text + JSON document, padded to a size bucket, encrypted to the
 * counsellor (and deputy) so that GnuPG 2.2 can read it, optionally signed by the bot.
 */
import { createHash, randomBytes } from "node:crypto";
import * as openpgp from "openpgp";
import { HandoffDocument } from "../handoff/document.ts";
import { bucketFor, padding } from "./padding.ts";
import { renderPlaintext } from "./plaintext.ts";

export interface SealOptions {
  /** The counsellor's key, plus the deputy's when configured. Validate them first (keys.ts). */
  recipients: openpgp.PublicKey[];
  /** The bot's decrypted signing key; signs inside the encryption so only recipients see it. */
  signingKey?: openpgp.PrivateKey;
  /** Write wildcard key ids: the ciphertext no longer says whose key opens it. */
  hideRecipients?: boolean;
}

export interface SealResult {
  armored: string;
  /** Hex SHA-256 of `armored`, shown on the melder's receipt. */
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

export async function sealHandoff(doc: HandoffDocument, options: SealOptions): Promise<SealResult> {
  const parsed = HandoffDocument.safeParse(doc);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))].slice(0, 5);
    throw new SealError(`handoff document is invalid at ${paths.join(", ")}`);
  }
  if (options.recipients.length === 0) throw new SealError("no recipients to encrypt to");
  if (options.recipients.some((k) => k.isPrivate())) {
    throw new SealError("recipients must be public keys; never hand a private key to sealHandoff");
  }

  const base = new TextEncoder().encode(renderPlaintext(parsed.data));
  // Literal data carries a timestamp; the document's day is all the counsellor needs to see.
  const literalDate = new Date(`${parsed.data.date}T00:00:00Z`);
  const encryptOnce = (padBytes: number): Promise<Uint8Array> =>
    encrypt(withPadding(base, padBytes), literalDate, options);

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
  return { armored, sha256: createHash("sha256").update(armored, "utf8").digest("hex") };
}

function withPadding(base: Uint8Array, bytes: number): Uint8Array {
  const pad = new TextEncoder().encode(padding(bytes));
  const out = new Uint8Array(base.length + pad.length);
  out.set(base, 0);
  out.set(pad, base.length);
  return out;
}

async function encrypt(plaintext: Uint8Array, literalDate: Date, options: SealOptions): Promise<Uint8Array> {
  const message = await openpgp.createMessage({ binary: plaintext, format: "utf8", date: literalDate });
  try {
    return await openpgp.encrypt({
      message,
      encryptionKeys: options.recipients,
      ...(options.signingKey ? { signingKeys: options.signingKey } : {}),
      sessionKey: { data: new Uint8Array(randomBytes(32)), algorithm: "aes256" },
      wildcard: options.hideRecipients ?? false,
      format: "binary",
      config: SEAL_CONFIG,
    });
  } catch (err) {
    // openpgp's messages name keys and algorithms, never the plaintext; keep them for the admin.
    const detail = err instanceof Error ? err.message.slice(0, 200) : "unknown error";
    throw new SealError(`encryption failed: ${detail}`, { cause: err });
  }
}
