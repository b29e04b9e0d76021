/**
 * What the server checks about the mailbox's keys and messages without being able to read any of
 * them (docs/follow-up.md):
 *
 * - the melder's keys (opening a mailbox): the public key passes the same policy as a
 *   counsellor's (v4, not revoked or expired, Curve25519 or RSA ≥ 3072, can encrypt), and the
 *   locked private key is that very key, with every secret part encrypted;
 * - a melder's answer (sealed in the browser): one OpenPGP message of a padding size, public-key
 *   session keys then one integrity-protected packet, encrypted to the counsellor's pinned key(s)
 *   and to the melder's own mailbox key;
 * - a counsellor's reply (`vertrouwd reply`, or `gpg --sign` around `gpg --encrypt` and curl): an
 *   OpenPGP signed message whose every signature verifies against the mailbox counsellor's (or
 *   deputy's) pinned key, whose literal data is an OpenPGP message (binary or armored) with a
 *   session key for the melder's mailbox key. Only that inner message is kept, re-armored; the
 *   outer signature (with its exact time) is dropped.
 */
import * as openpgp from "openpgp";
import { armorMessage, encryptedShape, encryptsTo, unarmorMessage } from "../crypto/inspect.ts";
import { INSPECT_CONFIG, KeyProblemError, checkPinnedKey } from "../crypto/key-policy.ts";
import { PAD_BUCKETS } from "../crypto/padding.ts";

/** Largest inner message of a counsellor's reply, binary (gpg's replies are not padded). */
export const REPLY_MAX_BYTES = 64 * 1024;
/** The padding sizes a melder's answer may have (an answer is at most 8,000 characters). */
export const ANSWER_BUCKETS = PAD_BUCKETS.filter((b) => b <= 64 * 1024);

export type MessageProblem =
  | "bad_key"
  | "not_a_message"
  | "wrong_size"
  | "wrong_recipients"
  | "too_large"
  | "not_signed"
  | "wrong_signer";

export type Checked<T> = ({ ok: true } & T) | { ok: false; problem: MessageProblem; detail: string };

const refuse = (problem: MessageProblem, detail: string) => ({ ok: false as const, problem, detail });

