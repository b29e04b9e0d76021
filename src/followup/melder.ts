/**
 * The melder's side of the mailbox's cryptography (docs/follow-up.md), run in their browser — and
 * by the tests and the demo in Node, from the same code. OpenPGP.js and Web Crypto only.
 *
 * - The mailbox key: a v4 Curve25519 key pair (Ed25519 + Curve25519 ECDH, the legacy encoding
 *   GnuPG 2.2 reads, like every key here), dated at the start of the day, with a neutral user id
 *   and no address. Its private half is locked with the passphrase derived from R (secret.ts),
 *   iterated-and-salted S2K with SHA-256 and AES-256: the passphrase has 256 bits of a 100-bit
 *   secret, so a slow S2K would add only waiting (see secret.ts; Argon2 also needs WebAssembly,
 *   which the page's Content-Security-Policy does not allow).
 * - An answer: the MelderAnswer plaintext (src/handoff/follow-up.ts), padded to its size bucket
 *   and encrypted to the counsellor's pinned key(s) and the mailbox key, exactly as a handoff is
 *   sealed (src/crypto/seal.ts): GnuPG 2.2 reads it, the server checks its shape and recipients.
 * - Reading: decrypts with the unlocked key; a counsellor's reply counts as theirs only when it
 *   carries a signature that verifies against their pinned key (or the deputy's).
 */
import * as openpgp from "openpgp";
import { seal } from "../crypto/seal.ts";
import { type MelderAnswer, parseAnswerPlaintext, renderAnswerPlaintext } from "../handoff/follow-up.ts";
import { dayOf, dayStart } from "../time/day.ts";

/** The user id on every mailbox key: the same for all, nothing about the melder. */
export const MAILBOX_KEY_NAME = "Vertrouwd brievenbus";

const KEY_CONFIG: openpgp.PartialConfig = {
  v6Keys: false,
  aeadProtect: false,
  s2kType: openpgp.enums.s2k.iterated,
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  preferredHashAlgorithm: openpgp.enums.hash.sha256,
};

export interface MailboxKeys {
  publicKey: string;
  lockedPrivateKey: string;
}

export async function createMailboxKeys(passphrase: string, now = new Date()): Promise<MailboxKeys> {
  const { publicKey, privateKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: MAILBOX_KEY_NAME }],
    passphrase,
    date: dayStart(dayOf(now)),
    format: "armored",
    config: KEY_CONFIG,
  });
  return { publicKey, lockedPrivateKey: privateKey };
}

/** The private key, unlocked; throws when the passphrase does not fit (a different R). */
export async function unlockMailboxKey(
  lockedPrivateKey: string,
  passphrase: string,
): Promise<openpgp.PrivateKey> {
  const privateKey = await openpgp.readPrivateKey({ armoredKey: lockedPrivateKey });
  return openpgp.decryptKey({ privateKey, passphrase });
}

/** The melder's answer, sealed for the counsellor (and deputy) and the mailbox key itself. */
export async function sealAnswer(
  answer: MelderAnswer,
  keys: { counsellorKeys: openpgp.PublicKey[]; melderKey: openpgp.PublicKey },
): Promise<string> {
  const sealed = await seal(new TextEncoder().encode(renderAnswerPlaintext(answer)), {
    recipients: [...keys.counsellorKeys, keys.melderKey],
    day: answer.date,
    hideRecipients: false,
  });
  return sealed.armored;
}

export type OpenedMessage =
  | { ok: true; text: string; signed: "counsellor" | "deputy" | "none" }
  | { ok: false };

/**
 * One message of the mailbox, decrypted. A melder's own answer shows its text; a counsellor's
 * reply its whole plaintext (trailing padding dropped), with who signed it.
 */
export async function openMailboxMessage(
  armored: string,
  from: "counsellor" | "melder",
  keys: { privateKey: openpgp.PrivateKey; counsellor: openpgp.PublicKey[]; deputy: openpgp.PublicKey[] },
): Promise<OpenedMessage> {
  try {
    const message = await openpgp.readMessage({ armoredMessage: armored });
    const verificationKeys = [...keys.counsellor, ...keys.deputy];
    const { data, signatures } = await openpgp.decrypt({
      message,
      decryptionKeys: keys.privateKey,
      ...(verificationKeys.length > 0 ? { verificationKeys } : {}),
      format: "binary",
    });
    const text = new TextDecoder().decode(data as Uint8Array);
    if (from === "melder") {
      try {
        return { ok: true, text: parseAnswerPlaintext(text).text, signed: "none" };
      } catch {
        return { ok: false };
      }
    }
    let signed: "counsellor" | "deputy" | "none" = "none";
    for (const s of signatures) {
      if (!(await s.verified.catch(() => false))) continue;
      const id = s.keyID.toHex();
      const owns = (k: openpgp.PublicKey) => k.getKeys().some((part) => part.getKeyID().toHex() === id);
      if (keys.counsellor.some(owns)) signed = "counsellor";
      else if (signed === "none" && keys.deputy.some(owns)) signed = "deputy";
    }
    return { ok: true, text: text.replace(/\s+$/, ""), signed };
  } catch {
    return { ok: false };
  }
}
