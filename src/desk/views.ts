/**
 * What `desk list` and `desk show` print: plain text columns for a terminal, in the chosen
 * language. Case codes and dates are the counsellor's own; nothing here is ever logged.
 */
import type { DeskWords } from "../content/desk-text.ts";
import { type CivilDate, daysBetween } from "./calendar.ts";
import type { CaseView, TimelineItem } from "./cases.ts";
import { NEAR_DAYS, type Urgency, urgency } from "./deadlines.ts";

export interface ListOptions {
  /** Include closed cases. */
  all?: boolean;
  /** Only cases with a deadline within this many days (overdue included). */
  dueWithin?: number;
}

const mark: Record<Urgency, string> = { overdue: "!!", today: "!!", near: "!", later: "" };

function deadlineText(
  c: CaseView,
  today: CivilDate,
  w: DeskWords,
): { text: string; urgency: Urgency | null } {
  if (!c.next) return { text: w.list.none, urgency: null };
  const u = urgency(c.next.due, today);
  const left = daysBetween(today, c.next.due);
  const rel = u === "overdue" ? w.list.overdue(-left) : u === "today" ? w.list.today : w.list.inDays(left);
  return { text: `${w.deadlines[c.next.kind]} ${c.next.due} (${rel})`, urgency: u };
}

export function selectForList(cases: readonly CaseView[], today: CivilDate, o: ListOptions): CaseView[] {
  return cases.filter((c) => {
    if (!o.all && c.status === "closed") return false;
    if (o.dueWithin !== undefined) return c.next !== null && daysBetween(today, c.next.due) <= o.dueWithin;
    return true;
  });
}

export function formatList(
  all: readonly CaseView[],
  today: CivilDate,
  w: DeskWords,
  o: ListOptions = {},
): string {
  const cases = selectForList(all, today, o);
  const open = all.filter((c) => c.status !== "closed");
  const soon = open.filter(
    (c) => c.next && daysBetween(today, c.next.due) >= 0 && daysBetween(today, c.next.due) <= NEAR_DAYS,
  ).length;
  const overdue = open.filter((c) => c.next && daysBetween(today, c.next.due) < 0).length;
  const summary = w.list.summary(open.length, soon, overdue);
  if (cases.length === 0) {
    return `${o.dueWithin !== undefined ? w.list.emptyDue(o.dueWithin) : w.list.empty}\n${summary}\n`;
  }
  const col = w.list.columns;
  const rows = [
    ["", col.case, col.received, col.kind, col.group, col.status, col.next],
    ...cases.map((c) => [
      c.next ? mark[urgency(c.next.due, today)] : "",
      c.facts.caseCode,
      c.facts.received,
      w.kinds[c.facts.kind],
      w.topicGroups[c.group],
      (c.status === "closed" && c.closingReason
        ? `${w.statuses.closed}: ${w.closingReasons[c.closingReason]}`
        : w.statuses[c.status]) + (c.unanswered ? w.list.unanswered : ""),
      deadlineText(c, today, w).text,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] as string)].length))) ?? [];
  const lines = rows.map((r) =>
    r
      .map((v, i) => (i === r.length - 1 ? v : v + " ".repeat((widths[i] as number) - [...v].length)))
      .join("  ")
      .trimEnd(),
  );
  const legend = cases.some((c) => c.unanswered)
    ? `${w.list.legend}; ${w.list.legendUnanswered}`
    : w.list.legend;
  return `${lines.join("\n")}\n\n${summary} ${legend}\n`;
}

/** Control characters and bidi overrides out: a note is printed in a terminal. */
export function displaySafe(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, (ch) => (ch === "\t" || ch === "\n" ? ch : "\uFFFD"));
}

function eventText(e: TimelineItem["what"], w: DeskWords): string {
  if (e.kind === "message") return `${e.date}  ${w.show.received(e.type)}`;
  const ev = e.event;
  switch (ev.type) {
    case "ack":
      return `${ev.date ?? "          "}  ${w.show.event.ack(ev.date !== null)}`;
    case "feedback":
      return `${ev.date ?? "          "}  ${w.show.event.feedback(ev.date !== null)}`;
    case "status":
      return `${ev.date}  ${w.show.event.status(w.statuses[ev.status], ev.reason ? w.closingReasons[ev.reason] : null)}`;
    case "follow_up":
      return `${"          "}  ${w.show.event.followUp(ev.date)}`;
    case "note":
      return `${ev.date}  ${w.show.note}`;
    case "reply":
      return `${ev.date}  ${w.show.event.reply}`;
  }
}

/** One message of the case's mailbox thread: the melder's answer or the counsellor's reply. */
export interface ThreadItem {
  from: "melder" | "counsellor";
  date: CivilDate;
  text: string;
}

export function formatShow(
  c: CaseView,
  opening: string,
  notes: { date: CivilDate; text: string }[],
  today: CivilDate,
  w: DeskWords,
  thread: readonly ThreadItem[] = [],
): string {
  const s = w.show;
  const lines = [s.title(c.facts.caseCode), "=".repeat(s.title(c.facts.caseCode).length), ""];
  const status =
    c.status === "closed" && c.closingReason
      ? `${w.statuses.closed}: ${w.closingReasons[c.closingReason]}`
      : w.statuses[c.status];
  lines.push(`${s.status}: ${status}`);
  if (c.ackDue) lines.push(`${s.ackDue}: ${c.ackDue}${c.ackDate ? ` (${s.sentOn(c.ackDate)})` : ""}`);
  if (c.feedbackDue) {
    lines.push(
      `${s.feedbackDue}: ${c.feedbackDue}${c.feedbackDate ? ` (${s.givenOn(c.feedbackDate)})` : ""}`,
    );
  }
  if (c.followUp) lines.push(`${s.followUp}: ${c.followUp}`);
  if (c.next) lines.push(`→ ${deadlineText(c, today, w).text}`);
  if (c.mailboxFile) lines.push(s.mailbox(c.facts.caseCode));
  if (c.unanswered) lines.push(s.unanswered);
  lines.push("", s.timeline, "-".repeat(s.timeline.length));
  for (const item of c.timeline) lines.push(`  ${eventText(item.what, w)}`);
  lines.push("", s.handoffHeading, "-".repeat(s.handoffHeading.length), opening.trimEnd());
  if (thread.length > 0) {
    lines.push("", s.threadHeading, "-".repeat(s.threadHeading.length));
    for (const t of thread) {
      lines.push(
        t.from === "melder" ? s.fromMelder(t.date) : s.fromYou(t.date),
        ...displaySafe(t.text.trimEnd())
          .split("\n")
          .map((l) => `  ${l}`.trimEnd()),
        "",
      );
    }
  }
  if (notes.length > 0) {
    lines.push("", s.notesHeading, "-".repeat(s.notesHeading.length));
    for (const n of notes) {
      lines.push(
        `[${n.date}]`,
        ...displaySafe(n.text)
          .split("\n")
          .map((l) => `  ${l}`.trimEnd()),
        "",
      );
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
