/**
 * The register: a directory on the counsellor's own machine in which every file is an OpenPGP
 * message sealed to, and signed by, the counsellor's key.
 *
 *   <register>/index.asc                 the index: a summary of every entry, no free text
 *   <register>/entries/<32 hex>.asc      one immutable entry per received message or event
 *   <register>/.lock                     only while a command writes
 *
 * Entry names are random, so a directory listing shows how many files there are and nothing
 * else: no case code, no date, no kind. Entries are never rewritten: a status change, an
 * acknowledgement or a note is a new entry, and the case's state is folded from all of them
 * (cases.ts). The index exists so that `list`, `due` and the annual report decrypt one file, not
 * hundreds; it is derived and can always be rebuilt from the entries. On every load the entries
 * on disk are compared with the index: entries the index does not know (a crash between writing
 * an entry and the index, or two copies of the register merged) are read and folded in; entries
 * the index knows but the disk lacks are reported, so a lost file is noticed and can be restored
 * from a backup.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { OpenError } from "../crypto/open.ts";
import { type CivilDate, amsterdamDate } from "./calendar.ts";
import { DeskError } from "./errors.ts";
import { ensurePrivateDir, randomName, removeTempFiles, withLock, writeFileAtomic } from "./files.ts";
import { type DeskKey, UntrustedEntryError } from "./key.ts";
import type { MessageRegistry } from "./messages.ts";
import {
  ENTRY_FILE_RE,
  EntryRecord,
  type EventRecord,
  type IndexEntry,
  type MessageRecord,
  RegisterIndex,
  canonicalJson,
  summarizeEvent,
} from "./records.ts";

export const INDEX_FILE = "index.asc";
export const ENTRIES_DIR = "entries";

export interface RegisterState {
  dir: string;
  entries: IndexEntry[];
  /** One line each, for the counsellor (stderr); never any case content. */
  warnings: string[];
  /** Entries found on disk that the index did not know; they were read and folded in. */
  unindexed: number;
  /** Entries the index knows that are not on disk. */
  missing: string[];
  /** Entry files that could not be read with this key or were not signed by it. */
  unreadable: string[];
  /** The index was absent or unusable and was rebuilt from the entries. */
  rebuilt: boolean;
}

