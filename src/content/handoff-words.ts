/**
 * The words of the counsellor-facing, human-readable part of a sealed handoff, in nl and en.
 * The layout that puts them together with the document lives with the handoff
 * (src/handoff/text.ts); all words are here, with every other catalog.
 */
import type {
  Channel,
  Identity,
  Locale,
  Mode,
  ReportFieldId,
  TopicGroup,
  TopicId,
  WishId,
} from "../../flows/domain.ts";

export interface HandoffWords {
  title: string;
  urgentTitle: string;
  caseCode: string;
  date: string;
  channel: string;
  channels: Record<Channel, string>;
  kind: string;
  kinds: Record<Mode, string>;
  topic: string;
  topics: Record<TopicId, string>;
  group: string;
  groups: Record<TopicGroup, string>;
  wentOn: string;
  recipients: string;
  deputy: (name: string) => string;
  anonymity: string;
  anonymities: Record<Identity, string>;
  contact: string;
  contactName: string;
  contactRoute: string;
  contactChat: string;
  noContact: string;
  report: string;
  noReport: string;
  fields: Record<ReportFieldId, string>;
  skipped: (labels: string) => string;
  nothingTyped: string;
  wishes: string;
  wishOptions: Record<WishId, string>;
  wishNotGiven: string;
  answerTitle: string;
  answerNamed: (how: string) => string;
  answerChat: string;
  answerFollowUp: (caseCode: string) => string;
  answerNone: string;
  answerNever: string;
  wbkTitle: string;
  wbk: string[];
  noteTitle: string;
  note: string[];
  /** The sealed follow-up notice (a mailbox opened after a report made in Slack or Teams). */
  noticeTitle: string;
  notice: (caseCode: string) => string;
  /** A melder's answer from the anonymous mailbox. */
  answerMessageTitle: string;
  answerMessageIntro: (caseCode: string) => string;
  answerMessageReply: (caseCode: string) => string;
}

