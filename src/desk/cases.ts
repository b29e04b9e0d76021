/**
 * A case's current state, folded from its entries in the order they were recorded. Deriving the
 * state instead of storing it keeps the entries append-only and lets a fixed rule (a deadline,
 * a status transition) apply to old cases too.
 */
import { type TopicGroup, topicGroup } from "../../flows/domain.ts";
import type { CivilDate } from "./calendar.ts";
import {
  type ClockInput,
  type Deadline,
  ackDueDate,
  feedbackDueDate,
  nextDeadline,
  wbkApplies,
} from "./deadlines.ts";
import type { CaseFacts, CaseStatus, ClosingReason, EventSummary, IndexEntry } from "./records.ts";

export interface TimelineItem {
  file: string;
  recordedAt: string;
  /** The message's kind (e.g. "handoff") or the event. */
  what: { kind: "message"; type: string; date: CivilDate } | { kind: "event"; event: EventSummary };
}

export interface CaseView {
  caseId: string;
  facts: CaseFacts;
  group: TopicGroup;
  status: CaseStatus;
  closingReason?: ClosingReason;
  ackDate?: CivilDate;
  feedbackDate?: CivilDate;
  followUp?: CivilDate;
  /** Wbk terms, when the clock applies. */
  ackDue?: CivilDate;
  feedbackDue?: CivilDate;
  next: Deadline | null;
  notes: number;
  /** The entry holding the message that opened the case. */
  openingFile: string;
  /**
   * The entry that holds the case's anonymous mailbox (id, melder key, page address): the
   * handoff's followUp part, or the newest follow-up notice. Absent: no mailbox to answer.
   */
  mailboxFile?: string;
  /** The melder wrote through the mailbox after the counsellor's last reply. */
  unanswered: boolean;
  timeline: TimelineItem[];
}

/** The desk message kinds of the anonymous follow-up (notice-message.ts, answer-message.ts). */
const NOTICE = "followup-notice";
const ANSWER = "melder-answer";

/** Entries in recorded order; seq and file name break ties, so every copy folds the same way. */
export function inRecordedOrder(entries: readonly IndexEntry[]): IndexEntry[] {
  return [...entries].sort(
    (a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.seq - b.seq || a.file.localeCompare(b.file),
  );
}

/**
 * Folds every entry into its case. Entries of a case whose opening message is not (yet) in the
 * register — a notice that overtook its handoff — are returned apart, not as a case.
 */
export function foldCases(entries: readonly IndexEntry[]): { cases: CaseView[]; waiting: number } {
  const byCase = new Map<string, IndexEntry[]>();
  // The same message imported into two copies of a register that were merged later: keep one.
  const seen = new Set<string>();
  for (const e of inRecordedOrder(entries)) {
    if (e.summary.kind === "message") {
      const id = `${e.summary.type}:${e.summary.messageId}`;
      if (seen.has(id)) continue;
      seen.add(id);
    }
    const list = byCase.get(e.caseId) ?? [];
    list.push(e);
    byCase.set(e.caseId, list);
  }
  const cases: CaseView[] = [];
  let waiting = 0;
  for (const [caseId, list] of byCase) {
    const view = foldOne(caseId, list);
    if (view) cases.push(view);
    else waiting += list.length;
  }
  return { cases, waiting };
}

function foldOne(caseId: string, list: IndexEntry[]): CaseView | null {
  const opening = list.find((e) => e.summary.kind === "message" && e.summary.facts);
  if (!opening || opening.summary.kind !== "message" || !opening.summary.facts) return null;
  const facts = opening.summary.facts;
  const view: CaseView = {
    caseId,
    facts,
    group: topicGroup(facts.topic),
    status: "new",
    next: null,
    notes: 0,
    openingFile: opening.file,
    ...(facts.mailbox ? { mailboxFile: opening.file } : {}),
    unanswered: false,
    timeline: [],
  };
  for (const e of list) {
    const s = e.summary;
    view.timeline.push({
      file: e.file,
      recordedAt: e.recordedAt,
      what:
        s.kind === "message"
          ? { kind: "message", type: s.type, date: s.date }
          : { kind: "event", event: s.event },
    });
    if (s.kind === "message") {
      if (s.type === NOTICE) view.mailboxFile = e.file;
      if (s.type === ANSWER) view.unanswered = true;
      continue;
    }
    const ev = s.event;
    switch (ev.type) {
      case "ack":
        if (ev.date) {
          view.ackDate = ev.date;
          if (view.status === "new") view.status = "acknowledged";
        } else {
          view.ackDate = undefined;
          if (view.status === "acknowledged") view.status = "new";
        }
        break;
      case "feedback":
        if (ev.date) view.feedbackDate = ev.date;
        else view.feedbackDate = undefined;
        break;
      case "status":
        view.status = ev.status;
        if (ev.status === "closed" && ev.reason) view.closingReason = ev.reason;
        else view.closingReason = undefined;
        break;
      case "follow_up":
        if (ev.date) view.followUp = ev.date;
        else view.followUp = undefined;
        break;
      case "note":
        view.notes++;
        break;
      case "reply":
        view.unanswered = false;
        break;
    }
  }
  if (wbkApplies(view.group)) {
    view.ackDue = ackDueDate(facts.received);
    view.feedbackDue = feedbackDueDate(facts.received, view.ackDate);
  }
  view.next = nextDeadline(clockInput(view));
  return view;
}

export function clockInput(view: CaseView): ClockInput {
  return {
    group: view.group,
    received: view.facts.received,
    closed: view.status === "closed",
    ...(view.ackDate ? { ackDate: view.ackDate } : {}),
    ...(view.feedbackDate ? { feedbackDate: view.feedbackDate } : {}),
    ...(view.followUp ? { followUp: view.followUp } : {}),
  };
}

/** Newest first: by received date, then case code, so the order is stable. */
export function newestFirst(cases: readonly CaseView[]): CaseView[] {
  return [...cases].sort(
    (a, b) =>
      b.facts.received.localeCompare(a.facts.received) || a.facts.caseCode.localeCompare(b.facts.caseCode),
  );
}

/** Finds a case by its code (any case, with or without "VT-") or its case id. */
export function findCase(cases: readonly CaseView[], ref: string): CaseView | undefined {
  const r = ref.trim().toUpperCase();
  const code = r.startsWith("VT-") ? r : `VT-${r}`;
  return cases.find((c) => c.facts.caseCode === code || c.caseId.toUpperCase() === r);
}
