/**
 * Sealing a handoff: the document is validated, rendered to its plaintext (readable text plus
 * JSON) and handed to src/crypto as bytes. The only place a HandoffDocument meets encryption.
 */
import { SealError, type SealOptions, type SealResult, seal } from "../crypto/seal.ts";
import { HandoffDocument } from "./document.ts";
import { renderPlaintext } from "./plaintext.ts";

export type HandoffSealOptions = Omit<SealOptions, "day">;

export async function sealHandoff(doc: HandoffDocument, options: HandoffSealOptions): Promise<SealResult> {
  const parsed = HandoffDocument.safeParse(doc);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))].slice(0, 5);
    throw new SealError(`handoff document is invalid at ${paths.join(", ")}`);
  }
  return seal(new TextEncoder().encode(renderPlaintext(parsed.data)), { ...options, day: parsed.data.date });
}
