/**
 * `vertrouwd desk <command>`: the counsellor's desk, on the counsellor's own machine.
 *
 * Argument parsing and printing only; the work is in src/desk. Errors are one line, without a
 * stack trace, and never quote a report or a note. Exit codes as `vertrouwd open`: 0 ok,
 * 1 the operation failed, 2 usage, input or file problems.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import * as openpgp from "openpgp";
import { topicGroup } from "../../flows/domain.ts";
import { type DeskWords, deskWords } from "../content/desk-text.ts";
import { OpenError } from "../crypto/open.ts";
import { findCaseIn, loadCases, readNotes, readOpening, readThread, recordEvent } from "../desk/actions.ts";
import {
  type CivilDate,
  amsterdamDate,
  compareDates,
  isCivilDate,
  parseDateInput,
} from "../desk/calendar.ts";
import type { CaseView } from "../desk/cases.ts";
import { foldCases, newestFirst } from "../desk/cases.ts";
import { ackDueDate, wbkApplies } from "../desk/deadlines.ts";
import { DeskError } from "../desk/errors.ts";
import { type ImportOutcome, importMessages } from "../desk/import.ts";
import { DeskKey } from "../desk/key.ts";
import { KEY_ENV, REGISTER_ENV, registerDir } from "../desk/location.ts";
import { MESSAGE_TYPES } from "../desk/message-types.ts";
import {
  CASE_STATUSES,
  CLOSING_REASONS,
  type CaseEvent,
  type CaseStatus,
  NOTE_MAX_CHARS,
} from "../desk/records.ts";
import {
  type CheckResult,
  type RegisterContext,
  checkRegister,
  registerExists,
  updateRegister,
} from "../desk/register.ts";
import { rekeyRegister } from "../desk/rekey.ts";
import { buildAnnualReport, writeAnnualReport } from "../desk/report/annual-report.ts";
import { DEFAULT_THRESHOLD } from "../desk/report/suppress.ts";
import type { SkipReason } from "../desk/sources.ts";
import { formatList, formatShow } from "../desk/views.ts";
import { InputError, type PassphraseIO, passphraseIfNeeded, readStream, readTextFile } from "./key-input.ts";

export interface DeskIO extends PassphraseIO {
  stdout: NodeJS.WritableStream;
  /** The clock; tests set it to check deadlines. */
  now?: () => Date;
}

/** The new key's passphrase for `desk rekey`, when not typed. */
export const NEW_PASSPHRASE_ENV = "VERTROUWD_NEW_KEY_PASSPHRASE";

export const DESK_USAGE = `usage: vertrouwd desk <command> [options]

Commands:
  import <file|dir|mbox>... [--verify <bot-public-key>]
                                 decrypt handoffs, mailbox notices and melders' answers (.asc,
                                 .pgp, .eml, mbox, directories) into the register
  list [--all] [--due <days>]    open cases, newest first, with the next deadline (--all: closed ones too)
  due [--days <n>]               what is due within n days (default 14), overdue included
  show <case>                    one case: its handoff, history, mailbox thread and notes
  ack <case> [--date <date>] [--undo]
                                 the acknowledgement was sent (default today)
  feedback <case> [--date <date>] [--undo]
                                 feedback on the follow-up was given (default today)
  status <case> <new|acknowledged|in_progress|closed> [--reason <reason>] [--date <date>]
                                 closing needs a reason: ${CLOSING_REASONS.join(", ")}
  note <case> [--file <file>]    add a private note, typed on standard input (never as an argument)
  follow-up <case> <date|+14d|+2w|+1m|none>
                                 your own follow-up date (any topic)
  annual-report --year <year> [--lang nl|en] [--out <dir>] [--threshold <n>]
                                 anonymised annual report: HTML and CSV
  check [--repair] [--forget-missing]
                                 verify every register file; rewrite the index from the entries
  rekey --new-key <private-key-file> --to <new-dir>
                                 copy the register, encrypted to a new key (passphrase from the
                                 terminal or ${NEW_PASSPHRASE_ENV})

Options for every command:
  --key <private-key-file>       your private key (or ${KEY_ENV}); passphrase from the terminal
                                 or VERTROUWD_KEY_PASSPHRASE
  --register <dir>               the register (or ${REGISTER_ENV}; default in your user profile)
  --lang nl|en                   language of lists and reports (default nl)

Dates are YYYY-MM-DD in the Amsterdam calendar, or "today". See docs/counsellor.md.`;

