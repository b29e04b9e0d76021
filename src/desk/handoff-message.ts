/** The handoff as a desk message: it opens a case, keyed by its case id. */
import { renderHandoffText } from "../content/handoff-text.ts";
import { HandoffDocument } from "../handoff/document.ts";
import { JSON_BEGIN, NotAHandoffError, parsePlaintext } from "../handoff/plaintext.ts";
import { type DeskMessageType, NotADeskMessageError } from "./messages.ts";

export const handoffMessage: DeskMessageType<HandoffDocument> = {
  name: "handoff",
  beginMarker: JSON_BEGIN,
  parse(plaintext) {
    try {
      return parsePlaintext(plaintext).document;
    } catch (err) {
      if (err instanceof NotAHandoffError) throw new NotADeskMessageError("invalid", err.message);
      throw err;
    }
  },
  body: HandoffDocument,
  identify: (d) => ({ caseId: d.caseId, messageId: d.caseId, date: d.date }),
  caseFacts: (d) => ({
    caseCode: d.caseCode,
    received: d.date,
    kind: d.kind,
    topic: d.topic,
    ...(d.counsellorKind ? { counsellorKind: d.counsellorKind } : {}),
    anonymity: d.anonymity,
    ...(d.wishes ? { wishes: d.wishes } : {}),
    mailbox: d.followUp !== undefined,
  }),
  render: (d) => renderHandoffText(d),
};
