/**
 * Counsellor keys: loaded from the configured file, pinned by full fingerprint and checked before
 * every seal. A bad key fails closed with an admin-facing error that names the counsellor and
 * the reason, never the file's contents.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as openpgp from "openpgp";
import {
  INSPECT_CONFIG,
  KeyProblemError,
  type KeyProblemReason,
  type LoadedCounsellorKey,
  MIN_RSA_BITS,
  algorithmProblem,
  checkPinnedKey,
} from "./key-policy.ts";

/** Where a pinned key lives and the full fingerprint it must have (the config's key reference). */
export interface PinnedKeyRef {
  publicKeyPath: string;
  /** 40 hex digits, upper case. */
  fingerprint: string;
}

export {
  EXPIRY_WARNING_DAYS,
  KeyProblemError,
  type KeyProblemReason,
  type LoadedCounsellorKey,
  MIN_RSA_BITS,
  algorithmProblem,
  shortFingerprint,
} from "./key-policy.ts";

/** The bot's own signing key could not be used. */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningKeyError";
  }
}

/** A public key block is a few KiB; anything far larger is not what the admin meant to configure. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

async function readKeyFile(
  filePath: string,
  fail: (reason: KeyProblemReason, message: string) => KeyProblemError,
): Promise<openpgp.Key[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw fail(
        "missing",
        `public key file "${filePath}" does not exist; export the counsellor's public key there`,
      );
    }
    throw fail("unreadable", `public key file "${filePath}" cannot be read (${code ?? "I/O error"})`);
  }
  if (bytes.length > MAX_KEY_FILE_BYTES) {
    throw fail(
      "unreadable",
      `public key file "${filePath}" is larger than 1 MiB; it does not look like a public key`,
    );
  }
  try {
    // Accept both `gpg --armor --export` and plain `gpg --export` output.
    const text = bytes.toString("latin1");
    if (text.includes("-----BEGIN PGP"))
      return await openpgp.readKeys({ armoredKeys: bytes.toString("utf8") });
    return await openpgp.readKeys({ binaryKeys: new Uint8Array(bytes) });
  } catch {
    throw fail("unreadable", `public key file "${filePath}" does not hold a readable OpenPGP public key`);
  }
}

/**
 * Loads and validates one counsellor (or deputy) key. Throws KeyProblemError when the key must
 * not be used; returns warnings the admin should see (e.g. expiry within 30 days).
 */
export async function loadCounsellorKey(
  ref: PinnedKeyRef,
  counsellorId: string,
  options: { now?: Date; baseDir?: string; role?: "counsellor" | "deputy" } = {},
): Promise<LoadedCounsellorKey> {
  const now = options.now ?? new Date();
  const who = `counsellor "${counsellorId}"${options.role === "deputy" ? " (deputy key)" : ""}`;
  const fail = (reason: KeyProblemReason, message: string) =>
    new KeyProblemError(counsellorId, reason, `${who}: ${message}`);
  const filePath = path.resolve(options.baseDir ?? process.cwd(), ref.publicKeyPath);
  const keys = await readKeyFile(filePath, fail);
  return checkPinnedKey(keys, {
    counsellorId,
    pinned: ref.fingerprint,
    source: `key file "${filePath}"`,
    now,
    ...(options.role ? { role: options.role } : {}),
  });
}

/**
 * The bot's optional signing key (armored private key). It must be able to sign now and use an
 * algorithm GnuPG 2.2 can verify: Ed25519 in its legacy encoding, or RSA ≥ 3072.
 */
export async function loadSigningKey(filePath: string, passphrase?: string): Promise<openpgp.PrivateKey> {
  let armored: string;
  try {
    armored = await readFile(filePath, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SigningKeyError(
      code === "ENOENT"
        ? `signing key file "${filePath}" does not exist`
        : `signing key file "${filePath}" cannot be read (${code ?? "I/O error"})`,
    );
  }
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch {
    throw new SigningKeyError(`signing key file "${filePath}" does not hold an armored OpenPGP private key`);
  }
  if (key.keyPacket.version !== 4) {
    throw new SigningKeyError(`signing key in "${filePath}" is not a v4 key; GnuPG 2.2 could not verify it`);
  }
  if (!key.isDecrypted()) {
    if (!passphrase) {
      throw new SigningKeyError(
        `signing key in "${filePath}" is passphrase-protected and no passphrase was given`,
      );
    }
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch {
      throw new SigningKeyError(`signing key in "${filePath}": the passphrase is wrong`);
    }
  }
  let signingKey: openpgp.PrivateKey | openpgp.Subkey;
  try {
    signingKey = (await key.getSigningKey(undefined, new Date(), undefined, INSPECT_CONFIG)) as
      | openpgp.PrivateKey
      | openpgp.Subkey;
  } catch {
    throw new SigningKeyError(
      `signing key in "${filePath}" cannot sign now (expired, revoked, or without a signing-capable key)`,
    );
  }
  const info = signingKey.getAlgorithmInfo();
  const gpg22Verifiable =
    (info.algorithm === "eddsaLegacy" && info.curve === "ed25519Legacy") ||
    (info.algorithm.startsWith("rsa") && (info.bits ?? 0) >= MIN_RSA_BITS);
  if (!gpg22Verifiable) {
    throw new SigningKeyError(
      `signing key in "${filePath}" uses ${algorithmProblem(info) ?? info.algorithm}; use Ed25519 (legacy encoding, e.g. openpgp "ecc" / gpg "ed25519") or RSA ≥ ${MIN_RSA_BITS} so GnuPG 2.2 can verify`,
    );
  }
  return key;
}
