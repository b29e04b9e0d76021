/**
 * The two sealed messages of the anonymous follow-up (docs/follow-up.md) besides the handoff:
 *
 * - the follow-up notice: a melder who reported in Slack or Teams opened a mailbox afterwards
 *   (through the single-use link in the receipt view); sealed by the server to the counsellor,
 *   it tells the counsellor the mailbox id and the melder's public key — what a web report
 *   carries inside the handoff's `followUp` part;
 * - the melder's answer: written and sealed in the melder's browser to the counsellor (and to
 *   the melder's own mailbox key), delivered through the counsellor's usual transport.
 *
 * Both follow the handoff's plaintext layout (plaintext.ts): readable text with everything the
 * melder typed indented, then the JSON between two column-0 marker lines, so `desk import`
 * dispatches on the marker and nothing the melder typed can fake one. This module runs in the
 * web page's bundle too: zod and Web Crypto only, no Node APIs.
 */
import { z } from "zod";
import { LOCALES } from "../../flows/domain.ts";
import { HANDOFF_WORDS } from "../content/handoff-words.ts";
import { CASE_CODE } from "./case.ts";
import { FollowUp } from "./document.ts";
import { block } from "./text.ts";

export const NOTICE_BEGIN = "-----BEGIN VERTROUWD FOLLOW-UP NOTICE JSON-----";
export const NOTICE_END = "-----END VERTROUWD FOLLOW-UP NOTICE JSON-----";
export const ANSWER_BEGIN = "-----BEGIN VERTROUWD MELDER ANSWER JSON-----";
export const ANSWER_END = "-----END VERTROUWD MELDER ANSWER JSON-----";

/** Longest answer a melder can write in the mailbox (characters). */
export const ANSWER_MAX_LENGTH = 8_000;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const FollowUpNotice = z
  .object({
    v: z.literal(1),
    /** The case the mailbox belongs to (the handoff's caseId). */
    caseId: z.string().uuid(),
    caseCode: z.string().regex(CASE_CODE),
    /** Day the mailbox was opened (day only, like every date Vertrouwd sends). */
    date: Day,
    locale: z.enum(LOCALES),
    followUp: FollowUp,
  })
  .strict();
export type FollowUpNotice = z.infer<typeof FollowUpNotice>;

export const MelderAnswer = z
  .object({
    v: z.literal(1),
    caseId: z.string().uuid(),
    caseCode: z.string().regex(CASE_CODE),
    mailboxId: FollowUp.shape.mailboxId,
    /** UUID made in the browser: the desk's idempotency key for this answer. */
    messageId: z.string().uuid(),
    date: Day,
    locale: z.enum(LOCALES),
    text: z.string().min(1).max(ANSWER_MAX_LENGTH),
  })
  .strict();
export type MelderAnswer = z.infer<typeof MelderAnswer>;

/** Thrown when decrypted data is not the expected follow-up message. Never quotes the data. */
export class NotAFollowUpMessageError extends Error {
  constructor(detail: string) {
    super(`decrypted data is not a Vertrouwd follow-up message: ${detail}`);
    this.name = "NotAFollowUpMessageError";
  }
}

function withJson(text: string, begin: string, end: string, doc: unknown): string {
  return `${text.trimEnd()}\n\n${begin}\n${JSON.stringify(doc, null, 2)}\n${end}\n`;
}

export function renderNoticePlaintext(notice: FollowUpNotice): string {
  const n = FollowUpNotice.parse(notice);
  const w = HANDOFF_WORDS[n.locale];
  const text = [w.noticeTitle, "=".repeat(w.noticeTitle.length), "", w.notice(n.caseCode)].join("\n");
  return withJson(text, NOTICE_BEGIN, NOTICE_END, n);
}

export function renderAnswerPlaintext(answer: MelderAnswer): string {
  const a = MelderAnswer.parse(answer);
  const w = HANDOFF_WORDS[a.locale];
  const text = [
    w.answerMessageTitle,
    "=".repeat(w.answerMessageTitle.length),
    "",
    w.answerMessageIntro(a.caseCode),
    "",
    block(a.text, "  "),
    "",
    w.answerMessageReply(a.caseCode),
  ].join("\n");
  return withJson(text, ANSWER_BEGIN, ANSWER_END, a);
}

/** The JSON block between the last pair of column-0 markers, validated by `schema`. */
function parseBlock<T>(
  plaintext: string,
  begin: string,
  end: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
): T {
  const lines = plaintext.replace(/\r\n?/g, "\n").split("\n");
  const last = lines.lastIndexOf(end);
  const first = last < 0 ? -1 : lines.lastIndexOf(begin, last);
  if (first < 0 || last < 0) throw new NotAFollowUpMessageError("no JSON block found");
  let raw: unknown;
  try {
    raw = JSON.parse(lines.slice(first + 1, last).join("\n"));
  } catch {
    throw new NotAFollowUpMessageError("the JSON block does not parse");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))].slice(0, 5);
    throw new NotAFollowUpMessageError(`the document fails validation at ${paths.join(", ")}`);
  }
  return parsed.data;
}

export const parseNoticePlaintext = (plaintext: string) =>
  parseBlock(plaintext, NOTICE_BEGIN, NOTICE_END, FollowUpNotice);
export const parseAnswerPlaintext = (plaintext: string) =>
  parseBlock(plaintext, ANSWER_BEGIN, ANSWER_END, MelderAnswer);
