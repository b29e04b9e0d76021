/** English texts (second language). Same keys as nl.ts; the compiler checks both are complete. */
import type { MessageId, Params } from "../../flows/model.ts";
import { fieldLabel, languageList, referralList, reviewSummary } from "./compose.ts";
import { REFERRALS_CHECKED } from "./referrals.ts";
import type { Catalog } from "./types.ts";

const referralNames: Record<string, string> = {
  emergency: "Immediate danger: emergency number",
  police: "Police, non-emergency",
  suicide: "Suicide prevention (113 Zelfmoordpreventie)",
  sexualViolence: "Centrum Seksueel Geweld (sexual violence centre)",
  victimSupport: "Slachtofferhulp Nederland (victim support)",
  whistleblowers: "Huis voor Klokkenluiders (free advice on wrongdoing)",
  humanRights: "College voor de Rechten van de Mens (discrimination)",
};

const kind = (p: Params) =>
  p.kind === "internal" ? "internal confidential counsellor" : "external confidential counsellor";
const langs = (p: Params) => languageList(p.languages, { nl: "Dutch", en: "English" });

const review = reviewSummary({
  heading: "*This is what will be sent* (only you see this summary):",
  kind: "Kind",
  kindReport: "first report",
  kindContact: "request to be contacted (no report)",
  topic: "Topic",
  counsellor: "Counsellor",
  anonymous: "Anonymous",
  anonymousYes: "yes — no name or chat id",
  anonymousNo: "no",
  name: "Name",
  contactVia: "Contact via",
  viaThisChat: "this chat",
  wishes: "What you would like",
  closing: "Is this right? You can send it, change it, or throw it all away.",
  filledIn: (n) => `filled in (${n} characters)`,
  given: "given",
  redactedNote: "_Your text is not in this chat. Choose *Change report* to read or change it in the form._",
});

