/**
 * Referral numbers, in one place, with the date they were checked. Update `checked` whenever
 * a number is verified against the organisation's own site.
 */
export const REFERRALS_CHECKED = "2026-11-23";
export const REFERRALS_SOURCE =
  "project brief (shared/domain.md); re-verify each number on the organisation's own site before every release";

export interface Referral {
  id: string;
  phone?: string;
  web?: string;
  /** Shown in the "danger now" list. */
  urgent: boolean;
}

export const REFERRALS: readonly Referral[] = [
  { id: "emergency", phone: "112", urgent: true },
  { id: "police", phone: "0900-8844", urgent: true },
  { id: "suicide", phone: "113 / 0800-0113", web: "113.nl", urgent: true },
  { id: "sexualViolence", phone: "0800-0188", web: "centrumseksueelgeweld.nl", urgent: true },
  { id: "victimSupport", web: "slachtofferhulp.nl", urgent: false },
  { id: "whistleblowers", web: "huisvoorklokkenluiders.nl", urgent: false },
  { id: "humanRights", web: "mensenrechten.nl", urgent: false },
];

export const referralLine = (r: Referral, name: string): string =>
  [name, r.phone, r.web].filter(Boolean).join(" — ");
