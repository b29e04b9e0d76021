/**
 * The annual report's counts, straight from the cases: no suppression yet (publish.ts does that,
 * and nothing here ever leaves the machine unsuppressed). Only categories, never text; the only
 * date used is the quarter a case was received in.
 */
import { TOPIC_GROUPS, type TopicGroup, WISHES } from "../../../flows/domain.ts";
import { type CivilDate, quarterOf, yearOf } from "../calendar.ts";
import type { CaseView } from "../cases.ts";
import { TIMELINESS, type Timeliness, timeliness, wbkApplies } from "../deadlines.ts";

export const QUARTERS = [1, 2, 3, 4] as const;
export type Quarter = (typeof QUARTERS)[number];

export const KINDS = ["report", "contact"] as const;
/** "unknown": handoffs of document version 1 did not say which kind of counsellor was chosen. */
export const COUNSELLOR_KINDS = ["internal", "external", "unknown"] as const;
export const WISH_CATEGORIES = [...WISHES, "not_stated"] as const;
export const ANONYMITY = ["anonymous", "named"] as const;

export type KindCategory = (typeof KINDS)[number];
export type CounsellorCategory = (typeof COUNSELLOR_KINDS)[number];
export type WishCategory = (typeof WISH_CATEGORIES)[number];
export type AnonymityCategory = (typeof ANONYMITY)[number];

export interface RawTables {
  year: number;
  /** Counts by topic group (rows, in TOPIC_GROUPS order) and quarter (columns). */
  topicByQuarter: number[][];
  kind: Record<KindCategory, number>;
  counsellorKind: Record<CounsellorCategory, number>;
  wishes: Record<WishCategory, number>;
  anonymity: Record<AnonymityCategory, number>;
  /** Integrity cases only: how the Wbk terms went, as of the day the report is made. */
  ack: Record<Timeliness, number>;
  feedback: Record<Timeliness, number>;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function tabulate(cases: readonly CaseView[], year: number, today: CivilDate): RawTables {
  const t: RawTables = {
    year,
    topicByQuarter: TOPIC_GROUPS.map(() => QUARTERS.map(() => 0)),
    kind: zeros(KINDS),
    counsellorKind: zeros(COUNSELLOR_KINDS),
    wishes: zeros(WISH_CATEGORIES),
    anonymity: zeros(ANONYMITY),
    ack: zeros(TIMELINESS),
    feedback: zeros(TIMELINESS),
  };
  for (const c of cases) {
    if (yearOf(c.facts.received) !== year) continue;
    const row = t.topicByQuarter[TOPIC_GROUPS.indexOf(c.group as TopicGroup)] as number[];
    const q = quarterOf(c.facts.received) - 1;
    row[q] = (row[q] as number) + 1;
    t.kind[c.facts.kind]++;
    t.counsellorKind[c.facts.counsellorKind ?? "unknown"]++;
    t.wishes[c.facts.wishes ?? "not_stated"]++;
    t.anonymity[c.facts.anonymity]++;
    if (wbkApplies(c.group) && c.ackDue && c.feedbackDue) {
      t.ack[timeliness(c.ackDate, c.ackDue, today)]++;
      t.feedback[timeliness(c.feedbackDate, c.feedbackDue, today)]++;
    }
  }
  return t;
}
