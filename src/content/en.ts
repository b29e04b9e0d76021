/**
 * English texts (the second language). Plain, short sentences at the same level as the Dutch,
 * written as English rather than translated word for word.
 */
import type { Params } from "../../flows/model.ts";
import {
  counsellorCard,
  counsellorReach,
  fieldLabel,
  formatDay,
  formatNumber,
  orgContact,
  referralList,
  reviewSummary,
} from "./compose.ts";
import { REFERRALS_REVIEWED } from "./referrals.ts";
import type { Catalog } from "./types.ts";

const referrals = {
  names: {
    emergency: "Immediate danger: emergency number",
    police: "Police, non-emergency",
    suicide: "113 Suicide Prevention",
    sexualViolence: "Sexual Violence Centre (Centrum Seksueel Geweld)",
    domesticViolence: "Veilig Thuis (violence at home)",
    victimSupport: "Victim Support Netherlands",
    whistleblowers: "Whistleblowers Authority (free advice on wrongdoing)",
    humanRights: "Netherlands Institute for Human Rights (discrimination)",
  },
  free: "free",
  notFree: "not free",
  allDay: "day and night",
  workingDays: "on working days",
  or: "or",
} as const;

const reviewed = `_Numbers from the project's notes, last reviewed on ${formatDay("en", REFERRALS_REVIEWED)}. If in doubt, check the organisation's own website._`;

const card = counsellorCard({
  internal: "internal counsellor (works for the organisation)",
  external: "external counsellor (independent, from outside)",
  speaks: (l) => `Speaks ${l}.`,
  deputy: (d) => `Deputy: ${d}, who can also open your message.`,
  languageNames: { nl: "Dutch", en: "English" },
});

const review = reviewSummary({
  heading: "*This is what you are sending*",
  kind: "Type",
  kindReport: "first report",
  kindContact: "request to be contacted (no report)",
  topic: "Topic",
  counsellor: "Who can read it",
  readBy: (c, d) => (d ? `${c}, and deputy ${d}` : c),
  anonymous: "Anonymous",
  anonymousYes: "yes, without your name or your chat account",
  anonymousNo: "no",
  name: "Name",
  contactVia: "Reach me via",
  viaThisChat: "this chat",
  wishes: "What you would like",
  closing: "Is this right? Send it, change something, or throw it all away.",
});

const status = (p: Params): string => {
  if (p.status === "delivered") return "delivered to the counsellor.";
  if (p.status === "failed")
    return "not delivered yet. Delivery did not work. The administrator can see this and try again. Want to be sure? Then contact the counsellor yourself.";
  const delay = Number(p.delayMinutes ?? 0);
  return `on its way. Only the counsellor can open it.${delay > 0 ? ` Delivery can take up to ${delay} minutes.` : ""}`;
};

/** The counsellor's secrecy and its limits: the same words on every surface. */
const secrecy =
  "• The counsellor must keep what you say confidential. They tell no one without your permission.\n" +
  "• There are limits. A counsellor has no legal privilege: a court can call them as a witness.\n" +
  "• For some serious crimes, the law can require them to report.\n" +
  "• Is someone in serious and immediate danger, with no other way out? Then the counsellor may have to act. " +
  "This is called a conflict of duties. Where possible, they talk to you first.";

const secrecyLimits =
  "*Confidentiality.* The counsellor tells no one without your permission. " +
  "Not your manager, not HR, not the board.\n\n" +
  "*The limits.*\n" +
  "• No legal privilege: in a court case, a judge can call the counsellor as a witness.\n" +
  "• Legal duty: someone who knows about certain serious crimes sometimes has to report them.\n" +
  "• Conflict of duties: if you or someone else faces serious danger, and there is no other way, the counsellor may decide to act.\n" +
  "These are exceptions. The counsellor will explain if one applies.";

