/**
 * The Wbk clock, table-driven: acknowledgement 7 days after the handoff's date, feedback
 * 3 months after the acknowledgement (or after the end of the 7-day term when none was sent),
 * across month ends, leap years and the daylight-saving changes of Europe/Amsterdam.
 */
import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  amsterdamDate,
  daysBetween,
  isCivilDate,
  parseDateInput,
  quarterOf,
} from "../../src/desk/calendar.ts";
import { ackDueDate, feedbackDueDate, nextDeadline, timeliness, urgency } from "../../src/desk/deadlines.ts";

describe("acknowledgement due: 7 days after the handoff's date", () => {
  it.each([
    ["2026-03-04", "2026-03-11", "plain"],
    ["2026-01-28", "2026-02-04", "across a month end"],
    ["2026-12-29", "2027-01-05", "across a year end"],
    ["2028-02-22", "2028-02-29", "into 29 February of a leap year"],
    ["2027-02-22", "2027-03-01", "past 28 February of a common year"],
    ["2100-02-22", "2100-03-01", "2100 is not a leap year"],
    ["2000-02-22", "2000-02-29", "2000 is a leap year"],
    ["2026-03-25", "2026-04-01", "across the spring DST change (29 March 2026)"],
    ["2026-03-22", "2026-03-29", "ending on the spring DST day"],
    ["2026-10-20", "2026-10-27", "across the autumn DST change (25 October 2026)"],
    ["2026-10-18", "2026-10-25", "ending on the autumn DST day"],
  ])("%s → %s (%s)", (received, due) => {
    expect(ackDueDate(received)).toBe(due);
  });
});

describe("feedback due: 3 months after the acknowledgement, clamped to the month's end", () => {
  it.each([
    ["2026-01-15", "2026-04-15", "plain"],
    ["2025-11-30", "2026-02-28", "30 November → 28 February"],
    ["2027-11-30", "2028-02-29", "30 November → 29 February in a leap year"],
    ["2026-11-29", "2027-02-28", "29 November → 28 February"],
    ["2026-03-31", "2026-06-30", "31 March → 30 June"],
    ["2026-05-31", "2026-08-31", "31 May → 31 August"],
    ["2026-08-31", "2026-11-30", "31 August → 30 November"],
    ["2026-10-31", "2027-01-31", "across a year end"],
    ["2026-12-31", "2027-03-31", "31 December → 31 March"],
    ["2026-01-01", "2026-04-01", "across the spring DST change"],
    ["2026-07-25", "2026-10-25", "ending on the autumn DST day"],
  ])("acknowledged %s → feedback due %s (%s)", (ack, due) => {
    expect(feedbackDueDate("2025-01-01", ack)).toBe(due);
  });

  it.each([
    ["2026-02-21", "2026-05-28", "no acknowledgement: 3 months after the 7-day term (28 Feb)"],
    ["2027-11-23", "2028-02-29", "the 7-day term ends 30 Nov; +3 months clamps to 29 Feb (leap)"],
    ["2026-11-23", "2027-02-28", "the 7-day term ends 30 Nov; +3 months clamps to 28 Feb"],
  ])("received %s, never acknowledged → feedback due %s (%s)", (received, due) => {
    expect(feedbackDueDate(received, undefined)).toBe(due);
  });
});

describe("today in Amsterdam, around midnight and the DST changes", () => {
  it.each([
    // instant (UTC)              Amsterdam date   why
    ["2026-01-15T22:59:59Z", "2026-01-15", "23:59:59 CET"],
    ["2026-01-15T23:00:00Z", "2026-01-16", "00:00 CET: already the next day, though UTC is not"],
    ["2026-03-28T22:59:59Z", "2026-03-28", "last second of 28 March (CET)"],
    ["2026-03-28T23:00:00Z", "2026-03-29", "midnight before the spring change (CET)"],
    ["2026-03-29T01:00:00Z", "2026-03-29", "03:00 CEST, right after the clocks jump"],
    ["2026-03-29T21:59:59Z", "2026-03-29", "23:59:59 CEST"],
    ["2026-03-29T22:30:00Z", "2026-03-30", "00:30 CEST: a fixed +1 hour would still say 29 March"],
    ["2026-10-24T22:30:00Z", "2026-10-25", "00:30 CEST on the autumn change day"],
    ["2026-10-25T00:30:00Z", "2026-10-25", "02:30 CEST, the first of the repeated hour"],
    ["2026-10-25T01:30:00Z", "2026-10-25", "02:30 CET, the second of the repeated hour"],
    ["2026-10-25T22:30:00Z", "2026-10-25", "23:30 CET: a fixed +2 hours would say 26 October"],
    ["2026-10-25T23:00:00Z", "2026-10-26", "midnight CET"],
    ["2028-02-28T23:30:00Z", "2028-02-29", "leap day begins"],
    ["2026-12-31T23:00:00Z", "2027-01-01", "new year in Amsterdam, still 2026 in UTC"],
  ])("%s is %s (%s)", (instant, date) => {
    expect(amsterdamDate(new Date(instant))).toBe(date);
  });

  it.each([
    // due          instant                  urgency     why
    ["2026-03-29", "2026-03-28T22:59:59Z", "near", "one second before the due day starts"],
    ["2026-03-29", "2026-03-28T23:00:00Z", "today", "the due day has started in Amsterdam"],
    ["2026-03-29", "2026-03-29T21:59:59Z", "today", "still the due day (CEST)"],
    ["2026-03-29", "2026-03-29T22:00:00Z", "overdue", "the day after, though UTC still says 29 March"],
    ["2026-10-25", "2026-10-25T22:59:59Z", "today", "still the due day (CET, after the change)"],
    ["2026-10-25", "2026-10-25T23:00:00Z", "overdue", "the day after"],
    ["2026-11-01", "2026-10-25T12:00:00Z", "near", "7 days ahead is near"],
    ["2026-11-02", "2026-10-25T12:00:00Z", "later", "8 days ahead is not"],
  ])("due %s at %s: %s (%s)", (due, instant, expected) => {
    expect(urgency(due, amsterdamDate(new Date(instant)))).toBe(expected);
  });
});