export const en: Catalog = {
  "welcome.intro":
    "Hello. I am Vertrouwd, the digital way in to the confidential counsellors (vertrouwenspersonen) of {organisation}. " +
    "I am a program, not a person: I do not read along and I do not judge.\n\n" +
    "I can help you find your way: information about the counsellor, help when it is urgent, or a first report " +
    "that only the counsellor you choose can read. You do not have to report anything to ask a question.\n\n" +
    "You can stop at any time by typing *stop*: I then throw away everything you entered. " +
    "Are you in danger right now? Choose *I am in danger now*.",
  "home.start":
    "Open this app's *Messages* tab to start. Before I ask anything, I explain what stays confidential and what the chat platform and admins can still see.",
  "confidentiality.short":
    "*First: what happens to what you share?*\n\n" +
    "• The counsellor is bound to secrecy. What you tell them is shared with nobody without your consent.\n" +
    "• But 'confidential' has limits. A counsellor has no legal privilege, so a court can call them as a witness. " +
    "For certain serious crimes the law can require secrecy to be broken. " +
    "And if someone is in serious, immediate danger and there is no other way out, the counsellor may have to act in a conflict of duties — where possible after talking to you.\n" +
    "• This conversation runs through Slack or Microsoft Teams. Messages you *type* here are kept by them according to your organisation's settings, " +
    "and some admins can export or search chats. The fact that you talk to me may be visible to them.\n" +
    "• That is why I never ask for your story in the chat itself, but in a separate form. It is encrypted so only your counsellor can open it; nothing readable stays on your organisation's servers.\n" +
    "• You can report anonymously. Anonymous means anonymous to your organisation and the counsellor — not to Slack or Microsoft themselves.",
  "confidentiality.long":
    "*More about confidentiality*\n\n" +
    "*Secrecy.* The counsellor may not pass anything on without your consent — not to your manager, HR or management. " +
    "They do not investigate and do not judge; you stay in control of what happens.\n\n" +
    "*The limits.* (1) No legal privilege: in court proceedings the counsellor can be made to testify. " +
    "(2) Legal duties: knowing about certain serious crimes can create a duty to report them. " +
    "(3) Conflict of duties: if serious harm to you or someone else is imminent and there is no other way, the counsellor may decide to act anyway. " +
    "These are exceptions; the counsellor will explain if one applies.\n\n" +
    "*The channel.* Slack and Microsoft keep typed chat messages for as long as your organisation's retention settings say. " +
    "Admins with the right permissions can export or search chats (Slack exports or Discovery, Microsoft eDiscovery). " +
    "That you were in contact with this app may also be visible to them. " +
    "So you fill in your report in a form that does not enter the chat history; the text is encrypted for the counsellor straight away. " +
    "The summary before sending, too, names only which fields you filled in, not what you wrote; after sending, I remove it.\n\n" +
    "*Anonymous.* If you choose anonymous, no name, e-mail address, chat id or exact time is sent — only the date. " +
    "Slack or Microsoft technically still know who talked to the app.",
  "need.question": "How can I help you?",
  "info.role":
    "*What does a confidential counsellor do?*\n" +
    "A counsellor listens, supports you and helps you think through what you can do: from doing nothing or just being heard, " +
    "to a conversation, an informal solution, mediation, a formal complaint to the complaints committee or a report to the police. " +
    "Nothing happens against your will, and the counsellor stays available for aftercare.\n" +
    "A counsellor does not investigate, establish facts or judge, and is not part of HR, the works council, the complaints committee or top management. " +
    "You can come to them with unwanted behaviour (aggression, sexual harassment, intimidation, bullying, discrimination, racism) and with integrity issues (fraud, theft, abuse of power, wrongdoing). " +
    "That includes temps, interns, seconded staff, and people who left less than a year ago.",
  "info.counsellor": (p) => `*${p.name}* — ${kind(p)} (speaks ${langs(p)})\n${p.intro}`,
  "info.back": "Back to the options?",
  "urgent.referrals": () =>
    `*Help you can reach now*\n${referralList(referralNames, false)}\n\nYou can also turn to the company doctor (bedrijfsarts), your GP (huisarts), company social work, a mediator, a lawyer or a psychotherapist, and to your organisation's complaints committee.\n_Numbers checked on ${REFERRALS_CHECKED}._`,
  "topic.question": "Roughly what is it about? You do not need to be sure — choose *Not sure* if in doubt.",
  "topic.outOfScope": (p, t) =>
    `For '${t(`topic.${p.topic}` as MessageId)}' a confidential counsellor is usually not the first place to go. Think of HR, your manager or their manager, company social work, an ombudsperson, or (in a labour dispute) your union or a lawyer.\n\nBut if it is also about how you are treated — being bullied, intimidated or excluded around such a situation — then it does belong with the counsellor. If in doubt, feel free to continue: the counsellor will think it through with you.`,
  "counsellor.question": "Who would you like to talk to? Choose the person you trust most.",
  "counsellor.card": (p) => `*${p.name}* — ${kind(p)} (speaks ${langs(p)})\n${p.intro}`,
  "counsellor.choice": "{name}",
  "counsellor.kind.internal": "internal counsellor (works in the organisation)",
  "counsellor.kind.external": "external counsellor (independent, from outside)",
  "identity.question":
    "Would you like to stay anonymous, or give your name?\n\n" +
    "• *Anonymous*: no name, e-mail address or chat id is sent. The counsellor then cannot contact you; " +
    "for integrity reports they can still act as an intermediary towards the organisation.\n" +
    "• *With my name*: you say yourself how the counsellor can reach you. It all stays confidential.",
  "identity.contactOnly":
    "To contact you, the counsellor needs a way to reach you. You give it yourself, and it stays confidential.",
  "contactHow.question":
    "How would you like to be reached?\n" +
    "• *Type it myself*: a phone number or private e-mail address, in a form that does not enter the chat.\n" +
    "• *Via this chat*: the counsellor gets your chat id and messages you here. That message falls under Slack's or Teams' retention rules.",
  "contact.prompt": "Fill in how the counsellor can reach you.",
  "contact.title": "How can the counsellor reach you?",
  "contact.formIntro": "This is encrypted with your message and does not enter the chat history.",
  "contact.open": "Enter contact details",
  "contact.field.name": "Name (a first name is fine)",
  "contact.field.route": "Phone number or private e-mail address",
  "contact.hint.name": "How would you like to be addressed?",
  "contact.hint.route": "Preferably not your work address if you don't want your employer to see it.",
  "report.prompt":
    "Would you like to tell what happened? You do that in a separate form; everything is optional. " +
    "You may also *Skip*: the counsellor then only gets your choices so far.",
  "report.title": "First report",
  "report.formIntro":
    "Fill in what you want to share; every field may stay empty. The text is encrypted for the counsellor and does not enter the chat history.",
  "report.open": "Open the form",
  "report.field.what": "What happened?",
  "report.field.when": "When (roughly)?",
  "report.field.where": "Where?",
  "report.field.who": "Who was involved?",
  "report.field.witnesses": "Were there witnesses?",
  "report.field.impact": "How does it affect you?",
  "report.field.urgent": "Is there anything urgent the counsellor should know?",
  "report.field.wishes": "What would you like?",
  "report.hint.what": "In your own words, as short or long as you like.",
  "report.hint.when": "For example: last week, since March, every Friday.",
  "report.hint.where": "For example: at the office, online, at a team outing.",
  "report.hint.who": "Names or roles; you may leave this empty.",
  "report.hint.witnesses": "You may leave this empty.",
  "report.hint.impact": "For example on your work, your health or your sense of safety.",
  "report.hint.urgent": "For example if you do not feel safe at work.",
  "report.hint.wishes": "You can always change your mind later.",
  "wish.heard": "Only to be heard",
  "wish.advice": "Advice on my options",
  "wish.informal": "An informal solution",
  "wish.mediation": "Mediation",
  "wish.complaint": "To file a formal complaint",
  "wish.not_sure": "Don't know yet",
  "review.summary": review,
  "review.empty": "• (no details filled in)",
  "sending.wait": "Encrypting and sending your message…",
  "done.receipt":
    "✅ *Sent to {counsellor}.*\n" +
    "Case code: *{caseCode}*\nDate: {date}\nChecksum (SHA-256 of the encrypted message): `{sha256}`\n" +
    "Keep the case code if you want to refer to this report later. Your draft has been wiped.",
  "done.next": (p) =>
    `*What happens now?* The counsellor reads your message and — if you gave a way to reach you — contacts you. After that, you decide what happens. If you contact them yourself, mention your case code.${p.reachVia ? `\nYou can also reach ${p.counsellor} directly: ${p.reachVia}` : ""}`,
  "stopped.wiped": "Everything you entered has been wiped. You can start again at any time.",
  "form.submit": "Done",
  "form.cancel": "Cancel",
  "console.choose": "Choose a number",
  "console.invalidChoice": "I don't know that number. Type one of the numbers above, or 'help'.",
  "console.fieldPrompt": "{label}",
  "console.multilineHint":
    "(several lines; finish with an empty line or a line with just a dot; Enter right away = skip)",
  "console.skipHint": "(Enter = skip)",
  "console.openHint": "Open it with: {command}",
  "console.bye": "Goodbye. Nothing was kept except the encrypted message.",
  "choice.continue": "Continue",
  "choice.lang_nl": "Nederlands",
  "choice.lang_en": "English",
  "choice.danger": "I am in danger now",
  "choice.stop": "Stop and wipe everything",
  "choice.ack": "Understood, continue",
  "choice.more": "Tell me more",
  "choice.info": "Information about the counsellor",
  "choice.urgent": "I need help urgently",
  "choice.contact": "I'd like a counsellor to contact me",
  "choice.report": "I want to make a first report",
  "choice.back": "Back",
  "choice.skip": "Skip",
  "choice.send": "Send",
  "choice.edit_report": "Change report",
  "choice.edit_contact": "Change contact",
  "choice.edit_counsellor": "Other counsellor",
  "choice.discard": "Throw away",
  "choice.restart": "Start again",
  "choice.anonymous": "Anonymous",
  "choice.named": "With my name",
  "choice.typed": "Type it myself",
  "choice.via_chat": "Via this chat",
  "choice.no_preference": "No preference",
  "notice.danger": () =>
    `*Are you in danger now? Call 112.*\n${referralList(referralNames, true)}\n_Numbers checked on ${REFERRALS_CHECKED}._ Your conversation here stays where you were.`,
  "notice.help":
    "You choose with the buttons. You can also type: *stop* wipes everything, *help* shows this, *danger* shows emergency numbers. " +
    "Never type your story in the chat, only in the form.",
  "notice.useButtons":
    "I do not treat typed messages as a report — the chat platform keeps them. Please use the buttons; your story goes in the form. Type *help* for more.",
  "notice.resumed": "Let's continue where you were.",
  "notice.staleChoice": "That choice belongs to an earlier step. Here is where we are now.",
  "notice.formErrors": "Not everything could be saved. Nothing you entered is lost.",
  "notice.fieldTooLong": (p, t) =>
    `'${fieldLabel(String(p.field), t)}' is too long (at most ${p.max} characters). Your text was not saved yet; shorten it and try again.`,
  "notice.fieldRequired": (p, t) => `'${fieldLabel(String(p.field), t)}' is needed to continue.`,
  "notice.fieldInvalid": (p, t) =>
    `Please choose one of the options for '${fieldLabel(String(p.field), t)}'.`,
  "notice.timedOut":
    "You were inactive for a while, so I wiped your draft to keep it safe. Let's start again.",
  "notice.unavailable":
    "I can't process your message right now (temporary problem). Nothing is lost; please try again in a minute. In danger: call 112.",
  "notice.handoffKeyProblem":
    "Sending is not possible right now: this counsellor's security key is not in order. The admin has been warned. " +
    "Your report is not lost: choose another counsellor or try again later.",
  "notice.handoffDeliveryFailed":
    "Sending failed after several attempts. Nothing readable was kept and your report is still ready below: try again later or choose another counsellor.",
  "notice.handoffInternalError":
    "Something went wrong while sending. Your report is still ready below; please try again.",
  "notice.busySending": "One moment: I am sending your message.",
  "notice.removedSensitive":
    "I removed the summary of your report from this chat. The chat platform may still hold a copy of what was shown, according to your organisation's retention settings.",
  "topic.aggression": "Aggression or violence",
  "topic.sexual_harassment": "Sexual harassment or unwanted intimacy",
  "topic.intimidation": "Intimidation",
  "topic.bullying": "Bullying",
  "topic.discrimination": "Discrimination or racism",
  "topic.integrity": "Fraud, theft or abuse of power",
  "topic.wrongdoing": "Wrongdoing in the public interest",
  "topic.other_conduct": "Other unwanted behaviour",
  "topic.performance": "Performance review",
  "topic.reorganisation": "Reorganisation",
  "topic.labour_dispute": "Labour dispute",
  "topic.private_matter": "Private matter",
  "topic.prefer_not_say": "I'd rather not say",
  "topic.not_sure": "Not sure",
};
