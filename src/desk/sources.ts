/**
 * Where handoffs come from: `.asc` files (the outbox, a Slack download), binary `.pgp`/`.gpg`
 * files, single mails (`.eml`, as the smtp transport sends them: PGP/MIME, RFC 3156), mbox files
 * (Thunderbird's folders, a mail export) and directories of any of these (a Maildir too).
 *
 * Files are recognised by their content, not their name: Thunderbird's mbox files have no
 * extension, and a directory may hold unrelated files, which are skipped. mbox files are read
 * line by line, so an exported inbox of any size never sits in memory at once; each mail is
 * handed to mailparser only when it may carry an OpenPGP message.
 */
import { createReadStream } from "node:fs";
import { lstat, open, readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { simpleParser } from "mailparser";
import * as openpgp from "openpgp";
import { DeskError } from "./errors.ts";

/** Far above any handoff (the largest bucket is 256 KiB); anything larger is not one of ours. */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;
const MAX_MAIL_DEPTH = 3;

export interface FoundMessage {
  kind: "message";
  /** Where it came from, for the counsellor: a path, plus "mail N" or "block N" inside a file. */
  origin: string;
  armored: string;
}

export type SkipReason = "not-a-message" | "too-large" | "unreadable" | "no-openpgp-in-mail";

export interface SkippedSource {
  kind: "skipped";
  origin: string;
  reason: SkipReason;
}

export type SourceItem = FoundMessage | SkippedSource;

export type SourceFormat = "armored" | "binary" | "mbox" | "mail" | "unknown";

const ARMOR_RE = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/g;
const HEADER_LINE_RE = /^[\x21-\x39\x3b-\x7e]+:[ \t]?/;
/** Raw mail text that may carry an OpenPGP message: inline, as PGP/MIME, or as an attachment. */
const MAY_CARRY_PGP_RE =
  /BEGIN PGP MESSAGE|application\/pgp-encrypted|application\/octet-stream|\.(asc|pgp|gpg)\b|message\/rfc822/i;

/**
 * The first bytes of a binary OpenPGP message: a public-key or symmetric-key encrypted session
 * key packet, in the old or the new packet format.
 */
export function isBinaryOpenPgp(bytes: Uint8Array): boolean {
  const b = bytes[0];
  if (b === undefined) return false;
  if ((b & 0xc0) === 0xc0) return (b & 0x3f) === 1 || (b & 0x3f) === 3;
  if ((b & 0xc0) === 0x80) return ((b >> 2) & 0x0f) === 1 || ((b >> 2) & 0x0f) === 3;
  return false;
}

export function sniff(head: Buffer): SourceFormat {
  let text = head.toString("latin1");
  if (text.startsWith("\u00ef\u00bb\u00bf")) text = text.slice(3); // UTF-8 BOM
  if (/^\s*-----BEGIN PGP MESSAGE-----/.test(text)) return "armored";
  if (text.startsWith("From ")) return "mbox";
  if (isBinaryOpenPgp(head)) return "binary";
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (
    HEADER_LINE_RE.test(firstLine) &&
    /^(from|to|subject|date|message-id|received|mime-version|content-type|return-path|delivered-to|x-[\w-]+):/im.test(
      text,
    )
  ) {
    return "mail";
  }
  if (text.includes("-----BEGIN PGP MESSAGE-----")) return "armored";
  return "unknown";
}

export function armoredBlocks(text: string): string[] {
  return [...text.replace(/\r\n?/g, "\n").matchAll(ARMOR_RE)].map((m) => `${m[0]}\n`);
}

function armorBinary(bytes: Uint8Array): string {
  return openpgp.armor(openpgp.enums.armor.message, bytes);
}

/** Checks every top-level path first, so a typo stops the import before anything is read. */
export async function checkPaths(paths: readonly string[]): Promise<void> {
  if (paths.length === 0) throw new DeskError("name at least one file, mbox or directory to import", 2);
  for (const p of paths) {
    try {
      await stat(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DeskError(
        code === "ENOENT" ? `"${p}" does not exist` : `"${p}" cannot be read (${code ?? "I/O error"})`,
        2,
      );
    }
  }
}

/** Every message in the given paths, in a stable order. `exclude` keeps the register itself out. */
export async function* readSources(
  paths: readonly string[],
  options: { exclude?: readonly string[] } = {},
): AsyncGenerator<SourceItem> {
  const excluded = (options.exclude ?? []).map((p) => path.resolve(p));
  const isExcluded = (p: string) => {
    const abs = path.resolve(p);
    return excluded.some((x) => abs === x || abs.startsWith(`${x}${path.sep}`));
  };
  for (const p of paths) {
    if (isExcluded(p)) continue;
    const info = await stat(p);
    if (info.isDirectory()) yield* readDirectory(p, isExcluded);
    else yield* readFileSource(p);
  }
}

async function* readDirectory(dir: string, isExcluded: (p: string) => boolean): AsyncGenerator<SourceItem> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    yield { kind: "skipped", origin: dir, reason: "unreadable" };
    return;
  }
  for (const name of names) {
    if (name.startsWith(".")) continue; // .DS_Store, .git, editor swap files, a register's lock
    const p = path.join(dir, name);
    if (isExcluded(p)) continue;
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(p);
      // Follow a symbolic link to a file, never to a directory (no loops).
      if (info.isSymbolicLink()) {
        info = await stat(p);
        if (info.isDirectory()) continue;
      }
    } catch {
      yield { kind: "skipped", origin: p, reason: "unreadable" };
      continue;
    }
    if (info.isDirectory()) yield* readDirectory(p, isExcluded);
    else if (info.isFile()) yield* readFileSource(p);
  }
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function* readFileSource(file: string): AsyncGenerator<SourceItem> {
  let head: Buffer;
  let size: number;
  try {
    size = (await stat(file)).size;
    head = await readHead(file);
  } catch {
    yield { kind: "skipped", origin: file, reason: "unreadable" };
    return;
  }
  const format = sniff(head);
  if (format === "unknown") {
    yield { kind: "skipped", origin: file, reason: "not-a-message" };
    return;
  }
  if (format === "mbox") {
    yield* readMbox(file);
    return;
  }
  if (size > MAX_SOURCE_BYTES) {
    yield { kind: "skipped", origin: file, reason: "too-large" };
    return;
  }
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    yield { kind: "skipped", origin: file, reason: "unreadable" };
    return;
  }
  if (format === "binary") {
    yield { kind: "message", origin: file, armored: armorBinary(content) };
  } else if (format === "armored") {
    const blocks = armoredBlocks(content.toString("latin1"));
    for (const [i, armored] of blocks.entries()) {
      yield { kind: "message", origin: blocks.length > 1 ? `${file} (block ${i + 1})` : file, armored };
    }
  } else {
    yield* readMail(content, file);
  }
}

