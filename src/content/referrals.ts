/**
 * Referral numbers in the Netherlands, in one place, each with its source.
 *
 * Nobody on the project could open the organisations' own live pages while writing this: the
 * numbers come from the project's domain notes (a review of public pages in November 2026,
 * shared/domain.md), cross-read against stored copies of public pages named in `source` (the
 * organisation's own page where a copy exists). So the texts say "from the project's notes,
 * last reviewed …" and never "checked". Before every release, someone checks each entry on the
 * organisation's own site and updates REVIEWED.
 *
 * `free` is about the call, not the service: only 0800 numbers, 112 and (since October 2025)
 * 113 are free to call. An 088 or 0900 number costs the caller, even where the help is free.
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
  /** Free to call (true), not free to call (false), or not known (undefined): the call, not the service. */
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
  {
    id: "police",
    phones: ["0900-8844"],
    free: false,
    urgent: true,
    source: `${NOTES}; politie.nl; pitane.blue/2023/01/18 (0900-8844: 2 cents a minute plus the usual call costs)`,
  },
  {
    id: "suicide",
    phones: ["113", "0800-0113"],
    web: "113.nl",
    free: true,
    hours: "24/7",
    urgent: true,
    source: `${NOTES}; 113.nl/schoolopdracht ("Bel gratis 113"); nu.nl 2020-07 (24/7; 113 or 0800-0113); upday.com/ANP 2025-10-03 (113 free since then)`,
  },
  {
    id: "sexualViolence",
    phones: ["0800-0188"],
    web: "centrumseksueelgeweld.nl",
    free: true,
    hours: "24/7",
    urgent: true,
    source: `${NOTES}; centrumseksueelgeweld.nl/category/in-de-media ("24/7 bereikbaar op 0800-0188"); omroepflevoland.nl 2016 ("gratis nummer 0800-0188")`,
  },
  {
    id: "domesticViolence",
    phones: ["0800-2000"],
    web: "veiligthuis.nl",
    free: true,
    hours: "24/7",
    urgent: true,
    source: `${NOTES}; veiligthuisutrecht.nl/over-ons/wat-doet-veilig-thuis ("24/7 gratis bereikbaar 0800 – 2000"); augeo.nl (national number, free, 24 hours)`,
  },
  {
    id: "victimSupport",
    phones: ["0900-0101"],
    web: "slachtofferhulp.nl",
    // politie.nl: "0900-0101 (lokaal tarief)": the help is free, the call is not.
    free: false,
    urgent: false,
    source: `${NOTES}; politie.nl/themas/slachtofferhulp ("0900-0101 (lokaal tarief)"); slachtofferhulp.nl (professionals page, 0900-0101)`,
  },
  {
    id: "whistleblowers",
    phones: ["088-133 10 00"],
    web: "huisvoorklokkenluiders.nl",
    // The advice is free ("vertrouwelijk, onafhankelijk en gratis"); an 088 number is not a free
    // call, so the list does not say "free" after the number: the name says "free advice".
    urgent: false,
    source: `${NOTES}; huisvoorklokkenluiders.nl/onderzoek-door-het-huis ("088 – 133 10 00"); huisvoorklokkenluiders.nl/bestuur-en-bureau (service "vertrouwelijk, onafhankelijk en gratis")`,
  },
  {
    id: "humanRights",
    phones: ["030-888 38 88"],
    web: "mensenrechten.nl",
    hours: "workingDays",
    urgent: false,
    source: `${NOTES}; the College's former site (cgblive.ilumy.com, "op werkdagen tussen 10.00 - 16.00 uur op (030) 888 38 88"); mensenrechten.nl/nl/college-voor-jou`,
  },
];
