/**
 * Referral numbers in the Netherlands, in one place, each with its source.
 *
 * Nobody on the project could open the organisations' own live pages while writing this: the
 * numbers come from the project's domain notes (a review of public pages in November 2026,
 * shared/domain.md), cross-read against stored copies of public pages named in `source`. So the
 * texts say "from the project's notes, last reviewed …" and never "checked". Before every
 * release, someone checks each entry on the organisation's own site and updates REVIEWED.
 */
export const REFERRALS_REVIEWED = "2026-11-23";

export type ReferralId =
  | "emergency"
  | "police"
  | "suicide"
  | "sexualViolence"
  | "domesticViolence"
  | "victimSupport"
  | "whistleblowers"
  | "humanRights";

export interface Referral {
  id: ReferralId;
  /** Numbers as a person dials them; several when the organisation has more than one. */
  phones: string[];
  web?: string;
  /** Free to call (true), not free (false), or not known (undefined). */
  free?: boolean;
  /** Opening hours where known: "24/7" or working days. */
  hours?: "24/7" | "workingDays";
  /** Shown with "I am in danger now" (besides 112 always first). */
  urgent: boolean;
  /** Where the entry comes from. Never empty (a test checks it). */
  source: string;
}

const NOTES = "shared/domain.md (review of public pages, November 2026)";

export const REFERRALS: readonly Referral[] = [
  { id: "emergency", phones: ["112"], free: true, hours: "24/7", urgent: true, source: NOTES },
  { id: "police", phones: ["0900-8844"], free: false, urgent: true, source: `${NOTES}; politie.nl` },
  {
    id: "suicide",
    phones: ["113", "0800-0113"],
    web: "113.nl",
    free: true,
    hours: "24/7",
    urgent: true,
    source: `${NOTES}; 113.nl`,
  },
  {
    id: "sexualViolence",
    phones: ["0800-0188"],
    web: "centrumseksueelgeweld.nl",
    free: true,
    hours: "24/7",
    urgent: true,
    source: `${NOTES}; news pages quoting the national number (2016–2022)`,
  },
  {
    id: "domesticViolence",
    phones: ["0800-2000"],
    web: "veiligthuis.nl",
    free: true,
    hours: "24/7",
    urgent: true,
    source: NOTES,
  },
  {
    id: "victimSupport",
    phones: ["0900-0101"],
    web: "slachtofferhulp.nl",
    urgent: false,
    source: `${NOTES}; politie.nl/themas/slachtofferhulp`,
  },
  {
    id: "whistleblowers",
    phones: ["088-133 10 00"],
    web: "huisvoorklokkenluiders.nl",
    free: true,
    urgent: false,
    source: `${NOTES}; huisvoorklokkenluiders.nl (contact page)`,
  },
  {
    id: "humanRights",
    phones: ["030-888 38 88"],
    web: "mensenrechten.nl",
    hours: "workingDays",
    urgent: false,
    source: NOTES,
  },
];
