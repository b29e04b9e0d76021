/**
 * Composition shared by the catalogs: the same structure in every language, with each
 * language's words passed in. Keeps nl.ts and en.ts to words only.
 */
import { REPORT_FIELDS } from "../../flows/domain.ts";
import type { MessageId, Params } from "../../flows/model.ts";
import { REFERRALS, referralLine } from "./referrals.ts";
import type { Lookup } from "./types.ts";

/** The referral list, named in one language. */
export const referralList = (names: Record<string, string>, urgentOnly: boolean): string =>
  REFERRALS.filter((r) => !urgentOnly || r.urgent)
    .map((r) => `• ${referralLine(r, names[r.id] ?? r.id)}`)
    .join("\n");

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

export interface ReviewWords {
  heading: string;
  kind: string;
  kindReport: string;
  kindContact: string;
  topic: string;
  counsellor: string;
  anonymous: string;
  anonymousYes: string;
  anonymousNo: string;
  name: string;
  contactVia: string;
  viaThisChat: string;
  wishes: string;
  closing: string;
  /** In a chat, typed content is replaced by this (with the length), see renderPrompt's forChat. */
  filledIn: (chars: number) => string;
  given: string;
  /** Where the melder can read their own text when the chat shows only that it was filled in. */
  redactedNote: string;
}

/**
 * The review summary: what will be sent, field by field, skipped fields left out. With
 * `redact` (set by chat adapters) typed content is shown as "filled in (N characters)", so
 * report text and contact details never enter a chat platform's history.
 */
export const reviewSummary =
  (w: ReviewWords) =>
  (p: Params, t: Lookup): string => {
    const shown = (value: unknown, long = false) =>
      p.redact ? (long ? w.filledIn(String(value).length) : w.given) : String(value);
    const lines = [
      w.heading,
      `• ${w.kind}: ${p.mode === "report" ? w.kindReport : w.kindContact}`,
      `• ${w.topic}: ${t(`topic.${p.topic}` as MessageId)}`,
      `• ${w.counsellor}: ${p.counsellor}`,
      `• ${w.anonymous}: ${p.identity === "anonymous" ? w.anonymousYes : w.anonymousNo}`,
    ];
    if (p.identity === "named") {
      if (p.contactName) lines.push(`• ${w.name}: ${shown(p.contactName)}`);
      if (p.contactRoute) lines.push(`• ${w.contactVia}: ${shown(p.contactRoute)}`);
      if (p.viaChat) lines.push(`• ${w.contactVia}: ${w.viaThisChat}`);
    }
    if (p.mode === "report") {
      const filled = REPORT_FIELDS.filter((f) => String(p[`report_${f.id}`] ?? "") !== "");
      if (filled.length === 0) lines.push(t("review.empty"));
      for (const f of filled) {
        const value = p[`report_${f.id}`];
        lines.push(
          p.redact
            ? `• ${t(`report.field.${f.id}`)}: ${shown(value, true)}`
            : `• ${t(`report.field.${f.id}`)}:\n${value}`,
        );
      }
      if (p.redact && filled.length > 0) lines.push(w.redactedNote);
      if (p.wishes) lines.push(`• ${w.wishes}: ${t(`wish.${p.wishes}` as MessageId)}`);
    }
    lines.push(`\n${w.closing}`);
    return lines.join("\n");
  };
