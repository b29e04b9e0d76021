/**
 * Composition shared by the catalogs: the same structure in every language, with each
 * language's words passed in. Keeps nl.ts and en.ts to words only.
 */
import { REPORT_FIELDS } from "../../flows/domain.ts";
import type { Locale } from "../../flows/domain.ts";
import type { MessageId, Params } from "../../flows/model.ts";
import { REFERRALS, type Referral, type ReferralId } from "./referrals.ts";
import type { Lookup } from "./types.ts";

const INTL_LOCALE: Record<Locale, string> = { nl: "nl-NL", en: "en-GB" };

/** "2026-11-23" → "23 november 2026" / "23 November 2026" (never an ISO date for a melder). */
export function formatDay(locale: Locale, isoDay: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) return isoDay;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${isoDay}T12:00:00Z`));
}

/** 10000 → "10.000" / "10,000". */
export const formatNumber = (locale: Locale, n: number): string =>
  new Intl.NumberFormat(INTL_LOCALE[locale]).format(n);

export interface ReferralWords {
  names: Record<ReferralId, string>;
  free: string;
  notFree: string;
  allDay: string;
  workingDays: string;
  or: string;
}

/** One line per referral: name, number(s), cost and hours where known, website. */
export function referralList(w: ReferralWords, urgentOnly: boolean): string {
  return REFERRALS.filter((r) => !urgentOnly || r.urgent)
    .map((r) => `• ${referralLine(w, r)}`)
    .join("\n");
}

function referralLine(w: ReferralWords, r: Referral): string {
  const facts = [
    r.free === true ? w.free : r.free === false ? w.notFree : undefined,
    r.hours === "24/7" ? w.allDay : r.hours === "workingDays" ? w.workingDays : undefined,
  ].filter(Boolean);
  const phones = r.phones.join(` ${w.or} `);
  return `${w.names[r.id]}: *${phones}*${facts.length > 0 ? ` (${facts.join(", ")})` : ""}${r.web ? ` — ${r.web}` : ""}`;
}

/** "nl,en" → "Nederlands, Engels" with the language's own names for languages. */
export const languageList = (codes: unknown, names: Record<string, string>): string =>
  String(codes)
    .split(",")
    .map((l) => names[l] ?? l)
    .join(", ");

/** The label of a form field by its id, for error messages. */
export function fieldLabel(field: string, t: Lookup): string {
  if (field === "name" || field === "route") return t(`contact.field.${field}`);
  if (field === "wishes") return t("report.field.wishes");
  return t(`report.field.${field}` as MessageId);
}

export interface CounsellorWords {
  internal: string;
  external: string;
  speaks: (languages: string) => string;
  deputy: (name: string) => string;
  languageNames: Record<string, string>;
}

/** A counsellor card: name, internal/external, languages, introduction, and the deputy by name. */
export const counsellorCard =
  (w: CounsellorWords) =>
  (p: Params): string =>
    [
      `*${p.name}* — ${p.kind === "internal" ? w.internal : w.external}. ${w.speaks(languageList(p.languages, w.languageNames))}`,
      String(p.intro ?? ""),
      p.deputy ? w.deputy(String(p.deputy)) : "",
    ]
      .filter((line) => line !== "")
      .join("\n");

/** How to reach a counsellor directly, from the config: the same words in every language. */
export const counsellorReach = (p: Params): string => `• ${p.name}: ${p.reachVia}`;

/** An organisation contact from the config: name, number, link, note. */
export const orgContact = (p: Params): string =>
  `• ${p.name}${p.phone ? `: *${p.phone}*` : ""}${p.url ? ` — ${p.url}` : ""}${p.note ? ` (${p.note})` : ""}`;

export interface ReviewWords {
  heading: string;
  kind: string;
  kindReport: string;
  kindContact: string;
  topic: string;
  counsellor: string;
  readBy: (counsellor: string, deputy: string) => string;
  anonymous: string;
  anonymousYes: string;
  anonymousNo: string;
  name: string;
  contactVia: string;
  viaThisChat: string;
  wishes: string;
  closing: string;
}

/** The review summary, in the form only: exactly what will be sent, skipped fields in one line. */
export const reviewSummary =
  (w: ReviewWords) =>
  (p: Params, t: Lookup): string => {
    const lines = [
      w.heading,
      `• ${w.kind}: ${p.mode === "report" ? w.kindReport : w.kindContact}`,
      `• ${w.topic}: ${t(`topic.${p.topic}` as MessageId)}`,
      `• ${w.counsellor}: ${w.readBy(String(p.counsellor), String(p.deputy ?? ""))}`,
      `• ${w.anonymous}: ${p.identity === "anonymous" ? w.anonymousYes : w.anonymousNo}`,
    ];
    if (p.identity === "named") {
      if (p.contactName) lines.push(`• ${w.name}: ${p.contactName}`);
      if (p.contactRoute) lines.push(`• ${w.contactVia}: ${p.contactRoute}`);
      if (p.viaChat) lines.push(`• ${w.contactVia}: ${w.viaThisChat}`);
    }
    if (p.mode === "report") {
      const filled = REPORT_FIELDS.filter((f) => String(p[`report_${f.id}`] ?? "") !== "");
      if (filled.length === 0) lines.push(t("review.empty"));
      for (const f of filled) lines.push(`• ${t(`report.field.${f.id}`)}\n${p[`report_${f.id}`]}`);
      if (p.wishes) lines.push(`• ${w.wishes}: ${t(`wish.${p.wishes}` as MessageId)}`);
    }
    lines.push("", w.closing);
    return lines.join("\n");
  };
