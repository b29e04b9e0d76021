/**
 * Reading an ASCII-armored OpenPGP message that someone else sent (a page, a counsellor's
 * tools) before checking its shape: only the armor type and the bytes, never the content.
 */
import * as openpgp from "openpgp";

export type Unarmored = { ok: true; binary: Uint8Array } | { ok: false; detail: string };

/** The message's bytes, or why the text is not an armored PGP MESSAGE (the detail quotes no data). */
export async function unarmorMessage(armored: string): Promise<Unarmored> {
  try {
    const unarmored = await openpgp.unarmor(armored);
    if (unarmored.type !== openpgp.enums.armor.message)
      return { ok: false, detail: "armor is not a PGP MESSAGE" };
    return { ok: true, binary: unarmored.data as Uint8Array };
  } catch {
    return { ok: false, detail: "not ASCII-armored OpenPGP data" };
  }
}
