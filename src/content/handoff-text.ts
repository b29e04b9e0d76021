/**
 * The counsellor-facing, human-readable part of a sealed handoff (the machine-readable JSON
 * follows it in the same plaintext, see src/crypto/plaintext.ts). Rendered in the melder's
 * locale, because that is the language the story was told in.
 *
 * Every value the melder typed is indented, so no line of theirs ever starts at column 0: the
 * block markers that follow this text cannot be forged from inside a report.
 */
import { REPORT_FIELDS, type ReportFieldId, type TopicId, type WishId } from "../../flows/domain.ts";
import type { Locale } from "../config/schema.ts";
import type { HandoffDocument } from "../handoff/document.ts";

interface HandoffWords {
  title: string;
  caseCode: string;
  date: string;
  channel: string;
  channels: Record<HandoffDocument["channel"], string>;
  kind: string;
  kinds: Record<HandoffDocument["kind"], string>;
  topic: string;
  topics: Record<TopicId, string>;
  anonymity: string;
  anonymities: Record<HandoffDocument["anonymity"], string>;
  contact: string;
  contactName: string;
  contactRoute: string;
  contactChat: string;
  noContact: string;
  report: string;
  noReport: string;
  fields: Record<ReportFieldId, string>;
  skipped: string;
  wishes: string;
  wishOptions: Record<WishId, string>;
  wishNotGiven: string;
  noteTitle: string;
  note: string[];
  anonymousNote: string;
}

const nl: HandoffWords = {
  title: "Vertrouwd: overdracht aan de vertrouwenspersoon",
  caseCode: "Zaakcode",
  date: "Datum",
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
  skipped: "(overgeslagen)",
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
  noteTitle: "Voor de vertrouwenspersoon",
  note: [
    "De melder houdt de regie: er gebeurt niets met deze melding zonder diens instemming.",
    "Van deze overdracht is op servers van de organisatie geen leesbare tekst bewaard;",
    "alleen jij (en een eventuele plaatsvervanger) kunt haar ontsleutelen.",
    "Bewaar en vernietig haar zoals je dat met andere vertrouwelijke stukken doet.",
  ],
  anonymousNote:
    "Deze melder blijft anoniem en heeft geen contactroute gegeven. Je kunt pas reageren als de melder zelf weer contact zoekt.",
};

const en: HandoffWords = {
  title: "Vertrouwd: handoff to the confidential counsellor",
  caseCode: "Case code",
  date: "Date",
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
  skipped: "(skipped)",
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
  noteTitle: "For the counsellor",
  note: [
    "The melder stays in control: nothing happens with this report without their consent.",
    "No readable copy of this handoff is kept on the organisation's servers;",
    "only you (and a deputy, if configured) can decrypt it.",
    "Keep and destroy it as you would any other confidential record.",
  ],
  anonymousNote:
    "This melder stays anonymous and gave no contact route. You can only respond once the melder gets in touch again.",
};

const WORDS: Record<Locale, HandoffWords> = { nl, en };

/**
 * Control characters (other than tab and newline) and bidirectional overrides are replaced:
 * the text is printed in a counsellor's terminal, where escape sequences could rewrite the screen.
 */
function displaySafe(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, (ch) => (ch === "\t" || ch === "\n" ? ch : "\uFFFD"));
}

/** Melder-typed text on its own lines, each indented by `indent`. */
function block(value: string, indent: string): string {
  return displaySafe(value)
    .split("\n")
    .map((line) => `${indent}${line}`.trimEnd())
    .join("\n");
}

/** A single-line melder value after a label; any embedded newlines stay indented. */
function inline(value: string, indent: string): string {
  return displaySafe(value)
    .split("\n")
    .map((line, i) => (i === 0 ? line : `${indent}${line}`))
    .join("\n");
}

export function renderHandoffText(doc: HandoffDocument): string {
  const w = WORDS[doc.locale];
  const lines: string[] = [
    w.title,
    "=".repeat(w.title.length),
    "",
    `${w.caseCode}: ${doc.caseCode}`,
    `${w.date}: ${doc.date}`,
    `${w.channel}: ${w.channels[doc.channel]}`,
    `${w.kind}: ${w.kinds[doc.kind]}`,
    `${w.topic}: ${w.topics[doc.topic]}`,
    `${w.anonymity}: ${w.anonymities[doc.anonymity]}`,
  ];

  if (doc.anonymity === "named") {
    const c = doc.contact;
    if (c && (c.name || c.route || c.chatHandle)) {
      lines.push(`${w.contact}:`);
      if (c.name) lines.push(`  ${w.contactName}: ${inline(c.name, "    ")}`);
      if (c.route) lines.push(`  ${w.contactRoute}: ${inline(c.route, "    ")}`);
      if (c.chatHandle) lines.push(`  ${w.contactChat}: ${inline(c.chatHandle, "    ")}`);
    } else {
      lines.push(`${w.contact}: ${w.noContact}`);
    }
  }

  lines.push("", `${w.report}`, "-".repeat(w.report.length));
  if (doc.kind === "contact" && !doc.report) {
    lines.push(w.noReport);
  } else {
    for (const field of REPORT_FIELDS) {
      const value = doc.report?.[field.id]?.trim();
      if (!value) {
        lines.push(`${w.fields[field.id]}: ${w.skipped}`);
      } else if (field.multiline) {
        lines.push(`${w.fields[field.id]}:`, block(value, "  "), "");
      } else {
        lines.push(`${w.fields[field.id]}: ${inline(value, "  ")}`);
      }
    }
  }
  lines.push("", `${w.wishes}: ${doc.wishes ? w.wishOptions[doc.wishes] : w.wishNotGiven}`);

  lines.push("", w.noteTitle, "-".repeat(w.noteTitle.length), ...w.note);
  if (doc.anonymity === "anonymous") lines.push("", w.anonymousNote);

  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
