/**
 * The clocks on a case.
 *
 * The Wet bescherming klokkenluiders (its rules for an internal reporting procedure) gives a
 * melder of a suspected wrongdoing an acknowledgement within seven days of the report, and feedback
 * on the follow-up within three months of that acknowledgement — or, when none was sent, within
 * three months of the end of the seven-day term. The desk runs this clock for the topic group
 * "integrity" (integrity and wrongdoing topics), for reports and contact requests alike:
 * acknowledging early costs nothing, missing the term does.
 *
 * Dates are days in the Amsterdam calendar (calendar.ts). A term that ends on a weekend or a
 * public holiday is *not* moved to the next working day, even though the Algemene termijnenwet
 * may allow it: the desk errs on the early side.
 *
 * For every other topic there is no legal clock; the counsellor may set their own follow-up date.
 */
import type { TopicGroup } from "../../flows/domain.ts";
import { type CivilDate, addDays, addMonths, compareDates, daysBetween } from "./calendar.ts";

export const ACK_DAYS = 7;
export const FEEDBACK_MONTHS = 3;
/** A deadline this close (in days) is marked as near in `desk list`. */
export const NEAR_DAYS = 7;

export const wbkApplies = (group: TopicGroup): boolean => group === "integrity";

export function ackDueDate(received: CivilDate): CivilDate {
  return addDays(received, ACK_DAYS);
}

/** Three months after the acknowledgement, or after the end of the acknowledgement term when none was sent. */
export function feedbackDueDate(received: CivilDate, ackDate: CivilDate | undefined): CivilDate {
  return addMonths(ackDate ?? ackDueDate(received), FEEDBACK_MONTHS);
}

export type DeadlineKind = "ack" | "feedback" | "follow_up";

export interface Deadline {
  kind: DeadlineKind;
  due: CivilDate;
}

export interface ClockInput {
  group: TopicGroup;
  received: CivilDate;
  closed: boolean;
  ackDate?: CivilDate;
  feedbackDate?: CivilDate;
  /** The counsellor's own follow-up date, any topic. */
  followUp?: CivilDate;
}

/** The deadlines still to be met, earliest first. A closed case has none. */
export function openDeadlines(c: ClockInput): Deadline[] {
  if (c.closed) return [];
  const out: Deadline[] = [];
  if (wbkApplies(c.group)) {
    if (!c.ackDate) out.push({ kind: "ack", due: ackDueDate(c.received) });
    if (!c.feedbackDate) out.push({ kind: "feedback", due: feedbackDueDate(c.received, c.ackDate) });
  }
  if (c.followUp) out.push({ kind: "follow_up", due: c.followUp });
  return out.sort((a, b) => compareDates(a.due, b.due));
}

export function nextDeadline(c: ClockInput): Deadline | null {
  return openDeadlines(c)[0] ?? null;
}

export type Urgency = "overdue" | "today" | "near" | "later";

export function urgency(due: CivilDate, today: CivilDate, nearDays = NEAR_DAYS): Urgency {
  const left = daysBetween(today, due);
  if (left < 0) return "overdue";
  if (left === 0) return "today";
  return left <= nearDays ? "near" : "later";
}

/** How a legal term went, for the annual report. */
export type Timeliness = "on_time" | "late" | "missing" | "not_due";
export const TIMELINESS: readonly Timeliness[] = ["on_time", "late", "missing", "not_due"];

/** Given on or before the due date = on time; not given and the due date has passed = missing. */
export function timeliness(given: CivilDate | undefined, due: CivilDate, today: CivilDate): Timeliness {
  if (given) return compareDates(given, due) <= 0 ? "on_time" : "late";
  return compareDates(today, due) > 0 ? "missing" : "not_due";
}
