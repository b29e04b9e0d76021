/**
 * The plaintext inside a sealed handoff: the readable text for the counsellor, then the JSON
 * document between two marker lines, then padding (spaces). Markers always sit at column 0 and
 * the readable text indents everything the melder typed, so a report cannot fake a marker; the
 * JSON is the authoritative copy for tools, the text is for people reading `gpg --decrypt`.
 */
import { HandoffDocument } from "./document.ts";
import { renderHandoffText } from "./text.ts";

export const JSON_BEGIN = "-----BEGIN VERTROUWD HANDOFF JSON-----";
export const JSON_END = "-----END VERTROUWD HANDOFF JSON-----";

export function renderPlaintext(doc: HandoffDocument): string {
  return `${renderHandoffText(doc)}\n${JSON_BEGIN}\n${JSON.stringify(doc, null, 2)}\n${JSON_END}\n`;
}

/** Thrown when decrypted data is not a Vertrouwd handoff. Never quotes the data. */
export class NotAHandoffError extends Error {
  constructor(detail: string) {
    super(`decrypted data is not a Vertrouwd handoff: ${detail}`);
    this.name = "NotAHandoffError";
  }
}

export function parsePlaintext(plaintext: string): { text: string; document: HandoffDocument } {
  const lines = plaintext.replace(/\r\n?/g, "\n").split("\n");
  // The last marker pair wins; earlier column-0 markers cannot come from melder text anyway.
  const end = lines.lastIndexOf(JSON_END);
  const begin = end < 0 ? -1 : lines.lastIndexOf(JSON_BEGIN, end);
  if (begin < 0 || end < 0) throw new NotAHandoffError("no JSON block found");
  let raw: unknown;
  try {
    raw = JSON.parse(lines.slice(begin + 1, end).join("\n"));
  } catch {
    throw new NotAHandoffError("the JSON block does not parse");
  }
  const parsed = HandoffDocument.safeParse(raw);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))].slice(0, 5);
    throw new NotAHandoffError(`the document fails validation at ${paths.join(", ")}`);
  }
  return { text: `${lines.slice(0, begin).join("\n").trimEnd()}\n`, document: parsed.data };
}
