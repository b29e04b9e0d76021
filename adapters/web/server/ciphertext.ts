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
import type * as openpgp from "openpgp";
import { armorMessage, encryptedShape, encryptsTo, unarmorMessage } from "../../../src/crypto/inspect.ts";
import { PAD_BUCKETS } from "../../../src/crypto/padding.ts";

export type CiphertextProblem = "not_a_message" | "wrong_size" | "wrong_recipients";

export type Inspection =
  | { ok: true; armored: string; bytes: number }
  | { ok: false; problem: CiphertextProblem; detail: string };

const WILDCARD = "0000000000000000";

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

  // Version 3 session keys only: what seal() writes (SEIPDv1, which GnuPG 2.2 reads).
  const shape = await encryptedShape(binary, { sessionKeyVersion: 3 });
  if (!shape.ok) return refuse("not_a_message", shape.detail);
  const { ids } = shape;

  if (ids.length !== options.recipients.length) {
    return refuse(
      "wrong_recipients",
      `encrypted to ${ids.length} key(s); this counsellor's handoffs go to ${options.recipients.length}`,
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
        if (await encryptsTo(key, id, now)) {
          found = i;
          break;
        }
      }
      if (found < 0) return refuse("wrong_recipients", "encrypted to a key that is not this counsellor's");
      unmatched.splice(found, 1);
    }
  }
  return { ok: true, armored: armorMessage(binary), bytes: binary.length };
}
