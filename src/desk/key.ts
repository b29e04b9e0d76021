/**
 * The counsellor's own key, the only key the desk uses. Every register file is sealed to its
 * public half and signed with it (src/crypto/seal.ts: padded to a size bucket, GnuPG-readable),
 * and every register file read back must carry that signature: anyone can encrypt to a public
 * key, so without it a planted file could add a case or close one.
 */
import * as openpgp from "openpgp";
import { OpenError, type SignatureStatus, openMessage, readPrivateKeyForOpen } from "../crypto/open.ts";
import { SealError, seal } from "../crypto/seal.ts";
import { DeskError } from "./errors.ts";

export class DeskKey {
  readonly publicKey: openpgp.PublicKey;
  /** 40 upper-case hex digits. */
  readonly fingerprint: string;
  /** Why this key cannot write to the register (expired, cannot sign or encrypt), or null. */
  readonly writeProblem: string | null;
  private readonly privateKey: openpgp.PrivateKey;
  /** The unlocked key, armored in memory only: openMessage takes an armored key. */
  private readonly unlockedArmored: string;

  private constructor(privateKey: openpgp.PrivateKey, writeProblem: string | null) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.toPublic();
    this.fingerprint = privateKey.getFingerprint().toUpperCase();
    this.unlockedArmored = privateKey.armor();
    this.writeProblem = writeProblem;
  }

  /** Reads and unlocks the private key once per command (a GnuPG key's S2K takes a while). */
  static async unlock(armored: string, passphrase?: string): Promise<DeskKey> {
    let key = await readPrivateKeyForOpen(armored);
    if (!key.isDecrypted()) {
      if (!passphrase) {
        throw new OpenError(
          "passphrase-required",
          "the private key is protected by a passphrase; none was given",
        );
      }
      try {
        key = await openpgp.decryptKey({ privateKey: key, passphrase });
      } catch {
        throw new OpenError("wrong-passphrase", "the passphrase for the private key is wrong");
      }
    }
    return new DeskKey(key, await writeProblem(key));
  }

  /** "ABCD…1234": enough to tell keys apart in a message. */
  get shortFingerprint(): string {
    return `${this.fingerprint.slice(0, 4)}…${this.fingerprint.slice(-4)}`;
  }

  /**
   * Seals register data to this key, signed by it. The message carries the current UTC day, not
   * the moment: a signature must never be dated in the future of the clock that verifies it
   * (00:00 of the Amsterdam day is still yesterday in UTC for an hour or two after midnight),
   * and it is the machine's real clock that checks it, whatever day the desk is told it is.
   */
  async sealEntry(plaintext: string): Promise<string> {
    if (this.writeProblem) throw new DeskError(this.writeProblem);
    try {
      const sealed = await seal(new TextEncoder().encode(plaintext), {
        recipients: [this.publicKey],
        day: new Date().toISOString().slice(0, 10),
        signingKey: this.privateKey,
      });
      return sealed.armored;
    } catch (err) {
      if (err instanceof SealError) throw new DeskError(`cannot encrypt to your key: ${err.message}`);
      throw err;
    }
  }

  /**
   * Seals a message to `others` and to this key, signed inside by this key, padded to a size
   * bucket (src/crypto/seal.ts): the counsellor's answer through the anonymous mailbox, which
   * the melder and the counsellor can both read. Returns the binary OpenPGP message. Recipient
   * key ids stay visible: the server checks the message is encrypted to the mailbox's key.
   */
  async sealTo(others: openpgp.PublicKey[], plaintext: Uint8Array, day: string): Promise<Uint8Array> {
    if (this.writeProblem) throw new DeskError(this.writeProblem);
    const { armored } = await seal(plaintext, {
      recipients: [...others, this.publicKey],
      day,
      signingKey: this.privateKey,
    });
    return openpgp.unarmor(armored).then((u) => u.data as Uint8Array);
  }

  /**
   * An armored signed message (as `gpg --sign --armor` makes) whose literal data is `data`:
   * the envelope the mailbox server checks against this counsellor's pinned key.
   */
  async signMessage(data: Uint8Array): Promise<string> {
    if (this.writeProblem) throw new DeskError(this.writeProblem);
    return openpgp.sign({
      message: await openpgp.createMessage({ binary: data }),
      signingKeys: this.privateKey,
      format: "armored",
      config: { showVersion: false, showComment: false },
    });
  }

  /** Opens register data; it must be signed by this same key. */
  async openEntry(armored: string): Promise<string> {
    const { data, signature } = await openMessage(armored, {
      privateKeyArmored: this.unlockedArmored,
      verificationKeys: [this.publicKey],
    });
    if (signature !== "valid") throw new UntrustedEntryError();
    return new TextDecoder("utf-8", { fatal: false }).decode(data);
  }

  /** Opens a message someone sent to this key (a handoff), checking the sender's signature if keys are given. */
  async openIncoming(
    armored: string,
    verificationKeys?: openpgp.PublicKey[],
  ): Promise<{ data: Uint8Array; signature: SignatureStatus }> {
    return openMessage(armored, {
      privateKeyArmored: this.unlockedArmored,
      ...(verificationKeys?.length ? { verificationKeys } : {}),
    });
  }
}

/** A register file decrypted with the counsellor's key but was not signed by it. */
export class UntrustedEntryError extends Error {
  constructor() {
    super("not signed by your key; it was not written by the desk");
    this.name = "UntrustedEntryError";
  }
}

async function writeProblem(key: openpgp.PrivateKey): Promise<string | null> {
  const fp = key.getFingerprint().toUpperCase();
  const short = `${fp.slice(0, 4)}…${fp.slice(-4)}`;
  try {
    await key.getEncryptionKey();
  } catch {
    return `your key ${short} has no usable encryption subkey (expired or revoked?); extend it with gpg --quick-set-expire and export it again`;
  }
  try {
    await key.getSigningKey();
  } catch {
    return `your key ${short} cannot sign (expired, or the primary key is not in this file); the register needs a key that can sign and encrypt`;
  }
  return null;
}
