/**
 * Opening a handoff on the counsellor's machine: decrypt (src/crypto), then read the plaintext
 * back into its readable text and the validated document.
 */
import { OpenError, type OpenOptions, type SignatureStatus, openMessage } from "../crypto/open.ts";
import type { HandoffDocument } from "./document.ts";
import { NotAHandoffError, parsePlaintext } from "./plaintext.ts";

export { OpenError as OpenHandoffError, readPrivateKeyForOpen } from "../crypto/open.ts";
export type { OpenOptions, OpenProblemReason, SignatureStatus } from "../crypto/open.ts";

export interface OpenedHandoff {
  /** The human-readable part, for printing. */
  text: string;
  document: HandoffDocument;
  /** unverified = signed, but no verification key was given. */
  signature: SignatureStatus;
}

export async function openHandoff(armored: string, options: OpenOptions): Promise<OpenedHandoff> {
  const { data, signature } = await openMessage(armored, options);
  let plaintext: string;
  try {
    plaintext = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new OpenError("not-a-handoff", "the decrypted data is not UTF-8 text, so not a Vertrouwd handoff");
  }
  try {
    const { text, document } = parsePlaintext(plaintext);
    return { text, document, signature };
  } catch (err) {
    if (err instanceof NotAHandoffError) throw new OpenError("not-a-handoff", err.message);
    throw err;
  }
}
