/**
 * Looking at an OpenPGP message someone else made (a page, a counsellor's tools) without opening
 * it: the armor, the packets' shape, and the key ids its session keys are encrypted to. Nothing
 * here decrypts, and no detail quotes the data.
 */
import * as openpgp from "openpgp";

export type Inspected<T> = ({ ok: true } & T) | { ok: false; detail: string };

/** The message's bytes, or why the text is not an armored PGP MESSAGE. */
export async function unarmorMessage(armored: string): Promise<Inspected<{ binary: Uint8Array }>> {
  try {
    const unarmored = await openpgp.unarmor(armored);
    if (unarmored.type !== openpgp.enums.armor.message)
      return { ok: false, detail: "armor is not a PGP MESSAGE" };
    return { ok: true, binary: unarmored.data as Uint8Array };
  } catch {
    return { ok: false, detail: "not ASCII-armored OpenPGP data" };
  }
}

interface SessionKeyFields {
  version: number;
  publicKeyID: openpgp.KeyID;
}

/**
 * The shape every sealed message here has: public-key encrypted session keys, then one
 * integrity-protected encrypted packet, nothing else. Answers with the session keys' key ids
 * (hex; all zeros for a hidden recipient).
 */
export async function encryptedShape(
  binary: Uint8Array,
  options: { sessionKeyVersion?: number; maxSessionKeys?: number } = {},
): Promise<Inspected<{ ids: string[] }>> {
  let packets: openpgp.AnyPacket[];
  try {
    packets = [...(await openpgp.readMessage({ binaryMessage: binary })).packets];
  } catch {
    return { ok: false, detail: "the OpenPGP packets do not parse" };
  }
  const last = packets[packets.length - 1];
  const sessionKeys = packets.slice(0, -1);
  if (!(last instanceof openpgp.SymEncryptedIntegrityProtectedDataPacket)) {
    return { ok: false, detail: "the message does not end in one integrity-protected encrypted packet" };
  }
  const fields = (p: openpgp.AnyPacket) => p as unknown as SessionKeyFields;
  if (
    sessionKeys.length === 0 ||
    sessionKeys.length > (options.maxSessionKeys ?? Number.POSITIVE_INFINITY) ||
    !sessionKeys.every(
      (p) =>
        p instanceof openpgp.PublicKeyEncryptedSessionKeyPacket &&
        (options.sessionKeyVersion === undefined || fields(p).version === options.sessionKeyVersion),
    )
  ) {
    return { ok: false, detail: "only public-key encrypted session keys may precede the encrypted data" };
  }
  return { ok: true, ids: sessionKeys.map((p) => fields(p).publicKeyID.toHex()) };
}

/**
 * True when `id` names a (sub)key of `key` that is a valid encryption key at `now`: not expired,
 * not revoked, flagged for encryption.
 */
export async function encryptsTo(key: openpgp.PublicKey, id: string, now: Date): Promise<boolean> {
  const part = key.getKeys().find((k) => k.getKeyID().toHex() === id);
  return part ? (await key.getEncryptionKey(part.getKeyID(), now).catch(() => null)) !== null : false;
}

const ARMOR_CONFIG: openpgp.Config = { ...openpgp.config, showVersion: false, showComment: false };

/** The canonical armored form of a checked message: no headers, no comments the client added. */
export const armorMessage = (binary: Uint8Array): string =>
  openpgp.armor(openpgp.enums.armor.message, binary, undefined, undefined, undefined, false, ARMOR_CONFIG);