/** A single mail: PGP/MIME parts, attached .asc/.pgp files, inline blocks, forwarded mails. */
export async function* readMail(raw: Buffer, origin: string): AsyncGenerator<SourceItem> {
  const found = new Set<string>();
  try {
    await collectFromMail(raw, found, 0);
  } catch {
    yield { kind: "skipped", origin, reason: "unreadable" };
    return;
  }
  if (found.size === 0) {
    yield { kind: "skipped", origin, reason: "no-openpgp-in-mail" };
    return;
  }
  let i = 0;
  for (const armored of found) {
    i++;
    yield { kind: "message", origin: found.size > 1 ? `${origin} (block ${i})` : origin, armored };
  }
}

async function collectFromMail(raw: Buffer, found: Set<string>, depth: number): Promise<void> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  for (const att of mail.attachments) {
    const type = att.contentType.toLowerCase();
    if (type === "message/rfc822") {
      if (depth < MAX_MAIL_DEPTH) await collectFromMail(att.content, found, depth + 1);
      continue;
    }
    if (isBinaryOpenPgp(att.content)) {
      found.add(armorBinary(att.content));
      continue;
    }
    // The PGP/MIME control part ("Version: 1") holds no block and adds nothing here.
    for (const block of armoredBlocks(att.content.toString("latin1"))) found.add(block);
  }
  if (mail.text) for (const block of armoredBlocks(mail.text)) found.add(block);
}

/**
 * mbox (mboxo/mboxrd, as Thunderbird and most exports write it): a mail starts at a line
 * beginning with "From " at the start of the file or after an empty line; ">From " lines inside
 * a mail are unescaped by one ">". Read as latin1 so every byte survives the round trip.
 */
async function* readMbox(file: string): AsyncGenerator<SourceItem> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: "latin1" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let current: string[] | null = null;
  let bytes = 0;
  let tooLarge = false;
  let n = 0;
  let previousEmpty = true;

  async function* flush(): AsyncGenerator<SourceItem> {
    if (current === null) return;
    const origin = `${file} (mail ${n})`;
    if (tooLarge) {
      yield { kind: "skipped", origin, reason: "too-large" };
    } else {
      const text = current.join("\n");
      if (MAY_CARRY_PGP_RE.test(text)) yield* readMail(Buffer.from(text, "latin1"), origin);
      else yield { kind: "skipped", origin, reason: "no-openpgp-in-mail" };
    }
    current = null;
  }

  try {
    for await (const line of lines) {
      if (line.startsWith("From ") && previousEmpty) {
        yield* flush();
        n++;
        current = [];
        bytes = 0;
        tooLarge = false;
        previousEmpty = false;
        continue;
      }
      previousEmpty = line === "";
      if (current === null) continue; // text before the first "From " line
      bytes += line.length + 1;
      if (bytes > MAX_SOURCE_BYTES) {
        tooLarge = true;
        current.length = 0;
      }
      if (!tooLarge) current.push(/^>+From /.test(line) ? line.slice(1) : line);
    }
  } catch {
    yield { kind: "skipped", origin: file, reason: "unreadable" };
    return;
  }
  yield* flush();
}
