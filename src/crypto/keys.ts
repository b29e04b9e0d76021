/**
 * Counsellor keys: loaded from the configured file, pinned by full fingerprint and checked before
 * every seal. A bad key fails closed with an admin-facing error that names the counsellor and
 * the reason, never the file's contents.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as openpgp from "openpgp";

/** Where a pinned key lives and the full fingerprint it must have (the config's key reference). */
export interface PinnedKeyRef {
  publicKeyPath: string;
  /** 40 hex digits, upper case. */
  fingerprint: string;
}

export type KeyProblemReason =
  | "missing"
  | "unreadable"
  | "fingerprint"
  | "expired"
  | "revoked"
  | "weak"
  | "no-encryption"
  | "not-v4"
  | "private-key";

/** A counsellor (or deputy) key that must not be used. The message is for the admin. */
export class KeyProblemError extends Error {
  readonly counsellorId: string;
  readonly reason: KeyProblemReason;
  constructor(counsellorId: string, reason: KeyProblemReason, message: string) {
    super(message);
    this.name = "KeyProblemError";
    this.counsellorId = counsellorId;
    this.reason = reason;
  }
}

/** The bot's own signing key could not be used. */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningKeyError";
  }
}

export interface LoadedCounsellorKey {
  key: openpgp.PublicKey;
  /** 40 upper-case hex digits. */
  fingerprint: string;
  /** The earliest of the primary key's and the encryption subkey's expiry; null = never. */
  expiresAt: Date | null;
  /** Admin-facing, e.g. expiry within 30 days. */
  warnings: string[];
}

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A public key block is a few KiB; anything far larger is not what the admin meant to configure. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;
export const MIN_RSA_BITS = 3072;

/**
 * openpgp's own strength rules would throw generic errors before we could say *what* is wrong,
 * so keys are inspected with no algorithm limits and our policy is applied afterwards.
 */
const INSPECT_CONFIG: openpgp.Config = {
  ...openpgp.config,
  minRSABits: 0,
  rejectCurves: new Set(),
  rejectPublicKeyAlgorithms: new Set(),
};

export const shortFingerprint = (fp: string): string => `${fp.slice(0, 4)}…${fp.slice(-4)}`;
const day = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Our algorithm policy: RSA ≥ 3072 bits or Curve25519 (legacy and RFC 9580 forms).
 * Returns a description of the problem, or null when the algorithm is acceptable.
 */