const COMMON = {
  key: { type: "string", short: "k" },
  register: { type: "string" },
  lang: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = Record<string, string | boolean | undefined>;

interface Parsed {
  values: Values;
  positionals: string[];
}

function parse(
  argv: string[],
  options: Record<string, { type: "string" | "boolean"; short?: string }>,
): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...COMMON, ...options },
    });
    return { values: values as Values, positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : "bad arguments";
    throw new DeskError(message ?? "bad arguments", 2);
  }
}

const str = (v: Values, name: string): string | undefined => {
  const x = v[name];
  return typeof x === "string" ? x : undefined;
};

function langOf(v: Values): "nl" | "en" {
  const l = str(v, "lang") ?? "nl";
  if (l !== "nl" && l !== "en") throw new DeskError("--lang must be nl or en", 2);
  return l;
}

/** The register and the unlocked key, from --key/--register or their environment variables. */
export async function deskContext(
  v: Record<string, string | boolean | undefined>,
  io: DeskIO,
  env: NodeJS.ProcessEnv,
): Promise<RegisterContext> {
  const keyFile = str(v, "key") ?? env[KEY_ENV];
  if (!keyFile) throw new DeskError(`--key <private-key-file> is required (or set ${KEY_ENV})`, 2);
  const armored = await readTextFile(keyFile, "key file");
  const passphrase = await passphraseIfNeeded(armored, io, env);
  const key = await DeskKey.unlock(armored, passphrase);
  return {
    dir: registerDir(str(v, "register"), env),
    key,
    types: MESSAGE_TYPES,
    now: io.now ?? (() => new Date()),
  };
}

function exactlyOne(p: Parsed, what: string): string {
  if (p.positionals.length !== 1) throw new DeskError(`expected ${what}`, 2);
  return p.positionals[0] as string;
}

/** `argv` is what follows `desk`. Returns the exit code. */
export async function runDesk(
  argv: string[],
  io: DeskIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  const out = (text: string) => io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  const warn = (text: string) => io.stderr.write(`vertrouwd desk: ${text}\n`);
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      out(DESK_USAGE);
      return 0;
    }
    const handler = COMMANDS[command];
    if (!handler)
      throw new DeskError(`unknown desk command "${command.slice(0, 40)}"; see "vertrouwd desk help"`, 2);
    return await handler(rest, io, env, { out, warn });
  } catch (err) {
    const { code, message } = describeDeskError(err);
    warn(message);
    return code;
  }
}

/** An error as one line and an exit code; never quotes a report, a note or an answer. */
export function describeDeskError(err: unknown): { code: number; message: string } {
  if (err instanceof DeskError) return { code: err.exitCode, message: err.message };
  if (err instanceof InputError) return { code: 2, message: err.message };
  if (err instanceof OpenError) return { code: 1, message: err.message };
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === "string" && /^E[A-Z]+$/.test(errno)) {
    return {
      code: 1,
      message: `file system error (${errno}); check the register directory's permissions and free space`,
    };
  }
  return { code: 1, message: `unexpected error (${err instanceof Error ? err.name : "unknown"})` };
}

interface Printer {
  out: (text: string) => void;
  warn: (text: string) => void;
}

type Handler = (argv: string[], io: DeskIO, env: NodeJS.ProcessEnv, p: Printer) => Promise<number>;

function printWarnings(state: { warnings: string[] }, p: Printer): void {
  for (const w of state.warnings) p.warn(w);
}