const nl: HandoffWords = {
  title: "Vertrouwd: overdracht aan de vertrouwenspersoon",
  urgentTitle: "DRINGEND volgens de melder",
  caseCode: "Zaakcode",
  date: "Ontvangen",
  channel: "Via",
  channels: { console: "demo-console", slack: "Slack", teams: "Microsoft Teams", web: "webformulier" },
  kind: "Soort",
  kinds: { report: "eerste melding", contact: "verzoek om contact (zonder melding)" },
  topic: "Onderwerp",
  topics: {
    aggression: "agressie en geweld",
    sexual_harassment: "seksuele intimidatie of ongewenste intimiteit",
    intimidation: "intimidatie",
    bullying: "pesten",
    discrimination: "discriminatie of racisme",
    integrity: "integriteit (fraude, diefstal, machtsmisbruik)",
    wrongdoing: "misstand met een maatschappelijk belang",
    other_conduct: "ander ongewenst gedrag",
    performance: "functioneren of beoordeling",
    reorganisation: "reorganisatie",
    labour_dispute: "arbeidsconflict",
    private_matter: "privéomstandigheden",
    not_sure: "weet de melder nog niet",
    prefer_not_say: "zegt de melder liever niet",
  },
  group: "Groep",
  groups: {
    unwanted_behaviour: "ongewenst gedrag",
    integrity: "integriteit en misstanden",
    out_of_scope: "buiten de taak van de vertrouwenspersoon",
    unspecified: "niet aangegeven",
  },
  wentOn:
    "De melder kreeg een doorverwijzing (buiten de taak van de vertrouwenspersoon) en koos er toch voor om verder te gaan.",
  recipients: "Te openen door",
  deputy: (name) => `en vervanger ${name}`,
  anonymity: "Anonimiteit",
  anonymities: { anonymous: "anoniem", named: "met naam" },
  contact: "Contact",
  contactName: "Naam",
  contactRoute: "Bereikbaar via",
  contactChat: "Wil contact via de chat",
  noContact: "geen contactgegevens opgegeven",
  report: "Melding",
  noReport: "Geen melding: de melder vraagt alleen om contact.",
  fields: {
    what: "Wat is er gebeurd",
    when: "Wanneer",
    where: "Waar",
    who: "Wie waren erbij betrokken",
    witnesses: "Getuigen",
    impact: "Wat het met de melder doet",
    urgent: "Dringend",
  },
  skipped: (labels) => `Niet ingevuld: ${labels}.`,
  nothingTyped: "De melder vulde geen toelichting in.",
  wishes: "Wat de melder wil",
  wishOptions: {
    heard: "vooral gehoord worden",
    advice: "advies over de mogelijkheden",
    informal: "een informele oplossing",
    mediation: "bemiddeling",
    complaint: "een formele klacht indienen",
    not_sure: "weet het nog niet",
  },
  wishNotGiven: "(niet aangegeven)",
  answerTitle: "Hoe je kunt reageren",
  answerNamed: (how) => `Neem contact op via wat de melder opgaf: ${how}.`,
  answerChat:
    "De melder wil contact via de chat: stuur een direct bericht in Slack of Teams aan het account hierboven. Dat bericht valt onder de bewaarregels van de chat.",
  answerFollowUp: (code) =>
    `De melder opende een anonieme brievenbus. Antwoord met: vertrouwd reply --case ${code} --key <jouw-privésleutel>. Zie docs/follow-up.md.`,
  answerNone:
    "De melder blijft anoniem en gaf geen manier van contact. Je kunt pas reageren als de melder zelf weer contact zoekt.",
  answerNever:
    "Beantwoord dit bericht niet met 'antwoorden' in je mailprogramma: de afzender is de app, niet de melder.",
  wbkTitle: "Wet bescherming klokkenluiders",
  wbk: [
    "Gaat dit over een misstand en komt het via de meldregeling? Dan geldt:",
    "- een ontvangstbevestiging binnen 7 dagen;",
    "- een terugkoppeling binnen 3 maanden na die bevestiging.",
    "De melder kan gratis advies vragen bij het Huis voor Klokkenluiders (088-133 10 00).",
  ],
  noteTitle: "Voor de vertrouwenspersoon",
  note: [
    "De melder houdt de regie: er gebeurt niets met deze melding zonder diens instemming.",
    "Uitzonderingen zijn alleen wettelijke plichten (bijvoorbeeld kennis van bepaalde zware misdrijven),",
    "een oproep als getuige (er is geen verschoningsrecht) en gewetensnood bij ernstig, direct gevaar.",
    "Op servers van de organisatie is van deze overdracht geen leesbare tekst bewaard.",
    "Bewaar haar versleuteld en niet langer dan nodig; de melder mag vragen haar in te zien of te vernietigen.",
  ],
  noticeTitle: "Vertrouwd: brievenbus geopend",
  notice: (code) =>
    `De melder van zaak ${code} opende na het versturen een anonieme brievenbus. Je kunt nu antwoorden met: vertrouwd reply --case ${code} --key <jouw-privésleutel>. Importeer dit bericht eerst met vertrouwd desk import. Zie docs/follow-up.md.`,
  answerMessageTitle: "Vertrouwd: antwoord van de melder",
  answerMessageIntro: (code) => `De melder van zaak ${code} schreef via de anonieme brievenbus:`,
  answerMessageReply: (code) =>
    `Antwoorden kan met: vertrouwd reply --case ${code} --key <jouw-privésleutel>. De melder leest je antwoord alleen als die zelf de brievenbus opent; er gaat geen melding naar de melder.`,
};