export const en: Catalog = {
  // ── The chat: neutral steps only ───────────────────────────────────────────────────────
  "welcome.intro":
    "Hello. I am Vertrouwd, the digital way in to the confidential counsellors of {organisation}. " +
    "I am a computer program, not a person.\n\n" +
    "It is good that you are here. Does the way you are treated at work bother you? " +
    "Then you are welcome here. You do not have to be sure it is 'serious enough'.\n\n" +
    "I can help: with information, with help when it is urgent, or with a first message to a counsellor. " +
    "Everything is up to you.\n\n" +
    "You can stop at any time: type *stop* or choose *Stop and erase all*. Are you in danger now? Choose *I am in danger now*.",
  "home.start":
    "Open this app's *Messages* tab to begin. " +
    "Before I ask anything, I explain what stays confidential. And what Slack and administrators can see.",
  "confidentiality.short": [
    "*First: what happens to what you share?*",
    "",
    "*The counsellor*",
    secrecy,
    "",
    "*This conversation*",
    "• This chat runs through Slack or Microsoft Teams. The chat only shows general steps, nothing about your situation.",
    "• Administrators can see that you used this app, when, and which steps you took in the chat. Not what you chose or wrote.",
    "• You describe your situation only in a separate form. Slack or Microsoft carry it to the app. It does not go into the chat history.",
    "• The app keeps your draft encrypted, until {idleMinutes} minutes after your last step. If you send, stop or wait longer, I erase it.",
    "• Once sent, only the counsellor you choose can open your message. Do they have a fixed deputy? Then it says so, and the deputy can too.",
    "• You can report anonymously. That means anonymous to your organisation and to the counsellor. Slack or Microsoft do know who used the app.",
  ].join("\n"),
  "confidentiality.long": [
    "*More about confidentiality*",
    "",
    secrecyLimits,
    "",
    "*The chat.* Slack and Microsoft keep the chat for as long as your organisation has set. Some administrators can export or search chats: in Slack with an export or Discovery, in Microsoft with eDiscovery. Messages that were edited or deleted can be kept too. That is why the chat shows nothing about your situation. So please do not type your story in the chat.",
    "",
    "*The form.* What you fill in on the form goes to the app through Slack or Microsoft. It does not go into the chat history. The app keeps it encrypted, with a key that only your open form holds. After {idleMinutes} minutes without activity I erase it. The app does have to read your text briefly to encrypt it. Then it goes to the counsellor, encrypted. Nothing readable stays on your organisation's servers.",
    "",
    "*Anonymous.* If you choose anonymous, no name, email address or chat ID is sent with it. A chat ID is the number Slack or Teams uses to recognise your account. Of the time, only the date is sent. Slack or Microsoft do know who used the app.",
  ].join("\n"),
  "need.question":
    "*How can I help you?*\nIt is your choice. You do not need to report anything to ask a question.",
  "info.menu": "*What would you like to know?*\nChoose a subject. Each one is short.",
  "info.choice.role": "What a counsellor does",
  "info.choice.notDo": "What they do not do",
  "info.choice.choices": "Your choices",
  "info.choice.kinds": "Internal or external?",
  "info.choice.who": "Who can come here?",
  "info.choice.protection": "Protection and rules",
  "info.choice.retention": "What is kept?",
  "info.choice.counsellors": "The counsellors",
  "info.role":
    "*What does a counsellor do?*\n" +
    "A counsellor has three tasks.\n" +
    "1. Supporting you. They listen, think along with you and point you to other help.\n" +
    "2. Informing the organisation, so that unwanted behaviour happens less.\n" +
    "3. Advising management, and writing a report every year. This is always done without names. Nothing in it can be traced back to you.",
  "info.notDo":
    "*What does a counsellor not do?*\n" +
    "• They do not investigate or establish facts.\n" +
    "• They do not judge who is right.\n" +
    "• They are not part of HR, the works council, the complaints committee or the board.\n" +
    "A counsellor is on your side.",
  "info.choices":
    "*You stay in control*\n" +
    "You decide what happens. Nothing happens against your will. For example, you can choose:\n" +
    "• to do nothing, or only to tell your story;\n" +
    "• a conversation to sort things out;\n" +
    "• an informal solution, such as a talk with the other person;\n" +
    "• mediation by a neutral go-between (a mediator);\n" +
    "• a formal complaint to the complaints committee;\n" +
    "• a report to the police.\n" +
    "The counsellor is there for you afterwards too. This is called aftercare.",
  "info.kinds":
    "*Internal or external?*\n" +
    "• An internal counsellor works for the organisation. They know the people and how the work goes.\n" +
    "• An external counsellor comes from outside and is independent. Some people feel safer with that.\n" +
    "Both must keep what you say confidential. Choose whoever you feel most comfortable with.",
  "info.who":
    "*Who can come here?*\n" +
    "Anyone who works or worked here:\n" +
    "• employees;\n" +
    "• agency workers and interns;\n" +
    "• people working here for a while on behalf of another organisation;\n" +
    "• freelancers and volunteers;\n" +
    "• people who left less than a year ago.",
  "info.protection":
    "*Protection and rules*\n" +
    "• A first report here is not yet a formal complaint. It is not a report to your employer either. You decide whether that happens later.\n" +
    "• Are you reporting wrongdoing, such as fraud or a danger to others? Then the Dutch Whistleblowers Protection Act protects you. " +
    "Your employer may not treat you worse because you report.\n" +
    "• Do you report wrongdoing through your organisation's reporting procedure? Then you get a confirmation within 7 days. " +
    "And within 3 months after that, you hear what is done with it. That is the law.\n" +
    "• The Whistleblowers Authority gives free and confidential advice: *088-133 10 00*.",
  "info.retention":
    "*What is kept, and for how long?*\n" +
    "• The app keeps your draft encrypted, until {idleMinutes} minutes after your last step. Then I erase it.\n" +
    "• After sending, the app keeps nothing readable. Only the counsellor can open your message.\n" +
    "• The counsellor keeps your message encrypted, and no longer than needed.\n" +
    "• You can always ask the counsellor to show you your message or to destroy it. " +
    "Give your case code: the code you get after sending.",
  "info.counsellors": "*Who are the counsellors?*",
  "info.next": "Is there anything else you would like to know?",
  "urgent.referrals": () =>
    `*Are you in immediate danger? Call 112.*\nHere is help you can contact yourself:\n${referralList(referrals, false)}\n\nYou can also go to your GP or the company doctor. The company doctor is the doctor for health at work.\n${reviewed}`,
  "urgent.back": "Would you like to go back to the choices?",
  "org.contacts": "*Within your own organisation*",
  "org.contact": orgContact,
  "urgent.counsellors": "*Reaching a counsellor directly*",
  "counsellor.reach": counsellorReach,
  "form.offered":
    "*The form*\n" +
    "Everything about your situation goes into a separate form. It does not go into the chat history.\n" +
    "If you close the form without sending, I erase what you filled in.\n" +
    "Is the form closed? Then open a new one with the button.",
  "form.sent": "Your message has been sent. Your case code is in the form. Please write it down.",
  "stopped.wiped": "You have stopped. I am erasing everything you filled in. You can always start again.",

  // ── The form: the matter ───────────────────────────────────────────────────────────────
  "form.title": "Vertrouwd",
  "form.pick": "Choose an answer",
  "form.close": "Close",
  "form.dangerTitle": "Help in danger",
  "form.backToForm": "Back to the form",
  "mode.question":
    "*What would you like to do?*\n" +
    "• *A first report*: you describe what happened. You can do this anonymously.\n" +
    "• *Ask to be contacted*: the counsellor gets in touch with you. You do not need to say anything now.\n" +
    "If you close this form without sending, I erase what you filled in.",
  "topic.question":
    "*Roughly what is it about?*\n" +
    "You do not need to know exactly. Not sure? Then choose *I am not sure*. You can also choose *I'd rather not say*.",
  "topic.aggression": "Aggression or violence",
  "topic.sexual_harassment": "Sexual harassment",
  "topic.intimidation": "Intimidation",
  "topic.bullying": "Bullying",
  "topic.discrimination": "Discrimination or racism",
  "topic.integrity": "Fraud or abuse of power",
  "topic.wrongdoing": "Wrongdoing of public concern",
  "topic.other_conduct": "Other unwanted behaviour",
  "topic.performance": "Appraisal or performance",
  "topic.reorganisation": "Reorganisation",
  "topic.labour_dispute": "Employment dispute",
  "topic.private_matter": "A private matter",
  "topic.not_sure": "I am not sure",
  "topic.prefer_not_say": "I'd rather not say",
  "topic.outOfScope.performance":
    "*About your appraisal or performance*\n" +
    "A counsellor is usually not the first place for this. " +
    "Talk to your manager, their manager or HR. There is often a procedure for objections too.\n\n" +
    "But are you bullied, threatened or left out around your appraisal? That is unwanted behaviour. " +
    "A counsellor can help with that. Not sure? Then feel free to go on.",
  "topic.outOfScope.reorganisation":
    "*About a reorganisation*\n" +
    "Questions about the reorganisation itself are for HR and the works council. " +
    "The works council speaks for the staff about such plans.\n\n" +
    "But is it about how you are treated? Are you bullied, threatened or left out, for example? " +
    "A counsellor can help with that. Not sure? Then feel free to go on.",
  "topic.outOfScope.labour_dispute":
    "*About an employment dispute*\n" +
    "For a dispute about your work, you can get help from HR, a trade union or a lawyer. " +
    "A mediator can help you find a solution together. A mediator is a neutral go-between.\n\n" +
    "But is there unwanted behaviour around the dispute, such as bullying or intimidation? " +
    "A counsellor can help with that. Not sure? Then feel free to go on.",
  "topic.outOfScope.private_matter":
    "*About something in your private life*\n" +
    "Your GP or the company doctor can help with this. The company doctor is the doctor for health at work. " +
    "Is it about violence or feeling unsafe at home? Call Veilig Thuis: *0800-2000*, free, day and night.\n\n" +
    "Does it also affect how you are treated at work? " +
    "A counsellor can help with that. Not sure? Then feel free to go on.",
  "counsellor.question":
    "*Who would you like to talk to?*\n" +
    "Choose the counsellor you trust most. Only they can open your message. If a deputy is listed, the deputy can too.",
  "counsellor.card": card,
  "counsellor.pick": "Choose a counsellor:",
  "counsellor.choice": "{name}",
  "identity.question":
    "*Anonymous or with your name?*\n" +
    "• *Anonymous*: no name, email address or chat ID is sent with it. A chat ID is the number Slack or Teams uses to recognise your account. " +
    "The counsellor then cannot contact you.\n" +
    "• *With your name*: you say yourself how the counsellor can reach you. " +
    "Reporting wrongdoing? Then the counsellor can pass your report to the organisation without your name.\n" +
    "Anonymous means anonymous to your organisation and to the counsellor. Slack or Microsoft do know who used the app.",
  "contactHow.question":
    "*How can the counsellor reach you?*\n" +
    "• *Fill it in*: a phone number or private email address. It is sent encrypted.\n" +
    "• *Through this chat*: the counsellor gets your chat ID and sends you a message in Slack or Teams. " +
    "A chat ID is the number Slack or Teams uses to recognise your account. That message falls under the chat's retention rules.",
  "contactHow.contactRequest":
    "*You are asking to be contacted.*\n" +
    "How can the counsellor reach you?\n" +
    "• *Fill it in*: a phone number or private email address. It is sent encrypted.\n" +
    "• *Through this chat*: the counsellor gets your chat ID and sends you a message in Slack or Teams. " +
    "A chat ID is the number Slack or Teams uses to recognise your account. That message falls under the chat's retention rules.",
  "contact.intro": "*Your contact details*\nThis is sent encrypted. It does not go into the chat history.",
  "contact.field.name": "Name (a first name is fine)",
  "contact.field.route": "Phone number or private email",
  "contact.hint.name": "What should they call you? You can leave this empty.",
  "contact.hint.route": "Preferably not your work address, if your employer must not see it.",
  "report.intro":
    "*What happened?*\n" +
    "Write what you want to say, in your own words. Every field can stay empty. " +
    "If you fill in nothing, the counsellor only gets your choices. Your text is sent encrypted.",
  "report.field.what": "What happened?",
  "report.field.when": "Roughly when?",
  "report.field.where": "Where?",
  "report.field.who": "Who was involved?",
  "report.field.witnesses": "Were there witnesses?",
  "report.field.impact": "How does it affect you?",
  "report.field.urgent": "Is anything urgent?",
  "report.field.wishes": "What would you like?",
  "report.hint.what": (p) =>
    `In your own words, as short or long as you like. At most ${formatNumber("en", Number(p.max))} characters.`,
  "report.hint.when": "For example: last week, since March, every Friday.",
  "report.hint.where": "For example: at the office, online or on a team outing.",
  "report.hint.who": "Names or roles. You can leave this empty.",
  "report.hint.witnesses": "You can leave this empty.",
  "report.hint.impact": (p) =>
    `For example on your work, your health or feeling safe. At most ${formatNumber("en", Number(p.max))} characters.`,
  "report.hint.urgent": "This is not read straight away. In danger? Call 112, or choose I am in danger now.",
  "report.hint.wishes": "You can always change this later.",
  "wish.heard": "Only to tell my story",
  "wish.advice": "Advice on what I can do",
  "wish.informal": "An informal solution",
  "wish.mediation": "Mediation",
  "wish.complaint": "A formal complaint",
  "wish.not_sure": "I do not know yet",
  "review.summary": review,
  "review.empty": "• You did not add any details. That is fine.",
  "discard.confirm":
    "*Throw everything away?*\nThen I erase everything you filled in on this form. This cannot be undone.",
  "sending.wait": "Encrypting your message…",
  "done.receipt": (p) =>
    `*Done. Your message is encrypted.*\nYour case code: *${p.caseCode}*\nPlease write this code down. You need it if you get in touch later. Once you close this form, I cannot show it again.\nDate: ${formatDay("en", String(p.date))}\nStatus: ${status(p)}\n\n*What happens next?*\nThe counsellor reads your message. Did you give a way to contact you? Then they will get in touch. You decide what happens after that.\nWant to add something or withdraw your message? Contact the counsellor and give your case code.${p.reachVia ? `\nYou can also reach ${p.counsellor} directly: ${p.reachVia}` : ""}`,
  "done.mailbox": (p) =>
    `*Get an answer anonymously?*\nOpen an anonymous mailbox on the secure web page. You get a secret code there. Write it down on paper. With that code you can read the counsellor's answer later, and write back. Without the code nobody can get in, not even the administrators.\nYou get no message when there is an answer. So look for yourself now and then.\nThe button works once, for the next ${p.minutes} minutes.`,
  "stopped.form":
    "*Stopped.* I have erased everything you filled in on this form. You can close this form. You can start again in the chat.",

  // ── The secure web page ────────────────────────────────────────────────────────────────
  "web.welcome":
    "*Welcome*\n" +
    "Hello. This is Vertrouwd, the secure page of the confidential counsellors of {organisation}. " +
    "Vertrouwd is a computer program, not a person.\n\n" +
    "Do you work here, or did you work here up to a year ago? Also as a temp, intern or freelancer? Then you are welcome here. " +
    "Does the way you are treated at work bother you? Then you can come here with it. " +
    "You do not have to be sure it is 'serious enough'.\n\n" +
    "Here you find information, help when it is urgent, and a form for a first message to a counsellor. " +
    "Everything is up to you.\n\n" +
    "You can stop at any time: choose *Stop and erase all*. Are you in danger now? Choose *I am in danger now*.\n" +
    "Do you share this computer with others? Then open this page in a private window. A private window does not remember which pages you visited.",
  "web.confidentiality.short": () =>
    [
      "*First: what happens to what you share?*",
      "",
      "*The counsellor*",
      secrecy,
      "",
      "*This page*",
      "• Your message is encrypted in your own browser, before it leaves your device. Only the counsellor you choose can open it. Do they have a fixed deputy? Then it says so, and the deputy can too.",
      "• This page keeps nothing on your device. If you close the tab, everything is gone.",
      "• Your organisation's server sees that someone opens this page, and when. Like every website, it also sees your internet address. The app does not write that address down. Only an unreadable code of it is kept briefly, against misuse.",
      "• Are you using a device or wifi from work? Then your employer can sometimes see which sites you visit. If so, better use your own phone or computer.",
      "• You can report anonymously. Then no name or contact details are sent.",
    ].join("\n"),
  "web.confidentiality.long": () =>
    [
      "*More about confidentiality*",
      "",
      secrecyLimits,
      "",
      "*Encrypted in your browser.* This page encrypts your message in your own browser, with OpenPGP. That is a well-known, open way of encrypting. The server only receives the encrypted message. It cannot read it, and passes it on to the counsellor. Every message is filled up to a fixed size. So the size does not give away how long your story is.",
      "",
      "*What you have to trust.* The code of this page comes from your organisation's server. An expert can check that it is the published code. The administrator knows how.",
      "",
      "*Anonymous.* If you choose anonymous, no name or contact details are sent. Of the time, only the date is sent. Your internet address is never part of your message.",
    ].join("\n"),
  "web.info.retention":
    "*What is kept, and for how long?*\n" +
    "• What you fill in is only in the memory of this page. Nothing is saved on your device.\n" +
    "• If you close the tab, or choose *Stop and erase all*, it is gone. " +
    "If you do nothing on this page for {idleMinutes} minutes, I erase everything, to be safe.\n" +
    "• Once sent, the app keeps nothing readable. Only the counsellor can open your message.\n" +
    "• The counsellor keeps your message encrypted, and no longer than needed.\n" +
    "• You can always ask the counsellor to show you your message or to destroy it. " +
    "Then mention your case code: the code you get after sending.",
  "web.form.offered":
    "*The form*\n" +
    "Everything about your situation goes into the form on this page. It stays only on this page until you send it.\n" +
    "If you close the form without sending, I erase what you filled in.",
  "web.stopped":
    "*Stopped.* Everything you filled in on this page has been erased. You can close this tab now, or start again.",
  "web.stopAfterSend":
    "*Your message had already been sent.* Stopping does not withdraw it. " +
    "Do you want to add something or withdraw your message? Then contact the counsellor and mention your case code.",
  "web.identity":
    "*Anonymous or with your name?*\n" +
    "• *Anonymous*: no name or contact details are sent. The counsellor then cannot contact you.\n" +
    "• *With your name*: you say yourself how the counsellor can reach you. " +
    "Are you reporting wrongdoing? Then the counsellor can pass your report on to the organisation without your name.\n" +
    "Anonymous means anonymous to your organisation and to the counsellor. Your internet address is never part of your message.",
  "web.contact.intro": "*Your contact details*\nThese are sent encrypted. Only the counsellor can read them.",
  "web.title": "Vertrouwd · {organisation}",
  "web.noscript":
    "This page only works with JavaScript, because your message is encrypted in your own browser. " +
    "Turn JavaScript on, or ask the counsellor for another way.",
  "web.insecure":
    "This page cannot encrypt your message safely here. Open it over a secure connection (https), in a recent browser. " +
    "If that does not work, tell the administrator. Are you in danger? Call 112.",
  "web.loadFailed":
    "The page did not load properly. Check your internet connection and load the page again. Are you in danger? Call 112.",
  "web.footer":
    "This page keeps nothing on your device. Your message is encrypted before it leaves your device.",
  "web.safety": "Help and stopping",
  "web.formHeading": "The form",
  "web.closeForm": "Close the form",
  "web.selectNone": "Nothing chosen",
  "web.pickOne": "Please choose an answer first.",
  "web.errorSummary": "Please check this",
  "web.rateLimited": (p) => {
    const minutes = Math.max(1, Number(p.minutes ?? 1));
    return `Too many messages were just sent from this connection. Your message is not lost. Please try again in ${minutes} ${minutes > 1 ? "minutes" : "minute"}.`;
  },
  "web.network":
    "Sending did not work, because the server could not be reached. Your message is not lost. Check your connection and try again.",
  "web.refused":
    "The server did not accept your message. Your message is not lost. Please try again later. " +
    "If it still does not work, contact the counsellor.",
  "web.statusFailed":
    "The status could not be fetched just now. Your message has been sent. Please try again later.",
  // ── The anonymous mailbox (docs/follow-up.md) ──────────────────────────────────────────
  "mailbox.nav": "My mailbox",
  "mailbox.navReport": "Back to the start",
  "mailbox.offer":
    "*Would you like to be able to get an answer?*\n" +
    "You report anonymously. So the counsellor does not know who you are, and cannot reach you. " +
    "An anonymous mailbox makes that possible, without your name.\n\n" +
    "• You get a secret code. Only you have that code.\n" +
    "• With that code you open *My mailbox* on this page later. There you read the answer, and can write back.\n" +
    "• Everything in the mailbox is encrypted. Only you and the counsellor can read it. The server cannot.\n" +
    "• You get no notification when there is an answer. So look now and then.\n" +
    "• Lost the code? Then nobody can get it back, not even the counsellor.",
  "mailbox.offerYes": "Yes, make a mailbox",
  "mailbox.offerNo": "No, without a mailbox",
  "mailbox.secret":
    "*Your secret code*\n" +
    "Write this code down now, on paper. You see it only once.\n\n" +
    "• Lost is lost: nobody can get the code back, not even the counsellor.\n" +
    "• You get no notification when there is an answer. Look in *My mailbox* now and then.\n" +
    "• Do not keep the code on a work computer or work phone. Show it to nobody.",
  "mailbox.secretLabel": "Your secret code",
  "mailbox.confirm": "I wrote the code down",
  "mailbox.confirmMissing": "Write the code down first, then tick that you did.",
  "mailbox.continue": "Continue",
  "mailbox.working": "Making your mailbox…",
  "mailbox.openFailed":
    "The mailbox could not be made. Your message is not lost. Try again, or send without a mailbox.",
  "mailbox.sendWithout": "Send without a mailbox",
  "mailbox.retry": "Try again",
  "mailbox.receipt":
    "*Your mailbox*\n" +
    "The counsellor can now answer you. Read the answer in *My mailbox* on this page, with your secret code. " +
    "There is no notification. So look now and then.",
  "mailbox.link":
    "*Would you like to be able to get an answer?*\n" +
    "You sent a message to the counsellor. With an anonymous mailbox they can answer you, without your name.\n\n" +
    "• You get a secret code. Only you have that code.\n" +
    "• With that code you open *My mailbox* on this page later. There you read the answer, and can write back.\n" +
    "• Everything in the mailbox is encrypted. Only you and the counsellor can read it.\n" +
    "• You get no notification when there is an answer. Lost the code? Then nobody can get it back.",
  "mailbox.linkOpened":
    "*Your mailbox is open.*\n" +
    "The counsellor gets an encrypted message that there is a mailbox for case code {caseCode}. " +
    "Read the answer later in *My mailbox* on this page, with your secret code.",
  "mailbox.linkExpired":
    "This link no longer works. A link works once, and for fifteen minutes only. " +
    "Open the receipt of your message in the chat again, and choose the mailbox there.",
  "mailbox.login":
    "*My mailbox*\n" +
    "Type your secret code. Then you read the counsellor's messages here, and can write back.\n\n" +
    "• Everything is opened in your own browser. The server cannot read it.\n" +
    "• You get no notification when there is an answer.\n" +
    "• Lost the code? Then nobody can get it back. You can send a new message, though.",
  "mailbox.codeLabel": "Secret code",
  "mailbox.codeHint": "21 characters. Capitals, spaces and dashes do not matter.",
  "mailbox.openButton": "Open my mailbox",
  "mailbox.code.empty": "Type your secret code first.",
  "mailbox.code.length": "The code has 21 characters. Check whether one is missing, or one too many.",
  "mailbox.code.character": "There is a character that no code has. Check the code again.",
  "mailbox.code.check": "There is a typo in the code. Check each character again. Nothing was sent.",
  "mailbox.notFound": (p) =>
    `There is no mailbox with this code. Check the code again. A mailbox also disappears ${Number(p.days ?? 183)} days after its last message.`,
  "mailbox.rateLimited": (p) => {
    const minutes = Math.max(1, Number(p.minutes ?? 1));
    return `There were too many tries to open a mailbox just now. Try again in ${minutes} ${minutes > 1 ? "minutes" : "minute"}.`;
  },
  "mailbox.network": "The server could not be reached. Check your connection and try again.",
  "mailbox.unlockFailed": "The mailbox could not be opened with this code. Check the code again.",
  "mailbox.thread":
    "*Your mailbox*\nCase code: {caseCode}\nHere are the messages between you and the counsellor. They were opened in your own browser.",
  "mailbox.empty": "There is no answer yet. You get no notification when there is one. So look again later.",
  "mailbox.fromCounsellor": (p) => `Counsellor · ${formatDay("en", String(p.date))}`,
  "mailbox.fromDeputy": (p) => `The counsellor's deputy · ${formatDay("en", String(p.date))}`,
  "mailbox.fromMelder": (p) => `You · ${formatDay("en", String(p.date))}`,
  "mailbox.unverified":
    "Careful: this message is not signed by your counsellor. It may come from someone else. Do nothing it says without checking.",
  "mailbox.unreadable": "This message could not be opened.",
  "mailbox.answerLabel": "Your answer",
  "mailbox.answerHint": (p) =>
    `At most ${formatNumber("en", Number(p.max))} characters. Your answer is encrypted in your browser. Only you and the counsellor can read it.`,
  "mailbox.answerButton": "Encrypt and send",
  "mailbox.answerEmpty": "Write your answer first.",
  "mailbox.answerSending": "Encrypting your answer…",
  "mailbox.answerSent": "Your answer was encrypted and sent. It is in your mailbox below.",
  "mailbox.answerFailed": "Sending did not work. Your answer is not lost. Try again later.",
  "mailbox.full": "This mailbox is full. Send the counsellor a new message, and give your case code in it.",
  "mailbox.keyProblem": "The counsellor's key is not in order right now. The admin knows. Try again later.",
  "mailbox.close": "Close mailbox",
  "mailbox.closed":
    "*Mailbox closed.* Your code and the messages were erased from this page. You can close this tab now.",

  // ── The terminal ───────────────────────────────────────────────────────────────────────
  "console.choose": "Choose a number",
  "console.invalidChoice": "I do not know that number. Type one of the numbers above, or *help*.",
  "console.multilineHint": "(Several lines are fine. End with an empty line. Enter straight away skips.)",
  "console.skipHint": "(Enter skips)",
  "console.formStart": "── Form: this does not go into a chat history ──",
  "console.formEnd": "── End of the form ──",
  "console.fill": "Fill in",
  "console.closeForm": "Close the form",
  "console.openHint": "Open with: {command}",
  "console.bye": "Goodbye. Nothing readable was kept.",
  "console.webLink": "Rather use your browser? Open the secure form: {url}",

  // ── Buttons (at most 30 characters) ────────────────────────────────────────────────────
  "choice.continue": "Continue",
  "choice.continue_anyway": "Go on anyway",
  "choice.lang_nl": "Nederlands",
  "choice.lang_en": "English",
  "choice.danger": "I am in danger now",
  "choice.stop": "Stop and erase all",
  "choice.ack": "Understood, continue",
  "choice.more": "Tell me more",
  "choice.info": "Information",
  "choice.urgent": "I need help urgently",
  "choice.form": "Report or ask for contact",
  "choice.back": "Back",
  "choice.other_topic": "Choose another topic",
  "choice.restart": "Start again",
  "choice.next": "Next",
  "choice.report": "Make a first report",
  "choice.contact": "Ask to be contacted",
  "choice.anonymous": "Anonymous",
  "choice.named": "With my name",
  "choice.typed": "Fill it in",
  "choice.via_chat": "Through this chat",
  "choice.no_preference": "No preference",
  "choice.send": "Send",
  "choice.edit_topic": "Change the topic",
  "choice.edit_counsellor": "Choose another counsellor",
  "choice.edit_identity": "Anonymous or named",
  "choice.edit_contact": "Change contact details",
  "choice.edit_report": "Change the report",
  "choice.discard": "Throw away",
  "choice.discard_yes": "Yes, throw it all away",
  "choice.refresh": "Update the status",
  "choice.web": "Secure form in your browser",
  "choice.mailbox_open": "Open an anonymous mailbox",
  "choice.mailbox": "My mailbox",

  // ── Notices ────────────────────────────────────────────────────────────────────────────
  "notice.danger": () =>
    `*Are you in danger now? Call 112.*\n${referralList(referrals, true)}\n${reviewed}\nYou are still at the same place in the conversation.`,
  "notice.help":
    "*How this works*\n" +
    "• You choose with the buttons each time.\n" +
    "• Typing works too. *stop* or *erase* throws everything away. *help* shows this. *danger* shows help numbers.\n" +
    "• Your story goes only into the form, never into the chat.\n" +
    "• Want to know more about the counsellor? Choose *Information* among the choices.",
  "notice.formHelp":
    "*How the form works*\n" +
    "• Choose an answer and press *Next*.\n" +
    "• *Back* takes you one step back. Your answers stay.\n" +
    "• *Stop and erase all* throws everything away.\n" +
    "• If you close the form without sending, I erase what you filled in.",
  "notice.typed":
    "Thank you for your message. I am a program and do not read typed messages. " +
    "Slack or Teams keep what you type here. Want to tell us something? Please use the form. " +
    "You can delete your own message here. In danger? Choose *I am in danger now* or call 112.",
  "notice.resumed": "Let us carry on where you were.",
  "notice.staleChoice": "That button belongs to an earlier step. This is where we are now.",
  "notice.formClosed":
    "You closed the form without sending. I have erased what you filled in. You can start again if you like.",
  "notice.formGone":
    "This form is no longer valid. Perhaps you were away for a while, or you stopped. " +
    "What you filled in has been erased. Please start again from the chat.",
  "notice.stopAfterSend":
    "*Your message had already been sent.* Stopping does not withdraw it. " +
    "Want to add something or withdraw your message? Contact the counsellor and give your case code. " +
    "The chat history stays. It says nothing about your situation.",
  "notice.timedOut":
    "You were inactive for a while. To keep things safe, I erased what you filled in. Let us start again.",
  "notice.timedOutKept":
    "You were away for a while. So I erased your earlier choices. What you just filled in, I kept. " +
    "Please go through the steps again. Your text is ready for you.",
  "notice.unavailable":
    "Something is not working right now, due to a fault in the app. Nothing has been lost. " +
    "Please try again in a minute. In danger? Call 112.",
  "notice.formUnavailable":
    "Saving does not work right now, due to a fault. Everything you typed is still in this form. " +
    "Wait a minute, then press the button again. In danger? Call 112.",
  "notice.handoffKeyProblem":
    "Sending does not work right now. This counsellor's security key is not in order. " +
    "The administrator has been warned. Your message is not lost. Choose another counsellor, or try again later.",
  "notice.handoffInternalError":
    "Something went wrong while sending. Your message is not lost and is ready below. Please try again.",
  "notice.formErrors": "Please check the fields with a note. What you filled in is not lost.",
  "notice.fieldTooLong": (p, t) =>
    `'${fieldLabel(String(p.field), t)}' is too long: at most ${formatNumber("en", Number(p.max))} characters. Please shorten it a little.`,
  "notice.fieldRequired": (p, t) => `'${fieldLabel(String(p.field), t)}' is needed to go on.`,
  "notice.fieldInvalid": (p, t) =>
    `Please choose one of the options for '${fieldLabel(String(p.field), t)}'.`,
};
