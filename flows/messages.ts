/**
 * Every message id the product can show. Catalogs (src/content/nl.ts, en.ts) are typed as
 * Record<MessageId, …>, so a missing or misspelt key fails to compile.
 */
import type {
  ContactFieldId,
  InfoScreen,
  OutOfScopeTopicId,
  ReportFieldId,
  TopicId,
  WishId,
} from "./domain.ts";

export type ChoiceId =
  | "continue"
  | "continue_anyway"
  | "lang_nl"
  | "lang_en"
  | "danger"
  | "stop"
  | "ack"
  | "more"
  | "info"
  | "urgent"
  | "form"
  | "back"
  | "other_topic"
  | "restart"
  | "next"
  | "report"
  | "contact"
  | "anonymous"
  | "named"
  | "typed"
  | "via_chat"
  | "no_preference"
  | "send"
  | "edit_topic"
  | "edit_counsellor"
  | "edit_identity"
  | "edit_contact"
  | "edit_report"
  | "discard"
  | "discard_yes"
  | "refresh"
  | "web"
  // The anonymous mailbox (links, never answers): opening one from the receipt, and checking it.
  | "mailbox_open"
  | "mailbox";

export type NoticeId =
  | "danger"
  | "help"
  | "formHelp"
  | "typed"
  | "resumed"
  | "staleChoice"
  | "formClosed"
  | "formGone"
  | "stopAfterSend"
  | "timedOut"
  | "timedOutKept"
  | "unavailable"
  | "formUnavailable"
  | "handoffKeyProblem"
  | "handoffInternalError"
  | "formErrors"
  | "fieldTooLong"
  | "fieldRequired"
  | "fieldInvalid";

export type MessageId =
  // The chat: neutral navigation only.
  | "welcome.intro"
  | "home.start"
  | "confidentiality.short"
  | "confidentiality.long"
  | "need.question"
  | "info.menu"
  | "info.next"
  | `info.${InfoScreen}`
  | `info.choice.${InfoScreen}`
  | "urgent.referrals"
  | "urgent.back"
  | "org.contacts"
  | "org.contact"
  | "form.offered"
  | "form.sent"
  | "stopped.wiped"
  // The form: the matter.
  | "form.title"
  | "form.pick"
  | "form.close"
  | "form.dangerTitle"
  | "form.backToForm"
  | "mode.question"
  | "topic.question"
  | `topic.${TopicId}`
  | `topic.outOfScope.${OutOfScopeTopicId}`
  | "counsellor.question"
  | "counsellor.card"
  | "counsellor.pick"
  | "counsellor.choice"
  | "identity.question"
  | "contactHow.question"
  | "contactHow.contactRequest"
  | "contact.intro"
  | `contact.field.${ContactFieldId}`
  | `contact.hint.${ContactFieldId}`
  | "report.intro"
  | `report.field.${ReportFieldId}`
  | `report.hint.${ReportFieldId}`
  | "report.field.wishes"
  | "report.hint.wishes"
  | `wish.${WishId}`
  | "review.summary"
  | "review.empty"
  | "discard.confirm"
  | "sending.wait"
  | "done.receipt"
  | "done.mailbox"
  | "stopped.form"
  // The secure web page: its own texts where the chat's would be untrue, and the page around the flow.
  | "web.welcome"
  | "web.confidentiality.short"
  | "web.confidentiality.long"
  | "web.info.retention"
  | "web.form.offered"
  | "web.stopped"
  | "web.stopAfterSend"
  | "web.identity"
  | "web.contact.intro"
  | "web.title"
  | "web.noscript"
  | "web.insecure"
  | "web.loadFailed"
  | "web.footer"
  | "web.safety"
  | "web.formHeading"
  | "web.closeForm"
  | "web.selectNone"
  | "web.pickOne"
  | "web.errorSummary"
  | "web.rateLimited"
  | "web.network"
  | "web.refused"
  | "web.statusFailed"
  // The terminal.
  | "console.choose"
  | "console.invalidChoice"
  | "console.multilineHint"
  | "console.skipHint"
  | "console.formStart"
  | "console.formEnd"
  | "console.fill"
  | "console.closeForm"
  | "console.openHint"
  | "console.bye"
  | "console.webLink"
  | `choice.${ChoiceId}`
  | `notice.${NoticeId}`;
