/**
 * The key policy, without any file system: is this the pinned key, and may we encrypt to it now?
 * Shared by the server (src/crypto/keys.ts reads the configured file, then applies this) and the
 * secure web page (adapters/web checks the keys the server sends against the fingerprints the
 * server states, in the melder's own browser, before sealing). One policy, one wording.
 */
import * as openpgp from "openpgp";

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
export const MIN_RSA_BITS = 3072;

/**
 * openpgp's own strength rules would throw generic errors before we could say *what* is wrong,
 * so keys are inspected with no algorithm limits and our policy is applied afterwards.
 */
export const INSPECT_CONFIG: openpgp.Config = {
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

export interface PinnedKeyCheck {
  counsellorId: string;
  /** 40 upper-case hex digits. */
  pinned: string;
  role?: "counsellor" | "deputy";
  /** Where the keys came from, for messages: `key file "…"`, or `the key the server sent`. */
  source: string;
  now?: Date;
}

/**
 * Picks the pinned key out of `keys` and applies the policy: a public v4 key with exactly the
 * pinned fingerprint, not revoked, not expired, with a valid self-signature, a strong algorithm
 * and a usable encryption (sub)key. Throws KeyProblemError; returns warnings for the admin.
 */
export async function checkPinnedKey(
  keys: openpgp.Key[],
  check: PinnedKeyCheck,
): Promise<LoadedCounsellorKey> {
  const now = check.now ?? new Date();
  const { counsellorId, pinned, source } = check;
  const who = `counsellor "${counsellorId}"${check.role === "deputy" ? " (deputy key)" : ""}`;
  const fail = (reason: KeyProblemReason, message: string) =>
    new KeyProblemError(counsellorId, reason, `${who}: ${message}`);
  const pinnedShort = shortFingerprint(pinned);

  if (keys.some((k) => k.isPrivate())) {
    throw fail(
      "private-key",
      `${source} holds a PRIVATE key; export only the public key (gpg --armor --export ${pinned}) and remove the private key from this server`,
    );
  }
  const key = keys.find((k) => k.getFingerprint().toUpperCase() === pinned);
  if (!key) {
    const nonV4 = keys.find((k) => k.keyPacket.version !== 4);
    if (nonV4) {
      throw fail(
        "not-v4",
        `${source} holds a version ${nonV4.keyPacket.version} key; only v4 keys are accepted (GnuPG 2.2 cannot use newer ones), see docs/counsellor-keys.md`,
      );
    }
    const found = keys.map((k) => shortFingerprint(k.getFingerprint().toUpperCase())).join(", ");
    throw fail(
      "fingerprint",
      `${source} holds key ${found || "(none)"}, not the pinned ${pinnedShort}; check that key.publicKeyPath and key.fingerprint belong to the same key`,
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
