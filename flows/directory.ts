/**
 * What the organisation's configuration tells the flows to show: its name, its counsellors and
 * its own contacts. Display data only — passed to the prompt functions each turn, never kept in a
 * snapshot, so a sealed draft or chat record holds no copy of it.
 */
import type { Locale } from "./domain.ts";

export type Localised = Partial<Record<Locale, string>>;

export interface CounsellorInfo {
  id: string;
  name: string;
  kind: "internal" | "external";
  languages: Locale[];
  introduction: Localised;
  /** How the melder can reach this counsellor directly, shown with the receipt and in urgent help. */
  reachVia?: Localised;
  /** The deputy who can also open this counsellor's handoffs (named on the counsellor card). */
  deputyName?: string;
}

/** Where the organisation's own help is: complaints committee, reporting procedure, company doctor… */
export const CONTACT_KINDS = [
  "complaintsCommittee",
  "reportingProcedure",
  "companyDoctor",
  "socialWork",
  "worksCouncil",
  "other",
] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface OrganisationContact {
  kind: ContactKind;
  name: Localised;
  phone?: string;
  url?: string;
  /** Opening hours or a short note, per language. */
  note?: Localised;
  /** Also listed with the urgent help (a company doctor, say), not only in the information. */
  urgent?: boolean;
}

export interface Directory {
  organisation: string;
  counsellors: CounsellorInfo[];
  contacts: OrganisationContact[];
  /** Minutes an idle draft is kept before it is wiped (the texts name it). */
  idleMinutes: number;
  /** Counsellor used for "no preference"; absent: not offered. */
  defaultCounsellorId?: string;
  /** The secure web page, when the organisation runs it (a link in the chat's first steps). */
  webFormUrl?: string;
  /**
   * The web page's "My mailbox" (`<web page>#mailbox`), when the organisation runs the page: one
   * static address for everyone, offered in the chat's welcome.
   */
  mailboxUrl?: string;
  /** Days a delivered receipt's status can be looked up, and the random delivery delay (minutes). */
  deliveryDelayMinutes: number;
}

/** A counsellor as message params (the catalogs compose the card). */
export function counsellorParams(co: CounsellorInfo, locale: Locale): Record<string, string> {
  return {
    id: co.id,
    name: co.name,
    kind: co.kind,
    languages: co.languages.join(","),
    intro: co.introduction[locale] ?? co.introduction.nl ?? "",
    deputy: co.deputyName ?? "",
    reachVia: co.reachVia?.[locale] ?? co.reachVia?.nl ?? "",
  };
}

/** An organisation contact as message params. */
export function contactParams(c: OrganisationContact, locale: Locale): Record<string, string> {
  return {
    kind: c.kind,
    name: c.name[locale] ?? c.name.nl ?? "",
    phone: c.phone ?? "",
    url: c.url ?? "",
    note: c.note?.[locale] ?? c.note?.nl ?? "",
  };
}