const COMMANDS: Record<string, Handler> = {
  import: async (argv, io, env, p) => {
    const a = parse(argv, { verify: { type: "string" } });
    if (a.values.help) return usage(p);
    const ctx = await deskContext(a.values, io, env);
    let verificationKeys: openpgp.PublicKey[] | undefined;
    const verify = str(a.values, "verify");
    if (verify) {
      const text = await readTextFile(verify, "verification key file");
      try {
        verificationKeys = [await openpgp.readKey({ armoredKey: text })];
      } catch {
        throw new DeskError(
          `verification key file "${verify}" does not hold an armored OpenPGP public key`,
          2,
        );
      }
    }
    const w = deskWords(langOf(a.values));
    const result = await importMessages(ctx, a.positionals, verificationKeys ? { verificationKeys } : {});
    for (const o of result.outcomes) p.out(importLine(o, w));
    p.out(importSummary(result.outcomes, result.skipped, w));
    p.out(w.importing.register(ctx.dir));
    return result.outcomes.some((o) => o.kind === "failed") ? 1 : 0;
  },

  list: async (argv, io, env, p) => {
    const a = parse(argv, { all: { type: "boolean" }, due: { type: "string" } });
    if (a.values.help) return usage(p);
    if (a.positionals.length > 0) throw new DeskError("list takes no case; use desk show <case>", 2);
    const due = str(a.values, "due");
    return list(a.values, io, env, p, {
      all: a.values.all === true,
      ...(due !== undefined ? { dueWithin: days(due) } : {}),
    });
  },

  due: async (argv, io, env, p) => {
    const a = parse(argv, { days: { type: "string" } });
    if (a.values.help) return usage(p);
    return list(a.values, io, env, p, { dueWithin: days(str(a.values, "days") ?? "14") });
  },

  show: async (argv, io, env, p) => {
    const a = parse(argv, {});
    if (a.values.help) return usage(p);
    const ref = exactlyOne(a, "one case code, e.g. desk show VT-AB12-CD34");
    const w = deskWords(langOf(a.values));
    const ctx = await deskContext(a.values, io, env);
    const { case: c, state } = await findCaseIn(ctx, ref);
    printWarnings(state, p);
    const opening = await readOpening(ctx, c);
    const notes = await readNotes(ctx, c);
    const thread = await readThread(ctx, c);
    p.out(formatShow(c, opening, notes, amsterdamDate(ctx.now()), w, thread));
    return 0;
  },

  ack: (argv, io, env, p) => dateEvent("ack", argv, io, env, p),
  feedback: (argv, io, env, p) => dateEvent("feedback", argv, io, env, p),

  status: async (argv, io, env, p) => {
    const a = parse(argv, { reason: { type: "string" }, date: { type: "string" } });
    if (a.values.help) return usage(p);
    if (a.positionals.length !== 2)
      throw new DeskError("expected a case and a status, e.g. desk status VT-AB12-CD34 in_progress", 2);
    const [ref, statusText] = a.positionals as [string, string];
    const status = statusText.toLowerCase().replace(/-/g, "_") as CaseStatus;
    if (!(CASE_STATUSES as readonly string[]).includes(status)) {
      throw new DeskError(`status must be one of: ${CASE_STATUSES.join(", ")}`, 2);
    }
    const reasonText = str(a.values, "reason");
    const reason = reasonText?.toLowerCase().replace(/-/g, "_");
    if (status === "closed" && !reason)
      throw new DeskError(`closing needs --reason, one of: ${CLOSING_REASONS.join(", ")}`, 2);
    if (status !== "closed" && reason) throw new DeskError("--reason is only for closing a case", 2);
    if (reason && !(CLOSING_REASONS as readonly string[]).includes(reason)) {
      throw new DeskError(`--reason must be one of: ${CLOSING_REASONS.join(", ")}`, 2);
    }
    const dateText = str(a.values, "date");
    const ctx = await deskContext(a.values, io, env);
    const w = deskWords(langOf(a.values));
    const r = await recordEvent(ctx, ref, (c, today) => {
      const date = dateText ? pastDate(dateText, today, c) : today;
      if (status === "acknowledged" && !c.ackDate) return { type: "ack", date };
      if (c.status === status && (status !== "closed" || c.closingReason === reason)) return null;
      return {
        type: "status",
        status,
        date,
        ...(status === "closed" ? { reason: reason as (typeof CLOSING_REASONS)[number] } : {}),
      } as CaseEvent;
    });
    printWarnings({ warnings: r.warnings }, p);
    const code = r.after.facts.caseCode;
    const label = `${w.statuses[r.after.status]}${r.after.closingReason ? ` (${w.closingReasons[r.after.closingReason]})` : ""}`;
    p.out(
      r.changed ? `${w.done.status(code, label)}${nextText(r.after, w)}` : w.done.sameStatus(code, label),
    );
    return 0;
  },

  note: async (argv, io, env, p) => {
    const a = parse(argv, { file: { type: "string" } });
    if (a.values.help) return usage(p);
    const ref = exactlyOne(
      a,
      "one case code; the note itself comes from standard input or --file, never from an argument",
    );
    const ctx = await deskContext(a.values, io, env);
    // Find the case before asking for the note, so nothing typed is lost to a typo in the code.
    await findCaseIn(ctx, ref);
    const file = str(a.values, "file");
    let text: string;
    if (file) {
      text = await readTextFile(file, "note file");
    } else {
      if (io.isTTY)
        io.stderr.write("Type the note. End with Ctrl-D on a new line (Windows: Ctrl-Z, then Enter).\n");
      text = await readStream(io.stdin);
    }
    text = text.replace(/\r\n?/g, "\n").trim();
    if (text === "") throw new DeskError("the note is empty; nothing was saved", 2);
    if ([...text].length > NOTE_MAX_CHARS)
      throw new DeskError(`a note holds at most ${NOTE_MAX_CHARS} characters; nothing was saved`, 2);
    const r = await recordEvent(ctx, ref, (_c, today) => ({ type: "note", date: today, text }));
    printWarnings({ warnings: r.warnings }, p);
    p.out(deskWords(langOf(a.values)).done.note(r.after.facts.caseCode, r.after.notes));
    return 0;
  },

  "follow-up": async (argv, io, env, p) => {
    const a = parse(argv, {});
    if (a.values.help) return usage(p);
    if (a.positionals.length !== 2)
      throw new DeskError("expected a case and a date, e.g. desk follow-up VT-AB12-CD34 +14d", 2);
    const [ref, when] = a.positionals as [string, string];
    const ctx = await deskContext(a.values, io, env);
    const w = deskWords(langOf(a.values));
    const r = await recordEvent(ctx, ref, (c, today) => {
      const clear = /^(none|geen|-)$/i.test(when.trim());
      const date = clear ? null : parseDateInput(when, today);
      if (!clear && !date)
        throw new DeskError("the follow-up date must be YYYY-MM-DD, today, +Nd, +Nw, +Nm or none", 2);
      if ((c.followUp ?? null) === date) return null;
      return { type: "follow_up", date };
    });
    printWarnings({ warnings: r.warnings }, p);
    p.out(`${w.done.followUp(r.after.facts.caseCode, r.after.followUp ?? null)}${nextText(r.after, w)}`);
    return 0;
  },

  "annual-report": async (argv, io, env, p) => {
    const a = parse(argv, {
      year: { type: "string" },
      out: { type: "string" },
      threshold: { type: "string" },
    });
    if (a.values.help) return usage(p);
    const yearText = str(a.values, "year");
    if (!yearText || !/^\d{4}$/.test(yearText)) throw new DeskError("--year <YYYY> is required", 2);
    const thresholdText = str(a.values, "threshold") ?? String(DEFAULT_THRESHOLD);
    if (!/^\d{1,4}$/.test(thresholdText))
      throw new DeskError("--threshold must be a whole number (at least 3)", 2);
    const locale = langOf(a.values);
    const ctx = await deskContext(a.values, io, env);
    const { cases, state } = await loadCases(ctx);
    printWarnings(state, p);
    const report = buildAnnualReport(cases, {
      year: Number(yearText),
      locale,
      threshold: Number(thresholdText),
      today: amsterdamDate(ctx.now()),
    });
    const files = await writeAnnualReport(report, str(a.values, "out") ?? ".");
    const w = deskWords(locale);
    p.out(w.done.wrote(files.html));
    p.out(w.done.wrote(files.csv));
    return 0;
  },

  check: async (argv, io, env, p) => {
    const a = parse(argv, { repair: { type: "boolean" }, "forget-missing": { type: "boolean" } });
    if (a.values.help) return usage(p);
    const ctx = await deskContext(a.values, io, env);
    if (!(await registerExists(ctx.dir))) throw new DeskError(`there is no register at ${ctx.dir} yet`);
    const result = await checkRegister(ctx);
    p.out(`register: ${ctx.dir}`);
    p.out(`key: ${ctx.key.fingerprint}`);
    describeCheck(result, p);
    const forget = a.values["forget-missing"] === true;
    if (a.values.repair || forget) {
      await updateRegister(ctx, async () => undefined, { rewriteIndex: true, forgetMissing: forget });
      p.out(forget ? "index rewritten; the missing files are forgotten" : "index rewritten from the entries");
      return result.unreadable.length > 0 || (!forget && result.missing.length > 0) ? 1 : 0;
    }
    return result.missing.length > 0 || result.unreadable.length > 0 || result.indexDiffers ? 1 : 0;
  },

  rekey: async (argv, io, env, p) => {
    const a = parse(argv, { "new-key": { type: "string" }, to: { type: "string" } });
    if (a.values.help) return usage(p);
    const newKeyFile = str(a.values, "new-key");
    const to = str(a.values, "to");
    if (!newKeyFile || !to)
      throw new DeskError("rekey needs --new-key <private-key-file> and --to <new-dir>", 2);
    const from = await deskContext(a.values, io, env);
    const armored = await readTextFile(newKeyFile, "new key file");
    const passphrase = await passphraseIfNeeded(armored, io, env, {
      envName: NEW_PASSPHRASE_ENV,
      question: "Passphrase for the NEW private key: ",
    });
    const target: RegisterContext = {
      ...from,
      dir: path.resolve(to),
      key: await DeskKey.unlock(armored, passphrase),
    };
    const { copied } = await rekeyRegister(from, target);
    p.out(`copied ${copied} entries to ${target.dir}, encrypted to ${target.key.fingerprint}`);
    p.out(`next: vertrouwd desk check --key ${newKeyFile} --register ${target.dir}`);
    return 0;
  },
};