export interface RegisterContext {
  dir: string;
  key: DeskKey;
  types: MessageRegistry;
  now: () => Date;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function registerExists(dir: string): Promise<boolean> {
  return (await exists(path.join(dir, INDEX_FILE))) || (await exists(path.join(dir, ENTRIES_DIR)));
}

const noRegister = (dir: string) =>
  new DeskError(`there is no register at ${dir} yet; start one with "vertrouwd desk import <files>"`);

const otherKey = (dir: string, key: DeskKey) =>
  new DeskError(
    `the register at ${dir} is encrypted to another key than ${key.shortFingerprint}; use the key it was started with, or another --register`,
  );

/** Reads the register without locking: entries are immutable and the index is replaced atomically. */
export async function loadRegister(
  ctx: RegisterContext,
  options: { mustExist?: boolean } = {},
): Promise<RegisterState> {
  const state: RegisterState = {
    dir: ctx.dir,
    entries: [],
    warnings: [],
    unindexed: 0,
    missing: [],
    unreadable: [],
    rebuilt: false,
  };
  if (!(await registerExists(ctx.dir))) {
    if (options.mustExist ?? true) throw noRegister(ctx.dir);
    return state;
  }

  const onDisk = await listEntryFiles(ctx.dir);
  const indexFile = path.join(ctx.dir, INDEX_FILE);
  let index: RegisterIndex | null = null;
  let indexWrongKey = false;
  if (await exists(indexFile)) {
    try {
      const text = await ctx.key.openEntry(await readFile(indexFile, "utf8"));
      index = RegisterIndex.parse(JSON.parse(text));
    } catch (err) {
      if (err instanceof OpenError && err.reason === "wrong-key") indexWrongKey = true;
      else
        state.warnings.push(
          err instanceof UntrustedEntryError
            ? "the index was not signed by your key; it was ignored and rebuilt from the entries"
            : "the index could not be read; it was rebuilt from the entries",
        );
    }
  }
  if (!index) state.rebuilt = true;

  const known = new Set<string>();
  for (const e of index?.entries ?? []) {
    known.add(e.file);
    if (onDisk.has(e.file)) state.entries.push(e);
    else state.missing.push(e.file);
  }
  // Keep what the index says about a missing entry: the case should not vanish from the list
  // because one file is gone, and `desk check` says which file to restore.
  for (const file of state.missing) {
    const e = index?.entries.find((x) => x.file === file);
    if (e) state.entries.push(e);
  }

  let wrongKey = 0;
  for (const file of [...onDisk].sort()) {
    if (known.has(file)) continue;
    try {
      const record = await readEntryFile(ctx, file);
      state.entries.push(indexEntryFor(file, record, ctx.types));
      state.unindexed++;
    } catch (err) {
      if (err instanceof OpenError && err.reason === "wrong-key") wrongKey++;
      state.unreadable.push(file);
    }
  }
  // Nothing this key can read: someone else's register (or the wrong --register).
  if (!index && state.unindexed === 0 && (indexWrongKey || (wrongKey > 0 && wrongKey === onDisk.size))) {
    throw otherKey(ctx.dir, ctx.key);
  }
  if (indexWrongKey)
    state.warnings.push("the index is encrypted to another key; it was rebuilt from the entries");

  if (state.missing.length > 0) {
    state.warnings.push(
      `${state.missing.length} register file(s) listed in the index are missing; restore ${ENTRIES_DIR}/ from a backup (see "vertrouwd desk check")`,
    );
  }
  if (state.unreadable.length > 0) {
    state.warnings.push(
      `${state.unreadable.length} file(s) in ${ENTRIES_DIR}/ could not be read with your key or were not written by the desk; they were ignored (see "vertrouwd desk check")`,
    );
  }
  return state;
}

async function listEntryFiles(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(path.join(dir, ENTRIES_DIR))).filter((n) => ENTRY_FILE_RE.test(n)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return new Set();
    throw err;
  }
}

/** Reads and validates one entry; the counsellor's signature is required (key.ts). */
export async function readEntryFile(ctx: RegisterContext, file: string): Promise<EntryRecord> {
  if (!ENTRY_FILE_RE.test(file)) throw new DeskError("not a register entry name");
  const text = await ctx.key.openEntry(await readFile(path.join(ctx.dir, ENTRIES_DIR, file), "utf8"));
  const record = EntryRecord.parse(JSON.parse(text));
  if (record.kind === "message") {
    const type = ctx.types.get(record.type);
    if (!type)
      throw new DeskError(`entry ${file} holds a message kind this version does not know; update vertrouwd`);
    type.body.parse(record.body);
  }
  return record;
}

/** The index's summary of an entry: the facts and events, without report text or note text. */
export function indexEntryFor(file: string, record: EntryRecord, types: MessageRegistry): IndexEntry {
  const base = { file, caseId: record.caseId, recordedAt: record.recordedAt, seq: record.seq };
  if (record.kind === "event")
    return { ...base, summary: { kind: "event", event: summarizeEvent(record.event) } };
  const type = types.get(record.type);
  if (!type)
    throw new DeskError(`a message kind this version does not know (${record.type}); update vertrouwd`);
  const body = type.body.parse(record.body);
  const facts = type.caseFacts?.(body);
  return {
    ...base,
    summary: {
      kind: "message",
      type: record.type,
      messageId: record.messageId,
      signature: record.signature,
      date: type.identify(body).date,
      ...(facts ? { facts } : {}),
    },
  };
}

export type NewMessage = Omit<MessageRecord, "register" | "recordedAt" | "seq">;
export type NewEvent = Omit<EventRecord, "register" | "recordedAt" | "seq">;

export interface Transaction {
  readonly state: RegisterState;
  /** Today in Amsterdam, as this command sees it. */
  readonly today: CivilDate;
  /** Writes one new entry (atomically) and adds it to the state; the index follows at the end. */
  append(record: NewMessage | NewEvent): Promise<IndexEntry>;
  /** Writes an entry read from another register as it is (its time and order kept): `desk rekey`. */
  copy(record: EntryRecord): Promise<IndexEntry>;
}