describe("calendar basics", () => {
  it("rejects dates that do not exist", () => {
    for (const bad of [
      "2026-02-29",
      "2026-02-30",
      "2026-13-01",
      "2026-04-31",
      "2026-4-1",
      "26-04-01",
      "2026-00-10",
    ]) {
      expect(isCivilDate(bad), bad).toBe(false);
    }
    for (const good of ["2028-02-29", "2000-02-29", "2026-12-31"]) expect(isCivilDate(good), good).toBe(true);
  });

  it("adds and subtracts whole days and months", () => {
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2026-12-15", 14)).toBe("2028-02-15");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2);
    expect(daysBetween("2027-01-05", "2026-12-29")).toBe(-7);
  });

  it("quarters", () => {
    expect(
      ["2026-01-01", "2026-03-31", "2026-04-01", "2026-06-30", "2026-07-01", "2026-12-31"].map(quarterOf),
    ).toEqual([1, 1, 2, 2, 3, 4]);
  });

  it("reads the dates a counsellor types", () => {
    const today = "2026-01-31";
    expect(parseDateInput("today", today)).toBe(today);
    expect(parseDateInput("vandaag", today)).toBe(today);
    expect(parseDateInput("+10d", today)).toBe("2026-02-10");
    expect(parseDateInput("+2w", today)).toBe("2026-02-14");
    expect(parseDateInput("+1m", today)).toBe("2026-02-28");
    expect(parseDateInput("2026-05-05", today)).toBe("2026-05-05");
    expect(parseDateInput("2026-02-30", today)).toBeNull();
    expect(parseDateInput("next week", today)).toBeNull();
  });
});

describe("the clock on a case", () => {
  it("applies the Wbk terms to integrity cases only, earliest first", () => {
    expect(nextDeadline({ group: "integrity", received: "2026-03-04", closed: false })).toEqual({
      kind: "ack",
      due: "2026-03-11",
    });
    expect(
      nextDeadline({ group: "integrity", received: "2026-03-04", closed: false, ackDate: "2026-03-05" }),
    ).toEqual({ kind: "feedback", due: "2026-06-05" });
    expect(
      nextDeadline({
        group: "integrity",
        received: "2026-03-04",
        closed: false,
        ackDate: "2026-03-05",
        followUp: "2026-04-01",
      }),
    ).toEqual({ kind: "follow_up", due: "2026-04-01" });
    expect(nextDeadline({ group: "unwanted_behaviour", received: "2026-03-04", closed: false })).toBeNull();
    expect(
      nextDeadline({
        group: "unwanted_behaviour",
        received: "2026-03-04",
        closed: false,
        followUp: "2026-03-20",
      }),
    ).toEqual({ kind: "follow_up", due: "2026-03-20" });
    expect(nextDeadline({ group: "integrity", received: "2026-03-04", closed: true })).toBeNull();
  });

  it.each([
    ["2026-03-11", "2026-03-11", "2026-03-20", "on_time"],
    ["2026-03-12", "2026-03-11", "2026-03-20", "late"],
    [undefined, "2026-03-11", "2026-03-11", "not_due"],
    [undefined, "2026-03-11", "2026-03-12", "missing"],
  ] as const)("given %s, due %s, today %s: %s", (given, due, today, expected) => {
    expect(timeliness(given, due, today)).toBe(expected);
  });
});
