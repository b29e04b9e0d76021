/**
 * `vertrouwd reply`: answer an anonymous melder through their mailbox (src/desk/reply.ts does
 * the work; docs/counsellor.md and docs/follow-up.md explain it).
 *
 *   vertrouwd reply --case <code> --key <private-key-file> [--file msg.txt] [--register <dir>]
 *                   [--url <page-url>] [--lang nl|en]
 *   vertrouwd reply --retry --key <private-key-file> [--register <dir>] [--lang nl|en]
 *
 * The answer comes from --file or standard input, never from an argument (it would sit in the
 * shell's history). Exit codes as `vertrouwd desk`: 0 sent, 1 not sent (kept for --retry) or
 * failed, 2 usage, input or file problems.
 */
import { parseArgs } from "node:util";
import { type DeskWords, deskWords } from "../content/desk-text.ts";
import { DeskError } from "../desk/errors.ts";
import {
  type SendOutcome,
  listOutgoing,
  mailboxFor,
  prepareReply,
  replyText,
  sendOutgoing,
} from "../desk/reply.ts";
import { type DeskIO, describeDeskError, deskContext } from "./desk.ts";
import { readStream, readTextFile } from "./key-input.ts";

export const REPLY_USAGE = `usage: vertrouwd reply --case <code> --key <private-key-file> [--file <msg.txt>]
                      [--register <dir>] [--url <page-url>] [--lang nl|en]
       vertrouwd reply --retry --key <private-key-file> [--register <dir>]

Answers the anonymous melder of a case through their mailbox: encrypted to the melder and to
you, signed with your key, sent to the web page's server, and kept encrypted in your register.
The answer comes from --file or is typed on standard input (end with Ctrl-D).

  --case <code>      the case (its handoff or mailbox notice must be imported: desk import)
  --file <file>      the answer as a text file (otherwise standard input)
  --url <page-url>   the web page's address, when the case does not carry it
  --retry            send again the answers that could not be sent before
  --key, --register, --lang   as for "vertrouwd desk"

See docs/counsellor.md ("Antwoorden via de anonieme brievenbus").`;

export interface ReplyIO extends DeskIO {
  /** The HTTP client; tests may pass their own. */
  fetch?: typeof fetch;
}

export async function runReply(
  argv: string[],
  io: ReplyIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const out = (text: string) => io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  const warn = (text: string) => io.stderr.write(`vertrouwd reply: ${text}\n`);
  try {
    let values: Record<string, string | boolean | undefined>;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          case: { type: "string", short: "c" },
          file: { type: "string", short: "f" },
          url: { type: "string" },
          retry: { type: "boolean" },
          key: { type: "string", short: "k" },
          register: { type: "string" },
          lang: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }));
    } catch (err) {
      throw new DeskError(
        (err instanceof Error ? err.message.split("\n")[0] : undefined) ?? "bad arguments",
        2,
      );
    }
    if (values.help) {
      out(REPLY_USAGE);
      return 0;
    }
    if (positionals.length > 0) {
      throw new DeskError(
        "reply takes no arguments besides its options; the answer comes from --file or standard input",
        2,
      );
    }
    const lang = typeof values.lang === "string" ? values.lang : "nl";
    if (lang !== "nl" && lang !== "en") throw new DeskError("--lang must be nl or en", 2);
    const w = deskWords(lang);
    const ref = typeof values.case === "string" ? values.case : undefined;
    const file = typeof values.file === "string" ? values.file : undefined;
    const url = typeof values.url === "string" ? values.url : undefined;
    const fetchImpl = io.fetch ?? fetch;

    if (values.retry) {
      if (ref || file || url)
        throw new DeskError("--retry sends what is waiting; it takes no --case, --file or --url", 2);
      const ctx = await deskContext(values, io, env);
      const waiting = await listOutgoing(ctx);
      if (waiting.length === 0) {
        out(w.reply.nothingToRetry);
        return 0;
      }
      let sent = 0;
      for (const item of waiting) {
        const outcome = await sendOutgoing(ctx, item.file, item.outgoing, fetchImpl);
        report(outcome, w, out, warn);
        if (outcome.kind === "sent") sent++;
      }
      out(w.reply.retried(sent, waiting.length - sent));
      if (sent < waiting.length) out(w.reply.retryHint);
      return sent === waiting.length ? 0 : 1;
    }

    if (!ref) throw new DeskError("--case <code> is required (or --retry)", 2);
    const ctx = await deskContext(values, io, env);
    // The case and its mailbox first: a typo costs nothing typed.
    const target = await mailboxFor(ctx, ref, url);
    let raw: string;
    if (file) raw = await readTextFile(file, "answer file");
    else {
      if (io.isTTY) io.stderr.write(`${w.reply.prompt}\n`);
      raw = await readStream(io.stdin);
    }
    const text = replyText(raw);
    const { file: kept, outgoing } = await prepareReply(ctx, target, text);
    const outcome = await sendOutgoing(ctx, kept, outgoing, fetchImpl);
    report(outcome, w, out, warn);
    if (outcome.kind === "kept") {
      out(w.reply.retryHint);
      return 1;
    }
    return 0;
  } catch (err) {
    const { code, message } = describeDeskError(err);
    warn(message);
    return code;
  }
}

function report(o: SendOutcome, w: DeskWords, out: (t: string) => void, warn: (t: string) => void): void {
  if (o.kind === "sent") {
    out(w.reply.sent(o.caseCode));
    return;
  }
  warn(o.failure === "unreachable" ? w.reply.unreachable : w.reply.refused[o.failure]);
  out(w.reply.kept(o.caseCode, o.file));
}