/**
 * Runs `work` under the register's lock on a freshly loaded state, then writes the index once if
 * anything changed (or the index was stale). `create` starts a new register when none exists.
 */
export async function updateRegister<T>(
  ctx: RegisterContext,
  work: (tx: Transaction) => Promise<T>,
  options: { create?: boolean; rewriteIndex?: boolean; forgetMissing?: boolean } = {},
): Promise<T> {
  if (!(await registerExists(ctx.dir))) {
    if (!options.create) throw noRegister(ctx.dir);
  }
  if (ctx.key.writeProblem) throw new DeskError(ctx.key.writeProblem);
  await ensurePrivateDir(ctx.dir);
  await ensurePrivateDir(path.join(ctx.dir, ENTRIES_DIR));
  return withLock(ctx.dir, async () => {
    await removeTempFiles(ctx.dir);
    await removeTempFiles(path.join(ctx.dir, ENTRIES_DIR));
    const state = await loadRegister(ctx, { mustExist: false });
    const today = amsterdamDate(ctx.now());
    let seq = state.entries.reduce((max, e) => Math.max(max, e.seq + 1), 0);
    let appended = 0;
    const write = async (record: EntryRecord): Promise<IndexEntry> => {
      const file = `${randomName()}.asc`;
      const entry = indexEntryFor(file, record, ctx.types);
      await writeFileAtomic(
        path.join(ctx.dir, ENTRIES_DIR, file),
        await ctx.key.sealEntry(JSON.stringify(record)),
      );
      state.entries.push(entry);
      appended++;
      return entry;
    };
    const tx: Transaction = {
      state,
      today,
      append: (partial) =>
        write(
          EntryRecord.parse({ ...partial, register: 1, recordedAt: ctx.now().toISOString(), seq: seq++ }),
        ),
      copy: (record) => {
        seq = Math.max(seq, record.seq + 1);
        return write(EntryRecord.parse(record));
      },
    };
    const result = await work(tx);
    // A missing entry stays in the index (so its case stays visible) until it is restored or
    // the counsellor runs `desk check --forget-missing`.
    if (options.forgetMissing && state.missing.length > 0) {
      const gone = new Set(state.missing);
      state.entries = state.entries.filter((e) => !gone.has(e.file));
    }
    const stale = state.rebuilt || state.unindexed > 0 || (options.forgetMissing && state.missing.length > 0);
    if (appended > 0 || stale || options.rewriteIndex) await writeIndex(ctx, state.entries);
    return result;
  });
}

async function writeIndex(ctx: RegisterContext, entries: IndexEntry[]): Promise<void> {
  const index: RegisterIndex = { registerIndex: 1, entries };
  RegisterIndex.parse(index);
  await writeFileAtomic(path.join(ctx.dir, INDEX_FILE), await ctx.key.sealEntry(JSON.stringify(index)));
}

export interface CheckResult {
  state: RegisterState;
  /** Entry files on disk. */
  files: number;
  /** Entry files that decrypted, carried your signature and validated. */
  verified: number;
  unreadable: string[];
  missing: string[];
  /** The index says something different from the entries about at least one of them. */
  indexDiffers: boolean;
}

/** Reads and verifies every entry (not only those the index does not know) and compares the index. */
export async function checkRegister(ctx: RegisterContext): Promise<CheckResult> {
  const state = await loadRegister(ctx);
  const onDisk = [...(await listEntryFiles(ctx.dir))].sort();
  const byFile = new Map(state.entries.map((e) => [e.file, e]));
  const result: CheckResult = {
    state,
    files: onDisk.length,
    verified: 0,
    unreadable: [],
    missing: state.missing,
    indexDiffers: state.rebuilt || state.unindexed > 0,
  };
  for (const file of onDisk) {
    try {
      const entry = indexEntryFor(file, await readEntryFile(ctx, file), ctx.types);
      result.verified++;
      if (canonicalJson(entry) !== canonicalJson(byFile.get(file))) result.indexDiffers = true;
    } catch {
      result.unreadable.push(file);
    }
  }
  return result;
}