function usage(p: Printer): number {
  p.out(DESK_USAGE);
  return 0;
}

function days(text: string): number {
  if (!/^\d{1,4}$/.test(text)) throw new DeskError("the number of days must be a whole number", 2);
  return Number(text);
}

async function list(
  v: Values,
  io: DeskIO,
  env: NodeJS.ProcessEnv,
  p: Printer,
  options: { all?: boolean; dueWithin?: number },
): Promise<number> {
  const w = deskWords(langOf(v));
  const ctx = await deskContext(v, io, env);
  const { cases, state, waiting } = await loadCases(ctx);
  printWarnings(state, p);
  if (waiting > 0) p.warn(`${waiting} message(s) wait for a handoff that is not in the register yet`);
  p.out(formatList(newestFirst(cases), amsterdamDate(ctx.now()), w, options));
  return 0;
}

/** A date the counsellor says something happened: not in the future, not before the case arrived. */
function pastDate(text: string, today: CivilDate, c: CaseView): CivilDate {
  const date = text.toLowerCase() === "today" || text.toLowerCase() === "vandaag" ? today : text;
  if (!isCivilDate(date)) throw new DeskError("--date must be a date like 2026-03-04, or today", 2);
  if (compareDates(date, today) > 0) throw new DeskError(`--date ${date} is in the future`, 2);
  if (compareDates(date, c.facts.received) < 0) {
    throw new DeskError(`--date ${date} is before the case was received (${c.facts.received})`, 2);
  }
  return date;
}

