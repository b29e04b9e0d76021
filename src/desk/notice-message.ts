/**
 * The follow-up notice as a desk message: a melder who reported in Slack or Teams opened an
 * anonymous mailbox afterwards. It opens no case; it attaches the mailbox (id, the melder's
 * public key, the page's address) to the case with the same case id. A notice that arrives
 * before its handoff stays in the register and joins the case once the handoff is imported
 * (cases.ts folds it in then; until that moment `desk list` counts it as waiting).
 *
 * Its identity is the mailbox id: the same notice delivered twice is one entry.
 */
import {
  FollowUpNotice,
  NOTICE_BEGIN,
  NotAFollowUpMessageError,
  parseNoticePlaintext,
  renderNoticePlaintext,
} from "../handoff/follow-up.ts";
import { type DeskMessageType, NotADeskMessageError } from "./messages.ts";

export const NOTICE_TYPE = "followup-notice";

export const noticeMessage: DeskMessageType<FollowUpNotice> = {
  name: NOTICE_TYPE,
  beginMarker: NOTICE_BEGIN,
  parse(plaintext) {
    try {
      return parseNoticePlaintext(plaintext);
    } catch (err) {
      if (err instanceof NotAFollowUpMessageError) throw new NotADeskMessageError("invalid", err.message);
      throw err;
    }
  },
  body: FollowUpNotice,
  identify: (n) => ({
    caseId: n.caseId,
    messageId: n.followUp.mailboxId,
    date: n.date,
    caseCode: n.caseCode,
  }),
  // The readable part only: the JSON block holds the key, which `vertrouwd reply` reads itself.
  render: (n) => renderNoticePlaintext(n).split(`\n\n${NOTICE_BEGIN}`)[0] as string,
};
