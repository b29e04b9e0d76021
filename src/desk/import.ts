/**
 * `desk import`: find messages in files, mails and directories, decrypt them with the
 * counsellor's key, recognise their kind, and add each one not yet in the register as a new
 * entry. The message id decides: the same handoff delivered twice (delivery is at least once),
 * or imported again from a second copy, is a no-op.
 *
 * Decrypting happens before the register is locked (it is the slow part); the register is then
 * locked once, re-read, and written in one go, with the index written once at the end.
 */
import type * as openpgp from "openpgp";
import type { ImportFailure } from "../content/desk-text.ts";
import { OpenError } from "../crypto/open.ts";
import { DeskError } from "./errors.ts";
import { NotADeskMessageError } from "./messages.ts";
import { type CaseFacts, canonicalJson } from "./records.ts";
import { type RegisterContext, loadRegister, registerExists, updateRegister } from "./register.ts";
import { type SkipReason, checkPaths, readSources } from "./sources.ts";

export type { ImportFailure };

interface Imported {
  origin: string;
  type: string;
  caseId: string;
  /** The opening message's facts (a handoff). */
  facts?: CaseFacts;
  /** The case code a message that joins a case carries (follow-up notice, melder's answer). */
  caseCode?: string;
  /** A message that joins a case whose handoff is not in the register yet. */
  waiting?: boolean;
}

export type ImportOutcome =
  | ({ kind: "imported" } & Imported)
  | ({ kind: "duplicate"; differs: boolean } & Imported)
  | { kind: "failed"; origin: string; reason: ImportFailure };

export interface ImportResult {
  outcomes: ImportOutcome[];
  skipped: Partial<Record<SkipReason, number>>;
}

interface Candidate {
  origin: string;
  type: string;
  caseId: string;
  messageId: string;
  signature: "valid" | "invalid" | "absent" | "unverified";
  body: unknown;
  facts?: CaseFacts;
  caseCode?: string;
}

export async function importMessages(
  ctx: RegisterContext,
  paths: readonly string[],
  options: { verificationKeys?: openpgp.PublicKey[] } = {},
): Promise<ImportResult> {
  await checkPaths(paths);
  // Fail fast on someone else's register, before decrypting a whole mailbox.
  if (await registerExists(ctx.dir)) await loadRegister(ctx);

  const result: ImportResult = { outcomes: [], skipped: {} };
  const slots: (ImportOutcome | Candidate)[] = [];
  for await (const item of readSources(paths, { exclude: [ctx.dir] })) {
    if (item.kind === "skipped") {
      result.skipped[item.reason] = (result.skipped[item.reason] ?? 0) + 1;
      continue;
    }
    slots.push(await decryptOne(ctx, item.origin, item.armored, options.verificationKeys));
  }

  const candidates = slots.filter((s): s is Candidate => !("kind" in s));
  const decided = new Map<Candidate, ImportOutcome>();
  if (candidates.length > 0) {
    await updateRegister(
      ctx,
      async (tx) => {
        const known = new Map<string, CaseFacts | undefined>();
        for (const e of tx.state.entries) {
          if (e.summary.kind === "message")
            known.set(`${e.summary.type}:${e.summary.messageId}`, e.summary.facts);
        }
        for (const c of candidates) {
          const id = `${c.type}:${c.messageId}`;
          const common = {
            origin: c.origin,
            type: c.type,
            caseId: c.caseId,
            ...(c.facts ? { facts: c.facts } : {}),
            ...(c.caseCode ? { caseCode: c.caseCode } : {}),
          };
          if (known.has(id)) {
            const before = known.get(id);
            decided.set(c, {
              kind: "duplicate",
              ...common,
              differs: canonicalJson(before) !== canonicalJson(c.facts),
            });
            continue;
          }
          await tx.append({
            kind: "message",
            type: c.type,
            caseId: c.caseId,
            messageId: c.messageId,
            signature: c.signature,
            body: c.body,
          });
          known.set(id, c.facts);
          decided.set(c, { kind: "imported", ...common });
        }
        // A notice or an answer may overtake its handoff: it is kept and joins the case later.
        const opened = new Set(
          tx.state.entries
            .filter((e) => e.summary.kind === "message" && e.summary.facts)
            .map((e) => e.caseId),
        );
        for (const [c, outcome] of decided) {
          if (!c.facts && outcome.kind !== "failed" && !opened.has(c.caseId)) outcome.waiting = true;
        }
      },
      { create: true },
    );
  }
  result.outcomes = slots.map((s) => ("kind" in s ? s : (decided.get(s) as ImportOutcome)));
  return result;
}

async function decryptOne(
  ctx: RegisterContext,
  origin: string,
  armored: string,
  verificationKeys: openpgp.PublicKey[] | undefined,
): Promise<ImportOutcome | Candidate> {
  const failed = (reason: ImportFailure): ImportOutcome => ({ kind: "failed", origin, reason });
  let data: Uint8Array;
  let signature: Candidate["signature"];
  try {
    ({ data, signature } = await ctx.key.openIncoming(armored, verificationKeys));
  } catch (err) {
    if (err instanceof OpenError) {
      if (err.reason === "wrong-key") return failed("wrong-key");
      if (err.reason === "not-a-message") return failed("not-a-message");
      if (err.reason === "corrupted") return failed("corrupted");
    }
    throw err;
  }
  if (verificationKeys?.length && signature !== "valid") return failed("bad-signature");
  let plaintext: string;
  try {
    plaintext = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    return failed("not-vertrouwd");
  }
  try {
    const { type, body } = ctx.types.dispatch(plaintext);
    const identity = type.identify(body);
    const facts = type.caseFacts?.(body);
    return {
      origin,
      type: type.name,
      caseId: identity.caseId,
      messageId: identity.messageId,
      signature,
      body,
      ...(facts ? { facts } : {}),
      ...(identity.caseCode ? { caseCode: identity.caseCode } : {}),
    };
  } catch (err) {
    if (err instanceof NotADeskMessageError) {
      return failed(
        err.reason === "no-marker"
          ? "not-vertrouwd"
          : err.reason === "unknown-kind"
            ? "unknown-kind"
            : "invalid",
      );
    }
    if (err instanceof DeskError) throw err;
    return failed("invalid");
  }
}
