/**
 * `vertrouwd reply`: the counsellor answers an anonymous melder through their mailbox
 * (docs/follow-up.md), from the counsellor's own machine, with no new secret to manage.
 *
 * 1. The case's mailbox (id, the melder's public key, the page's address) is read from the
 *    register: the handoff's followUp part, or the newest follow-up notice.
 * 2. The answer is padded to a size bucket and encrypted to the melder's mailbox key and to the
 *    counsellor's own key, signed inside by the counsellor (the melder's browser checks that
 *    signature against the pinned key).
 * 3. That binary message becomes the literal data of a signed message (as `gpg --sign --armor`
 *    makes), which the server checks against the counsellor's (or deputy's) pinned key before
 *    it stores the inner message. It is POSTed to `<url>mailbox/replies`.
 * 4. Before the POST the whole reply is kept, sealed to the counsellor, in
 *    `<register>/outgoing/<random>.asc`; only once the server said 201 is the reply written to
 *    the register (a reply event: date, text, the server's id) and the outgoing file removed.
 *    A refused or failed POST loses nothing: `vertrouwd reply --retry` sends it again.
 *
 * A crash after the server accepted and before the register was written leaves the outgoing
 * file: `--retry` then posts the very same bytes again, which the server stores once (it keys a
 * message by its content) and answers with the same id.
 */
import { readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import * as openpgp from "openpgp";
import { z } from "zod";
import type { FollowUp } from "../handoff/document.ts";
import { readMailbox } from "./actions.ts";
import { type CivilDate, amsterdamDate } from "./calendar.ts";
import { findCase, foldCases } from "./cases.ts";
import { DeskError } from "./errors.ts";
import { ensurePrivateDir, randomName, removeTempFiles, writeFileAtomic } from "./files.ts";
import { REPLY_MAX_CHARS } from "./records.ts";
import { type RegisterContext, loadRegister, updateRegister } from "./register.ts";

export const OUTGOING_DIR = "outgoing";
const OUTGOING_RE = /^[0-9a-f]{32}\.asc$/;

/** The media type of the replies endpoint, for the signed envelope. */
export const REPLY_CONTENT_TYPE = "application/pgp-message";
/** The header naming the mailbox the reply is for. */
export const MAILBOX_HEADER = "x-vertrouwd-mailbox";
/** How long one POST may take. */
const POST_TIMEOUT_MS = 30_000;

/** A reply kept in the outgoing directory until the server has it. Sealed to the counsellor. */
const Outgoing = z
  .object({
    outgoing: z.literal(1),
    caseId: z.string().uuid(),
    caseCode: z.string(),
    mailboxId: z.string(),
    /** The full address of the replies endpoint. */
    endpoint: z.string().url(),
    date: z.string(),
    text: z.string().min(1).max(REPLY_MAX_CHARS),
    /** The armored signed envelope, exactly as it is POSTed. */
    envelope: z.string(),
  })
  .strict();
type Outgoing = z.infer<typeof Outgoing>;

/** Why the server did not take a reply (the CLI words them, src/content/desk-text.ts). */
export type SendFailure =
  | "signature"
  | "malformed"
  | "unknown-mailbox"
  | "too-large"
  | "full"
  | "server"
  | "unreachable";

export type SendOutcome =
  | { kind: "sent"; caseCode: string; serverId: string }
  | { kind: "kept"; caseCode: string; file: string; failure: SendFailure };

/** `<url>mailbox/replies`, with the page address's query and fragment dropped. */
export function repliesEndpoint(pageUrl: string): string {
  let u: URL;
  try {
    u = new URL(pageUrl);
  } catch {
    throw new DeskError("the mailbox's page address is not a valid URL; give the right one with --url", 2);
  }
  if (u.protocol !== "https:" && !(u.protocol === "http:" && isLoopback(u.hostname))) {
    throw new DeskError(
      "the mailbox's page address must use https (plain http only for localhost); give the right one with --url",
      2,
    );
  }
  u.hash = "";
  u.search = "";
  if (!u.pathname.endsWith("/")) u.pathname = `${u.pathname}/`;
  return new URL("mailbox/replies", u).toString();
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function melderKey(followUp: FollowUp): Promise<openpgp.PublicKey> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: followUp.melderPublicKey });
  } catch {
    throw new DeskError("the mailbox's key in the register is not an OpenPGP public key; nothing was sent");
  }
  if (key.isPrivate())
    throw new DeskError("the mailbox's key in the register is a private key; nothing was sent");
  try {
    await key.getEncryptionKey();
  } catch {
    throw new DeskError("the mailbox's key cannot be encrypted to (expired?); nothing was sent");
  }
  return key as openpgp.PublicKey;
}

/** Normalises the counsellor's text; throws on an empty or too long answer. */
export function replyText(raw: string): string {
  const text = raw.replace(/\r\n?/g, "\n").trim();
  if (text === "") throw new DeskError("the answer is empty; nothing was sent", 2);
  if ([...text].length > REPLY_MAX_CHARS)
    throw new DeskError(`an answer holds at most ${REPLY_MAX_CHARS} characters; nothing was sent`, 2);
  return text;
}

/**
 * Finds the case and its mailbox. Called before the counsellor types the answer, so a typo in
 * the case code or a case without a mailbox costs nothing typed.
 */