const en: HandoffWords = {
  title: "Vertrouwd: handoff to the confidential counsellor",
  urgentTitle: "URGENT according to the melder",
  caseCode: "Case code",
  date: "Received",
  channel: "Via",
  channels: { console: "demo console", slack: "Slack", teams: "Microsoft Teams", web: "web form" },
  kind: "Kind",
  kinds: { report: "first report", contact: "contact request (no report)" },
  topic: "Topic",
  topics: {
    aggression: "aggression and violence",
    sexual_harassment: "sexual harassment or unwanted intimacy",
    intimidation: "intimidation",
    bullying: "bullying",
    discrimination: "discrimination or racism",
    integrity: "integrity (fraud, theft, abuse of power)",
    wrongdoing: "wrongdoing in the public interest",
    other_conduct: "other unwanted behaviour",
    performance: "performance or appraisal",
    reorganisation: "reorganisation",
    labour_dispute: "labour dispute",
    private_matter: "private circumstances",
    not_sure: "the melder is not sure yet",
    prefer_not_say: "the melder would rather not say",
  },
  group: "Group",
  groups: {
    unwanted_behaviour: "unwanted behaviour",
    integrity: "integrity and wrongdoing",
    out_of_scope: "outside the counsellor's remit",
    unspecified: "not stated",
  },
  wentOn: "The melder was given a referral (outside the counsellor's remit) and chose to go on anyway.",
  recipients: "Can be opened by",
  deputy: (name) => `and deputy ${name}`,
  anonymity: "Anonymity",
  anonymities: { anonymous: "anonymous", named: "named" },
  contact: "Contact",
  contactName: "Name",
  contactRoute: "Reachable via",
  contactChat: "Wants contact via the chat",
  noContact: "no contact details given",
  report: "Report",
  noReport: "No report: the melder only asks to be contacted.",
  fields: {
    what: "What happened",
    when: "When",
    where: "Where",
    who: "Who was involved",
    witnesses: "Witnesses",
    impact: "How it affects the melder",
    urgent: "Urgent",
  },
  skipped: (labels) => `Not filled in: ${labels}.`,
  nothingTyped: "The melder did not add any details.",
  wishes: "What the melder wants",
  wishOptions: {
    heard: "mainly to be heard",
    advice: "advice on the options",
    informal: "an informal solution",
    mediation: "mediation",
    complaint: "to file a formal complaint",
    not_sure: "not sure yet",
  },
  wishNotGiven: "(not stated)",
  answerTitle: "How you can respond",
  answerNamed: (how) => `Contact the melder the way they gave: ${how}.`,
  answerChat:
    "The melder wants contact via the chat: send a direct message in Slack or Teams to the account above. That message falls under the chat's retention rules.",
  answerFollowUp: (code) =>
    `The melder opened an anonymous mailbox. Answer with: vertrouwd reply --case ${code} --key <your-private-key>. See docs/follow-up.md.`,
  answerNone:
    "The melder stays anonymous and gave no way to be reached. You can only respond once the melder gets in touch again.",
  answerNever:
    "Do not answer this message with 'reply' in your mail program: the sender is the app, not the melder.",
  wbkTitle: "Whistleblowers Protection Act (Wbk)",
  wbk: [
    "If this is about wrongdoing and reaches the organisation through its reporting procedure:",
    "- an acknowledgement within 7 days;",
    "- feedback within 3 months after that acknowledgement.",
    "The melder can get free advice from the Whistleblowers Authority (088-133 10 00).",
  ],
  noteTitle: "For the counsellor",
  note: [
    "The melder stays in control: nothing happens with this report without their consent.",
    "The only exceptions are legal duties (for example knowledge of certain serious crimes),",
    "being called as a witness (there is no legal privilege) and a conflict of duties in serious, immediate danger.",
    "No readable copy of this handoff is kept on the organisation's servers.",
    "Keep it encrypted and no longer than needed; the melder may ask to see it or to have it destroyed.",
  ],
  noticeTitle: "Vertrouwd: mailbox opened",
  notice: (code) =>
    `The melder of case ${code} opened an anonymous mailbox after sending. You can now answer with: vertrouwd reply --case ${code} --key <your-private-key>. Import this message with vertrouwd desk import first. See docs/follow-up.md.`,
  answerMessageTitle: "Vertrouwd: answer from the melder",
  answerMessageIntro: (code) => `The melder of case ${code} wrote through the anonymous mailbox:`,
  answerMessageReply: (code) =>
    `Answer with: vertrouwd reply --case ${code} --key <your-private-key>. The melder reads your answer only when they open the mailbox themselves; no notification goes to the melder.`,
};

/** The counsellor's handoff text in the melder's locale (the language the story was told in). */
export const HANDOFF_WORDS: Record<Locale, HandoffWords> = { nl, en };
