/**
 * Every message id the product can show. Catalogs (src/content/nl.ts, en.ts) are typed as
 * Record<MessageId, …>, so a missing or misspelt key fails to compile.
 */
import type { ContactFieldId, ReportFieldId, TopicId, WishId } from "./domain.ts";

export type ChoiceId =
  | "continue"
  | "lang_nl"
  | "lang_en"
  | "danger"
  | "stop"
  | "ack"
  | "more"
  | "info"
  | "urgent"
  | "contact"
  | "report"
  | "back"
  | "skip"
  | "send"
  | "edit_report"
  | "edit_contact"
  | "edit_counsellor"
  | "discard"
  | "restart"
  | "anonymous"
  | "named"
  | "typed"
  | "via_chat"
  | "no_preference";

type NoticeId =
  | "danger"
  | "help"
  | "useButtons"
  | "resumed"
  | "staleChoice"
  | "formErrors"
  | "fieldTooLong"
  | "fieldRequired"
  | "fieldInvalid"
  | "timedOut"
  | "unavailable"
  | "handoffKeyProblem"
  | "handoffDeliveryFailed"
  | "handoffInternalError"
  | "busySending"
  | "removedSensitive";

export type MessageId =
  | "welcome.intro"
  | "home.start"
  | "confidentiality.short"
  | "confidentiality.long"
  | "need.question"
  | "info.role"
  | "info.counsellor"
  | "info.back"
  | "urgent.referrals"
  | "topic.question"
  | "topic.outOfScope"
  | "counsellor.question"
  | "counsellor.card"
  | "counsellor.choice"
  | "counsellor.kind.internal"
  | "counsellor.kind.external"
  | "identity.question"
  | "identity.contactOnly"
  | "contactHow.question"
  | "contact.prompt"
  | "contact.title"
  | "contact.formIntro"
  | "contact.open"
  | "report.prompt"
  | "report.title"
  | "report.formIntro"
  | "report.open"
  | "report.field.wishes"
  | "report.hint.wishes"
  | "review.summary"
  | "review.empty"
  | "sending.wait"
  | "done.receipt"
  | "done.next"
  | "stopped.wiped"
  | "form.submit"
  | "form.cancel"
  | "console.choose"
  | "console.invalidChoice"
  | "console.fieldPrompt"
  | "console.multilineHint"
  | "console.skipHint"
  | "console.openHint"
  | "console.bye"
  | `choice.${ChoiceId}`
  | `notice.${NoticeId}`
  | `topic.${TopicId}`
  | `wish.${WishId}`
  | `report.field.${ReportFieldId}`
  | `report.hint.${ReportFieldId}`
  | `contact.field.${ContactFieldId}`
  | `contact.hint.${ContactFieldId}`;
