/**
 * What the server can check about a report sealed in the browser without being able to read it:
 * that it is one OpenPGP message of exactly the shape src/crypto/seal.ts makes (public-key
 * encrypted session keys, then one integrity-protected encrypted packet, nothing else), that its
 * size is one of the padding buckets, and that it is encrypted to exactly the counsellor's (and
 * deputy's) pinned keys — or, with hidden recipients, to exactly as many wildcard key ids.
 *
 * It cannot see a bit flipped inside the encrypted packet (it holds no key, by design); TLS
 * protects the way here, and the counsellor's OpenPGP refuses such a message (its integrity
 * check fails), so nothing altered is ever read as a report.
 *
 * What leaves is re-armored here, in our canonical form: no armor headers or comments from the
 * client reach the counsellor's tools.
 */
import * as openpgp from "openpgp";
import { unarmorMessage } from "../../../src/crypto/armor.ts";
import { PAD_BUCKETS } from "../../../src/crypto/padding.ts";

export type CiphertextProblem = "not_a_message" | "wrong_size" | "wrong_recipients";

export type Inspection =
  | { ok: true; armored: string; bytes: number }
  | { ok: false; problem: CiphertextProblem; detail: string };

const WILDCARD = "0000000000000000";

/** The fields openpgp's typings leave out of its session key packet. */
interface SessionKeyFields {
  version: number;
  publicKeyID: openpgp.KeyID;
}
const ARMOR_CONFIG: openpgp.Config = { ...openpgp.config, showVersion: false, showComment: false };

export interface InspectOptions {
  /** The counsellor's key and, when configured, the deputy's: validated pinned keys. */
  recipients: openpgp.PublicKey[];
  hideRecipients: boolean;
  now?: Date;
}

export async function inspectCiphertext(armored: string, options: InspectOptions): Promise<Inspection> {
  const refuse = (problem: CiphertextProblem, detail: string): Inspection => ({ ok: false, problem, detail });
  const unarmored = await unarmorMessage(armored);
  if (!unarmored.ok) return refuse("not_a_message", unarmored.detail);
  const { binary } = unarmored;
  if (!(PAD_BUCKETS as readonly number[]).includes(binary.length)) {
    return refuse("wrong_size", `message of ${binary.length} bytes is not one of the padding sizes`);
  }

  let packets: openpgp.PacketList<openpgp.AnyPacket>;
  try {
    packets = (await openpgp.readMessage({ binaryMessage: binary })).packets;
  } catch {
    return refuse("not_a_message", "the OpenPGP packets do not parse");
  }
  const all = [...packets];
  const last = all[all.length - 1];
  const sessionKeys = all.slice(0, -1);
  if (!(last instanceof openpgp.SymEncryptedIntegrityProtectedDataPacket)) {
    return refuse("not_a_message", "the message does not end in one integrity-protected encrypted packet");
  }
  const fields = (p: openpgp.AnyPacket) => p as unknown as SessionKeyFields;
  if (
    sessionKeys.length === 0 ||
    !sessionKeys.every(
      (p) => p instanceof openpgp.PublicKeyEncryptedSessionKeyPacket && fields(p).version === 3,
    )
  ) {
    return refuse("not_a_message", "only public-key encrypted session keys may precede the encrypted data");
  }
  const ids = sessionKeys.map((p) => fields(p).publicKeyID.toHex());

  if (sessionKeys.length !== options.recipients.length) {
    return refuse(
      "wrong_recipients",
      `encrypted to ${sessionKeys.length} key(s); this counsellor's handoffs go to ${options.recipients.length}`,
    );
  }
  if (options.hideRecipients) {
    if (!ids.every((id) => id === WILDCARD))
      return refuse("wrong_recipients", "recipient key ids must be hidden");
  } else {
    // Each pinned key must be matched by exactly one session key, to one of its valid encryption keys.
    const now = options.now ?? new Date();
    const unmatched = [...options.recipients];
    for (const id of ids) {
      let found = -1;
      for (const [i, key] of unmatched.entries()) {
        // The key (or subkey) with this id, if it belongs to this pinned key, and only if it is a
        // valid encryption key now (not expired, not revoked, flagged for encryption).
        const part = key.getKeys().find((k) => k.getKeyID().toHex() === id);
        const usable = part ? await key.getEncryptionKey(part.getKeyID(), now).catch(() => null) : null;
        if (usable) {
          found = i;
          break;
        }
      }
      if (found < 0) return refuse("wrong_recipients", "encrypted to a key that is not this counsellor's");
      unmatched.splice(found, 1);
    }
  }
  const canonical = openpgp.armor(
    openpgp.enums.armor.message,
    binary,
    undefined,
    undefined,
    undefined,
    false,
    ARMOR_CONFIG,
  );
  return { ok: true, armored: canonical, bytes: binary.length };
}