export async function mailboxFor(
  ctx: RegisterContext,
  ref: string,
  urlOverride?: string,
): Promise<{ caseId: string; caseCode: string; followUp: FollowUp; endpoint: string }> {
  const state = await loadRegister(ctx);
  const c = findCase(foldCases(state.entries).cases, ref);
  if (!c) {
    const shown = /^[A-Za-z0-9-]{1,40}$/.test(ref) ? ref : "that code";
    throw new DeskError(`there is no case ${shown} in the register (see "vertrouwd desk list --all")`);
  }
  const followUp = await readMailbox(ctx, c);
  if (!followUp) {
    throw new DeskError(
      `case ${c.facts.caseCode} has no anonymous mailbox: the melder did not open one (or its notice is not imported yet: vertrouwd desk import)`,
    );
  }
  const page = urlOverride ?? followUp.url;
  if (!page) {
    throw new DeskError(
      `the mailbox of case ${c.facts.caseCode} does not say where the web page is; give its address with --url`,
      2,
    );
  }
  return { caseId: c.caseId, caseCode: c.facts.caseCode, followUp, endpoint: repliesEndpoint(page) };
}

/** Encrypts, signs and keeps the reply in the outgoing directory; returns the file's name. */
export async function prepareReply(
  ctx: RegisterContext,
  target: { caseId: string; caseCode: string; followUp: FollowUp; endpoint: string },
  text: string,
): Promise<{ file: string; outgoing: Outgoing }> {
  const day: CivilDate = amsterdamDate(ctx.now());
  const melder = await melderKey(target.followUp);
  const inner = await ctx.key.sealTo([melder], new TextEncoder().encode(`${text}\n`), day);
  const envelope = await ctx.key.signMessage(inner);
  const outgoing: Outgoing = {
    outgoing: 1,
    caseId: target.caseId,
    caseCode: target.caseCode,
    mailboxId: target.followUp.mailboxId,
    endpoint: target.endpoint,
    date: day,
    text,
    envelope,
  };
  const dir = path.join(ctx.dir, OUTGOING_DIR);
  await ensurePrivateDir(ctx.dir);
  await ensurePrivateDir(dir);
  const file = `${randomName()}.asc`;
  await writeFileAtomic(
    path.join(dir, file),
    await ctx.key.sealEntry(JSON.stringify(Outgoing.parse(outgoing))),
  );
  return { file, outgoing };
}

/** POSTs one kept reply; on 201 records it in the register and removes the outgoing file. */
export async function sendOutgoing(
  ctx: RegisterContext,
  file: string,
  outgoing: Outgoing,
  fetchImpl: typeof fetch = fetch,
): Promise<SendOutcome> {
  const kept = (failure: SendFailure): SendOutcome => ({
    kind: "kept",
    caseCode: outgoing.caseCode,
    file: path.join(ctx.dir, OUTGOING_DIR, file),
    failure,
  });
  let response: Response;
  try {
    response = await fetchImpl(outgoing.endpoint, {
      method: "POST",
      headers: { "content-type": REPLY_CONTENT_TYPE, [MAILBOX_HEADER]: outgoing.mailboxId },
      body: outgoing.envelope,
      redirect: "error",
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
  } catch {
    return kept("unreachable");
  }
  if (response.status !== 201) {
    await response.body?.cancel().catch(() => undefined);
    const s = response.status;
    return kept(
      s === 401 || s === 403
        ? "signature"
        : s === 404 || s === 410
          ? "unknown-mailbox"
          : s === 413
            ? "too-large"
            : s === 409
              ? "full"
              : s === 400 || s === 415 || s === 422
                ? "malformed"
                : "server",
    );
  }
  let serverId = "unknown";
  try {
    const body = (await response.json()) as { id?: unknown };
    if (typeof body.id === "string" && /^[A-Za-z0-9_-]{1,100}$/.test(body.id)) serverId = body.id;
  } catch {
    // The server took it (201); an unreadable body does not undo that.
  }
  await updateRegister(ctx, async (tx) => {
    await tx.append({
      kind: "event",
      caseId: outgoing.caseId,
      event: { type: "reply", date: outgoing.date, text: outgoing.text, serverId },
    });
  });
  await rm(path.join(ctx.dir, OUTGOING_DIR, file), { force: true });
  return { kind: "sent", caseCode: outgoing.caseCode, serverId };
}

/** Every reply waiting in the outgoing directory, oldest name order (names are random). */
export async function listOutgoing(ctx: RegisterContext): Promise<{ file: string; outgoing: Outgoing }[]> {
  const dir = path.join(ctx.dir, OUTGOING_DIR);
  let names: string[];
  try {
    await removeTempFiles(dir);
    names = (await readdir(dir)).filter((n) => OUTGOING_RE.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const out: { file: string; outgoing: Outgoing }[] = [];
  for (const file of names) {
    try {
      const text = await ctx.key.openEntry(await readFile(path.join(dir, file), "utf8"));
      out.push({ file, outgoing: Outgoing.parse(JSON.parse(text)) });
    } catch {
      throw new DeskError(
        `${OUTGOING_DIR}/${file} could not be read with your key or was not written by vertrouwd reply; move it away and try again`,
      );
    }
  }
  return out;
}