async function dateEvent(
  type: "ack" | "feedback",
  argv: string[],
  io: DeskIO,
  env: NodeJS.ProcessEnv,
  p: Printer,
): Promise<number> {
  const a = parse(argv, { date: { type: "string" }, undo: { type: "boolean" } });
  if (a.values.help) return usage(p);
  const ref = exactlyOne(a, `one case code, e.g. desk ${type} VT-AB12-CD34`);
  const dateText = str(a.values, "date");
  if (a.values.undo && dateText) throw new DeskError("--undo and --date do not go together", 2);
  const ctx = await deskContext(a.values, io, env);
  const w = deskWords(langOf(a.values));
  const r = await recordEvent(ctx, ref, (c, today) => {
    const current = type === "ack" ? c.ackDate : c.feedbackDate;
    if (a.values.undo) return current ? { type, date: null } : null;
    const date = dateText ? pastDate(dateText, today, c) : today;
    if (type === "feedback" && c.ackDate && compareDates(date, c.ackDate) < 0) {
      throw new DeskError(`the feedback date ${date} is before the acknowledgement (${c.ackDate})`, 2);
    }
    return current === date ? null : { type, date };
  });
  printWarnings({ warnings: r.warnings }, p);
  const what = w.deadlines[type];
  const code = r.after.facts.caseCode;
  const now = type === "ack" ? r.after.ackDate : r.after.feedbackDate;
  const before = type === "ack" ? r.before.ackDate : r.before.feedbackDate;
  const next = nextText(r.after, w);
  if (!r.changed) p.out(now ? w.done.already(code, what, now) : w.done.nothingToWithdraw(code, what));
  else if (!now) p.out(`${w.done.withdrawn(code, what)}${next}`);
  else if (before) p.out(`${w.done.changed(code, what, before, now)}${next}`);
  else p.out(`${w.done.recorded(code, what, now)}${next}`);
  return 0;
}