export function algorithmProblem(info: openpgp.AlgorithmInfo): string | null {
  switch (info.algorithm) {
    case "rsaEncryptSign":
    case "rsaEncrypt":
    case "rsaSign":
      return (info.bits ?? 0) >= MIN_RSA_BITS ? null : `RSA with ${info.bits ?? "unknown"} bits`;
    case "eddsaLegacy":
      return info.curve === "ed25519Legacy" ? null : `EdDSA on curve ${info.curve ?? "unknown"}`;
    case "ecdh":
      return info.curve === "curve25519Legacy" ? null : `ECDH on curve ${info.curve ?? "unknown"}`;
    case "ed25519":
    case "x25519":
      return null;
    default:
      return info.curve ? `${info.algorithm} on curve ${info.curve}` : info.algorithm;
  }
}

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
  const pinned = ref.fingerprint;
  const pinnedShort = shortFingerprint(pinned);

  const keys = await readKeyFile(filePath, fail);
  if (keys.some((k) => k.isPrivate())) {
    throw fail(
      "private-key",
      `key file "${filePath}" holds a PRIVATE key; export only the public key (gpg --armor --export ${pinned}) and remove the private key from this server`,
    );
  }
  const key = keys.find((k) => k.getFingerprint().toUpperCase() === pinned);
  if (!key) {
    const nonV4 = keys.find((k) => k.keyPacket.version !== 4);
    if (nonV4) {
      throw fail(
        "not-v4",
        `key file "${filePath}" holds a version ${nonV4.keyPacket.version} key; only v4 keys are accepted (GnuPG 2.2 cannot use newer ones), see docs/counsellor-keys.md`,
      );
    }
    const found = keys.map((k) => shortFingerprint(k.getFingerprint().toUpperCase())).join(", ");
    throw fail(
      "fingerprint",
      `key file "${filePath}" holds key ${found || "(none)"}, not the pinned ${pinnedShort}; check that key.publicKeyPath and key.fingerprint belong to the same key`,
    );
  }
  // A 40-digit pinned fingerprint can only match a v4 key; this guards against future formats.
  if (key.keyPacket.version !== 4) {
    throw fail(
      "not-v4",
      `key ${pinnedShort} is a version ${key.keyPacket.version} key; only v4 keys are accepted`,
    );
  }

  if (await key.isRevoked(undefined, undefined, now, INSPECT_CONFIG)) {
    throw fail(
      "revoked",
      `key ${pinnedShort} is revoked; ask the counsellor for their new public key and update key.publicKeyPath and key.fingerprint`,
    );
  }
  const primaryExpiry = await key.getExpirationTime(undefined, INSPECT_CONFIG);
  if (primaryExpiry instanceof Date && primaryExpiry.getTime() <= now.getTime()) {
    throw fail(
      "expired",
      `key ${pinnedShort} expired on ${day(primaryExpiry)}; ask the counsellor for a renewed key and update key.fingerprint`,
    );
  }
  try {
    await key.verifyPrimaryKey(now, undefined, INSPECT_CONFIG);
  } catch {
    throw fail(
      "unreadable",
      `key ${pinnedShort} has no valid self-signature at this time (damaged, not yet valid, or all user ids revoked); export it again from the counsellor's keyring`,
    );
  }
  const primaryProblem = algorithmProblem(key.getAlgorithmInfo());
  if (primaryProblem) {
    throw fail(
      "weak",
      `key ${pinnedShort} uses ${primaryProblem}; only RSA of ${MIN_RSA_BITS} bits or more and Curve25519 (ed25519/cv25519) are accepted`,
    );
  }

  const encryptionKey = await key
    .getEncryptionKey(undefined, now, undefined, INSPECT_CONFIG)
    .catch(() => null);
  if (!encryptionKey) throw await explainMissingEncryptionKey(key, now, pinnedShort, fail);
  const encryptionProblem = algorithmProblem(encryptionKey.getAlgorithmInfo());
  if (encryptionProblem) {
    throw fail(
      "weak",
      `the encryption subkey of ${pinnedShort} uses ${encryptionProblem}; only RSA of ${MIN_RSA_BITS} bits or more and Curve25519 (cv25519) are accepted`,
    );
  }

  let expiresAt: Date | null = primaryExpiry instanceof Date ? primaryExpiry : null;
  if (encryptionKey !== key) {
    const subkeyExpiry = await (encryptionKey as openpgp.Subkey).getExpirationTime(now, INSPECT_CONFIG);
    if (subkeyExpiry instanceof Date && (!expiresAt || subkeyExpiry < expiresAt)) expiresAt = subkeyExpiry;
  }

  const warnings: string[] = [];
  if (expiresAt && expiresAt.getTime() - now.getTime() <= EXPIRY_WARNING_DAYS * DAY_MS) {
    const days = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS));
    warnings.push(
      `${who}: key ${pinnedShort} expires on ${day(expiresAt)} (in ${days} day${days === 1 ? "" : "s"}); ask the counsellor to extend it and export the public key again`,
    );
  }
  if (encryptionKey.getAlgorithmInfo().algorithm === "x25519") {
    warnings.push(
      `${who}: key ${pinnedShort} encrypts with the RFC 9580 X25519 algorithm, which GnuPG 2.2 cannot decrypt; the counsellor needs GnuPG 2.5+, Sequoia or vertrouwd open`,
    );
  }
  return { key: key as openpgp.PublicKey, fingerprint: pinned, expiresAt, warnings };
}

/** Says why getEncryptionKey found nothing: an expired or revoked encryption subkey, or none at all. */
async function explainMissingEncryptionKey(
  key: openpgp.Key,
  now: Date,
  fp: string,
  fail: (reason: KeyProblemReason, message: string) => KeyProblemError,
): Promise<KeyProblemError> {
  const encryptFlags = openpgp.enums.keyFlags.encryptCommunication | openpgp.enums.keyFlags.encryptStorage;
  const candidates = key.subkeys.filter((s) =>
    s.bindingSignatures.some((sig) => !sig.keyFlags || ((sig.keyFlags[0] ?? 0) & encryptFlags) !== 0),
  );
  let latestExpiry: Date | null = null;
  let revoked = 0;
  for (const subkey of candidates) {
    const binding = subkey.bindingSignatures[subkey.bindingSignatures.length - 1];
    if (binding && (await subkey.isRevoked(binding, key.keyPacket, now, INSPECT_CONFIG).catch(() => false))) {
      revoked++;
      continue;
    }
    const expiry = await subkey.getExpirationTime(now, INSPECT_CONFIG);
    if (expiry instanceof Date && expiry <= now && (!latestExpiry || expiry > latestExpiry))
      latestExpiry = expiry;
  }
  if (latestExpiry) {
    return fail(
      "expired",
      `the encryption subkey of ${fp} expired on ${day(latestExpiry)}; ask the counsellor to extend it (gpg --quick-set-expire) and export the public key again`,
    );
  }
  if (candidates.length > 0 && revoked === candidates.length) {
    return fail(
      "revoked",
      `every encryption subkey of ${fp} is revoked; ask the counsellor to add a new encryption subkey and export the public key again`,
    );
  }
  return fail(
    "no-encryption",
    `key ${fp} has no valid encryption subkey; ask the counsellor to add one (gpg --quick-add-key <fingerprint> cv25519 encr) and export the public key again`,
  );
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
