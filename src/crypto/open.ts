/**
 * The counsellor's side: decrypt a sealed handoff with their private key, check the bot's
 * signature when asked, and return the readable text plus the validated document.
 */
import * as openpgp from "openpgp";

export type OpenProblemReason =
  | "bad-private-key"
  | "passphrase-required"
  | "wrong-passphrase"
  | "not-a-message"
  | "wrong-key"
  | "corrupted"
  | "not-a-handoff";

/** A message could not be opened. Messages are for the counsellor and never quote the data. */
export class OpenError extends Error {
  readonly reason: OpenProblemReason;
  constructor(reason: OpenProblemReason, message: string) {
    super(message);
    this.name = "OpenError";
    this.reason = reason;
  }
}

export type SignatureStatus = "valid" | "invalid" | "absent" | "unverified";

export interface OpenedMessage {
  data: Uint8Array;
  /** unverified = signed, but no verification key was given. */
  signature: SignatureStatus;
}

export interface OpenOptions {
  privateKeyArmored: string;
  passphrase?: string;
  verificationKeys?: openpgp.PublicKey[];
}

/** Reads the private key and unlocks it. Exported for the CLI, which asks for a passphrase only when needed. */
export async function readPrivateKeyForOpen(armored: string): Promise<openpgp.PrivateKey> {
  try {
    return await openpgp.readPrivateKey({ armoredKey: armored });
  } catch {
    throw new OpenError("bad-private-key", "the key file does not hold an armored OpenPGP private key");
  }
}

async function unlock(key: openpgp.PrivateKey, passphrase: string | undefined): Promise<openpgp.PrivateKey> {
  if (key.isDecrypted()) return key;
  if (passphrase === undefined || passphrase === "") {
    throw new OpenError(
      "passphrase-required",
      "the private key is protected by a passphrase; none was given",
    );
  }
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch {
    throw new OpenError("wrong-passphrase", "the passphrase for the private key is wrong");
  }
}

export async function openMessage(armored: string, options: OpenOptions): Promise<OpenedMessage> {
  const privateKey = await unlock(await readPrivateKeyForOpen(options.privateKeyArmored), options.passphrase);

  let message: openpgp.Message<string>;
  try {
    message = await openpgp.readMessage({ armoredMessage: armored });
  } catch {
    throw new OpenError(
      "not-a-message",
      "the file is not an armored OpenPGP message (damaged, truncated, or not a Vertrouwd message)",
    );
  }

  // Integrity failure must surface before any plaintext is used: decrypt() buffers the whole
  // message and rejects on a bad MDC instead of returning partial data.
  let decrypted: openpgp.DecryptMessageResult;
  try {
    decrypted = await openpgp.decrypt({
      message,
      decryptionKeys: privateKey,
      ...(options.verificationKeys?.length ? { verificationKeys: options.verificationKeys } : {}),
      format: "binary",
      config: { allowUnauthenticatedMessages: false, allowUnauthenticatedStream: false },
    });
  } catch (err) {
    const text = err instanceof Error ? err.message : "";
    // "Key Data Integrity failed" is the ECDH key unwrap failing: a hidden recipient that is not us.
    if (
      /session key decryption failed|no decryption key packets found|key data integrity failed/i.test(text)
    ) {
      throw new OpenError("wrong-key", "this message was not encrypted to the given private key");
    }
    // With hidden recipients an RSA key that is not a recipient yields a random session key
    // (by design, against oracles), so a wrong key then looks exactly like damage.
    const hidden = message.getEncryptionKeyIDs().every((id) => id.toHex() === "0000000000000000");
    throw new OpenError(
      "corrupted",
      hidden
        ? "the message could not be decrypted: its recipients are hidden, so either it is not for this key or it was damaged or tampered with"
        : "the message failed its integrity check (damaged or tampered with); ask for it to be sent again",
    );
  }

  const signature = await signatureStatus(decrypted.signatures, options.verificationKeys);
  return { data: decrypted.data as unknown as Uint8Array, signature };
}

async function signatureStatus(
  signatures: openpgp.DecryptMessageResult["signatures"],
  verificationKeys: openpgp.PublicKey[] | undefined,
): Promise<SignatureStatus> {
  // Each `verified` promise rejects when it cannot be verified; settle all so none goes unhandled.
  const outcomes = await Promise.allSettled(signatures.map((s) => s.verified));
  if (signatures.length === 0) return "absent";
  if (!verificationKeys || verificationKeys.length === 0) return "unverified";
  return outcomes.every((o) => o.status === "fulfilled") ? "valid" : "invalid";
}