/** The melder's public key and its locked private key, as the page sends them when opening. */
export async function checkMelderKeys(
  armoredPublic: string,
  armoredLocked: string,
  now: Date,
): Promise<Checked<{ key: openpgp.PublicKey; publicArmored: string; lockedArmored: string }>> {
  let key: openpgp.PublicKey;
  try {
    const keys = await openpgp.readKeys({ armoredKeys: armoredPublic, config: INSPECT_CONFIG });
    if (keys.length !== 1 || keys[0]?.isPrivate())
      return refuse("bad_key", "melderPublicKey must be one public key");
    key = keys[0] as openpgp.PublicKey;
  } catch {
    return refuse("bad_key", "melderPublicKey is not an armored OpenPGP public key");
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  try {
    await checkPinnedKey([key], {
      counsellorId: "melder",
      pinned: fingerprint,
      source: "melderPublicKey",
      now,
    });
  } catch (err) {
    if (err instanceof KeyProblemError)
      return refuse("bad_key", `melderPublicKey is refused (${err.reason})`);
    throw err;
  }
  let locked: openpgp.PrivateKey;
  try {
    locked = await openpgp.readPrivateKey({ armoredKey: armoredLocked, config: INSPECT_CONFIG });
  } catch {
    return refuse("bad_key", "lockedPrivateKey is not an armored OpenPGP private key");
  }
  if (locked.getFingerprint().toUpperCase() !== fingerprint) {
    return refuse("bad_key", "lockedPrivateKey is not the private half of melderPublicKey");
  }
  const parts = [
    locked.keyPacket,
    ...locked.getSubkeys().map((s) => s.keyPacket),
  ] as openpgp.SecretKeyPacket[];
  if (!parts.every((p) => p.isDummy() === false && !p.isDecrypted())) {
    return refuse("bad_key", "lockedPrivateKey must have every secret part encrypted with a passphrase");
  }
  const subkeys = locked.getSubkeys().map((s) => s.getFingerprint());
  if (
    subkeys.length !== key.getSubkeys().length ||
    !key.getSubkeys().every((s) => subkeys.includes(s.getFingerprint()))
  ) {
    return refuse("bad_key", "lockedPrivateKey's subkeys differ from melderPublicKey's");
  }
  // Stored re-armored: our canonical form, without anything the client added around the keys.
  return { ok: true, key, publicArmored: key.armor(), lockedArmored: locked.armor() };
}

/** True when one of `ids` names a valid encryption (sub)key of `key`. */
async function encryptsToAny(key: openpgp.PublicKey, ids: string[], now: Date): Promise<boolean> {
  for (const id of ids) if (await encryptsTo(key, id, now)) return true;
  return false;
}

/** The sealed shape, with at most 8 session keys (a counsellor, a deputy, the mailbox, and room). */
async function shapeOf(binary: Uint8Array): Promise<Checked<{ ids: string[] }>> {
  const shape = await encryptedShape(binary, { maxSessionKeys: 8 });
  return shape.ok ? shape : refuse("not_a_message", shape.detail);
}

/** A melder's answer, sealed in the browser to the counsellor (and deputy) and the melder's key. */
export async function checkAnswer(
  armored: string,
  options: { counsellorKeys: openpgp.PublicKey[]; melderKey: openpgp.PublicKey; now: Date },
): Promise<Checked<{ armored: string; bytes: number }>> {
  const unarmored = await unarmorMessage(armored);
  if (!unarmored.ok) return refuse("not_a_message", unarmored.detail);
  const { binary } = unarmored;
  if (!(ANSWER_BUCKETS as number[]).includes(binary.length)) {
    return refuse("wrong_size", `message of ${binary.length} bytes is not one of the padding sizes`);
  }
  const shape = await shapeOf(binary);
  if (!shape.ok) return shape;
  for (const key of options.counsellorKeys) {
    if (!(await encryptsToAny(key, shape.ids, options.now))) {
      return refuse("wrong_recipients", "not encrypted to this mailbox's counsellor (and deputy)");
    }
  }
  if (!(await encryptsToAny(options.melderKey, shape.ids, options.now))) {
    return refuse("wrong_recipients", "not encrypted to this mailbox's key");
  }
  if (shape.ids.length !== options.counsellorKeys.length + 1) {
    return refuse("wrong_recipients", "encrypted to keys other than the counsellor's and this mailbox's");
  }
  return { ok: true, armored: armorMessage(binary), bytes: binary.length };
}

/** A counsellor's reply: signed by a pinned key, around a message encrypted to the melder's key. */
export async function checkReply(
  armoredSigned: string,
  options: { signers: openpgp.PublicKey[]; melderKey: openpgp.PublicKey; now: Date },
): Promise<Checked<{ armored: string; bytes: number }>> {
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await openpgp.readMessage({ armoredMessage: armoredSigned });
  } catch {
    return refuse("not_a_message", "the body is not an ASCII-armored OpenPGP message (gpg --sign --armor)");
  }
  const config = { maxDecompressedMessageSize: 4 * REPLY_MAX_BYTES };
  let data: Uint8Array;
  let signatures: openpgp.VerifyMessageResult["signatures"];
  try {
    const verified = await openpgp.verify({
      message,
      verificationKeys: options.signers,
      format: "binary",
      date: options.now,
      config,
    });
    data = verified.data as Uint8Array;
    signatures = verified.signatures;
  } catch {
    return refuse("not_a_message", "the signed message does not parse (or is too large once decompressed)");
  }
  if (signatures.length === 0) {
    return refuse("not_signed", "the reply is not signed; sign it with your key (gpg --sign --armor)");
  }
  for (const s of signatures) {
    const valid = await s.verified.catch(() => false);
    if (!valid) {
      return refuse(
        "wrong_signer",
        "the signature does not verify against the pinned key of this mailbox's counsellor or deputy",
      );
    }
  }
  let inner: Uint8Array = data;
  const head = new TextDecoder().decode(data.slice(0, 64));
  if (head.trimStart().startsWith("-----BEGIN PGP MESSAGE-----")) {
    try {
      const unarmored = await openpgp.unarmor(new TextDecoder().decode(data));
      inner = unarmored.data as Uint8Array;
    } catch {
      return refuse("not_a_message", "the signed data is not an OpenPGP message");
    }
  }
  if (inner.length > REPLY_MAX_BYTES) {
    return refuse("too_large", `the encrypted reply is larger than ${REPLY_MAX_BYTES} bytes`);
  }
  const shape = await shapeOf(inner);
  if (!shape.ok) {
    return refuse("not_a_message", `the signed data must be an encrypted OpenPGP message: ${shape.detail}`);
  }
  if (!(await encryptsToAny(options.melderKey, shape.ids, options.now))) {
    return refuse(
      "wrong_recipients",
      "the reply is not encrypted to this mailbox's key (the melder could not read it); encrypt to the melder's key with its key id visible",
    );
  }
  return { ok: true, armored: armorMessage(inner), bytes: inner.length };
}
