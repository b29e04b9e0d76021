/**
 * The melder's answer as a desk message: written and sealed in the melder's browser, delivered
 * through the counsellor's usual transport. It belongs to the case with the same case id and
 * shows in `desk show` as part of the case's thread; it opens no case and adds no fact the
 * list or the annual report counts. Its identity is the message id the browser made, so the
 * same answer delivered twice (delivery is at least once) is one entry.
 */
import {
  ANSWER_BEGIN,
  MelderAnswer,
  NotAFollowUpMessageError,
  parseAnswerPlaintext,
} from "../handoff/follow-up.ts";
import { type DeskMessageType, NotADeskMessageError } from "./messages.ts";

export const ANSWER_TYPE = "melder-answer";

export const answerMessage: DeskMessageType<MelderAnswer> = {
  name: ANSWER_TYPE,
  beginMarker: ANSWER_BEGIN,
  parse(plaintext) {
    try {
      return parseAnswerPlaintext(plaintext);
    } catch (err) {
      if (err instanceof NotAFollowUpMessageError) throw new NotADeskMessageError("invalid", err.message);
      throw err;
    }
  },
  body: MelderAnswer,
  identify: (a) => ({ caseId: a.caseId, messageId: a.messageId, date: a.date, caseCode: a.caseCode }),
  // The melder's own words; `desk show` prints them indented and made safe for a terminal.
  render: (a) => a.text,
};
