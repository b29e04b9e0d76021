/**
 * The desk's operations on cases, between the CLI (which parses and prints) and the register
 * (which stores): read the cases, record an event on one, read a case's handoff and notes.
 */
import type { FollowUp } from "../handoff/document.ts";
import { ANSWER_TYPE, answerMessage } from "./answer-message.ts";
import type { CivilDate } from "./calendar.ts";
import { type CaseView, findCase, foldCases } from "./cases.ts";
import { DeskError } from "./errors.ts";
import { handoffMessage } from "./handoff-message.ts";
import { NOTICE_TYPE, noticeMessage } from "./notice-message.ts";
import type { CaseEvent } from "./records.ts";
import {
  type RegisterContext,
  type RegisterState,
  loadRegister,
  readEntryFile,
  updateRegister,
} from "./register.ts";
import type { ThreadItem } from "./views.ts";

export interface LoadedCases {
  cases: CaseView[];
  /** Messages whose case has not arrived yet. */
  waiting: number;
  state: RegisterState;
}

export async function loadCases(ctx: RegisterContext): Promise<LoadedCases> {
  const state = await loadRegister(ctx);
  const { cases, waiting } = foldCases(state.entries);
  return { cases, waiting, state };
}

function mustFind(cases: readonly CaseView[], ref: string): CaseView {
  const found = findCase(cases, ref);
  if (!found) {
    const shown = /^[A-Za-z0-9-]{1,40}$/.test(ref) ? ref : "that code";
    throw new DeskError(`there is no case ${shown} in the register (see "vertrouwd desk list --all")`);
  }
  return found;
}

export interface Recorded {
  before: CaseView;
  after: CaseView;
  /** False when the event would change nothing (e.g. the same acknowledgement date again). */
  changed: boolean;
  warnings: string[];
}

/**
 * Appends one event to a case under the register's lock. `decide` sees the case as it is now
 * (after any concurrent change) and returns the event, or null for "nothing to change".
 */
export async function recordEvent(
  ctx: RegisterContext,
  ref: string,
  decide: (c: CaseView, today: CivilDate) => CaseEvent | null,
): Promise<Recorded> {
  return updateRegister(ctx, async (tx) => {
    const before = mustFind(foldCases(tx.state.entries).cases, ref);
    const event = decide(before, tx.today);
    if (!event) return { before, after: before, changed: false, warnings: tx.state.warnings };
    await tx.append({ kind: "event", caseId: before.caseId, event });
    const after = mustFind(foldCases(tx.state.entries).cases, before.facts.caseCode);
    return { before, after, changed: true, warnings: tx.state.warnings };
  });
}

export async function findCaseIn(
  ctx: RegisterContext,
  ref: string,
): Promise<{ case: CaseView; state: RegisterState }> {
  const { cases, state } = await loadCases(ctx);
  return { case: mustFind(cases, ref), state };
}

/** One of the case's entries, with a clear message when its file is gone or not trustworthy. */
async function readCaseEntry(ctx: RegisterContext, c: CaseView, file: string) {
  try {
    return await readEntryFile(ctx, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new DeskError(
        `a file of case ${c.facts.caseCode} is missing (entries/${file}); restore it from a backup, see "vertrouwd desk check"`,
      );
    }
    if (err instanceof DeskError) throw err;
    throw new DeskError(
      `a file of case ${c.facts.caseCode} (entries/${file}) could not be read with your key or was not written by the desk`,
    );
  }
}

/** The readable text of the message that opened the case (decrypts one entry). */
export async function readOpening(ctx: RegisterContext, c: CaseView): Promise<string> {
  const record = await readCaseEntry(ctx, c, c.openingFile);
  if (record.kind !== "message")
    throw new DeskError("the register's index points at the wrong entry; run desk check --repair");
  const type = ctx.types.get(record.type);
  if (!type) throw new DeskError("a message kind this version does not know; update vertrouwd");
  return type.render(type.body.parse(record.body));
}

/** The case's notes, oldest first (decrypts one entry per note). */
export async function readNotes(
  ctx: RegisterContext,
  c: CaseView,
): Promise<{ date: CivilDate; text: string }[]> {
  const out: { date: CivilDate; text: string }[] = [];
  for (const item of c.timeline) {
    if (item.what.kind !== "event" || item.what.event.type !== "note") continue;
    const record = await readCaseEntry(ctx, c, item.file);
    if (record.kind === "event" && record.event.type === "note")
      out.push({ date: record.event.date, text: record.event.text });
  }
  return out;
}

/**
 * The case's mailbox thread in recorded order: the melder's answers (message entries) and the
 * counsellor's replies (reply events). Decrypts one entry per item.
 */
export async function readThread(ctx: RegisterContext, c: CaseView): Promise<ThreadItem[]> {
  const out: ThreadItem[] = [];
  for (const item of c.timeline) {
    const w = item.what;
    const isAnswer = w.kind === "message" && w.type === ANSWER_TYPE;
    const isReply = w.kind === "event" && w.event.type === "reply";
    if (!isAnswer && !isReply) continue;
    const record = await readCaseEntry(ctx, c, item.file);
    if (record.kind === "event" && record.event.type === "reply") {
      out.push({ from: "counsellor", date: record.event.date, text: record.event.text });
    } else if (record.kind === "message" && record.type === ANSWER_TYPE) {
      const body = answerMessage.body.parse(record.body);
      out.push({ from: "melder", date: body.date, text: body.text });
    }
  }
  return out;
}

/** The case's anonymous mailbox (from the handoff's followUp part or the newest notice), or null. */
export async function readMailbox(ctx: RegisterContext, c: CaseView): Promise<FollowUp | null> {
  if (!c.mailboxFile) return null;
  const record = await readCaseEntry(ctx, c, c.mailboxFile);
  if (record.kind !== "message") return null;
  if (record.type === NOTICE_TYPE) return noticeMessage.body.parse(record.body).followUp;
  if (record.type === "handoff") return handoffMessage.body.parse(record.body).followUp ?? null;
  return null;
}