function nextText(c: CaseView, w: DeskWords): string {
  return c.next ? w.done.next(w.deadlines[c.next.kind], c.next.due) : "";
}

function importLine(o: ImportOutcome, w: DeskWords): string {
  const t = w.importing;
  if (o.kind === "failed") return t.failed(o.origin, t.failures[o.reason]);
  const what = o.facts
    ? t.received(o.facts.caseCode, o.facts.received)
    : t.otherMessage(o.type, o.caseCode ?? `${o.caseId.slice(0, 8)}…`);
  if (o.kind === "duplicate") return t.present(what, o.origin, o.differs);
  if (o.waiting) return `${t.imported(what, o.origin)}${t.waiting}`;
  const due = o.facts && wbkApplies(topicGroup(o.facts.topic)) ? t.ackDue(ackDueDate(o.facts.received)) : "";
  return `${t.imported(what, o.origin)}${due}`;
}

function importSummary(
  outcomes: ImportOutcome[],
  skipped: Partial<Record<SkipReason, number>>,
  w: DeskWords,
): string {
  const n = (k: ImportOutcome["kind"]) => outcomes.filter((o) => o.kind === k).length;
  const skips = (Object.entries(skipped) as [SkipReason, number][]).map(([r, c]) =>
    w.importing.skipped[r](c),
  );
  return `${w.importing.summary(n("imported"), n("duplicate"), n("failed"))}${skips.length > 0 ? w.importing.skippedList(skips) : ""}`;
}

function describeCheck(r: CheckResult, p: Printer): void {
  const { cases } = foldCases(r.state.entries);
  p.out(`cases: ${cases.length}`);
  p.out(`entries: ${r.files} file(s), ${r.verified} decrypted, signed by your key and valid`);
  if (r.state.rebuilt) p.out("index: missing or unusable; --repair writes a new one from the entries");
  else if (r.indexDiffers) p.out("index: out of date; --repair rewrites it from the entries");
  else p.out("index: up to date");
  if (r.missing.length > 0) {
    p.out(
      `missing: ${r.missing.length} file(s) the index lists are not on disk; restore them from a backup into entries/`,
    );
    p.out("  (or, if they are lost for good, --forget-missing)");
    for (const f of r.missing) p.out(`  entries/${f}`);
  }
  if (r.unreadable.length > 0) {
    p.out(
      `unreadable: ${r.unreadable.length} file(s) not readable with your key or not written by the desk:`,
    );
    for (const f of r.unreadable) p.out(`  entries/${f}`);
  }
  if (r.missing.length === 0 && r.unreadable.length === 0 && !r.indexDiffers) p.out("all good");
}
