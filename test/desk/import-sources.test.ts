/**
 * Import reads handoffs the way they reach a counsellor: PGP/MIME mail built by the project's
 * own builder (as the smtp transport sends it), mbox files (Thunderbird), attachments, inline
 * blocks, forwarded mail, binary .pgp files and directories with unrelated files; and a new kind
 * of message can be added by registering its parser.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import MailComposer from "nodemailer/lib/mail-composer";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { seal } from "../../src/crypto/seal.ts";
import { buildPgpMimeMessage, messageIdFor } from "../../src/delivery/pgp-mime.ts";
import { loadCases } from "../../src/desk/actions.ts";
import { handoffMessage } from "../../src/desk/handoff-message.ts";
import { importMessages } from "../../src/desk/import.ts";
import { DeskKey } from "../../src/desk/key.ts";
import { MESSAGE_TYPES } from "../../src/desk/message-types.ts";
import { type DeskMessageType, MessageRegistry, NotADeskMessageError } from "../../src/desk/messages.ts";
import type { RegisterContext } from "../../src/desk/register.ts";
import type { HandoffDocument } from "../../src/handoff/document.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { dearmor, generateEccKey, makeDoc } from "../crypto/helpers.ts";

let root: string;
let key: DeskKey;
let publicKey: openpgp.PublicKey;
let strangerKey: openpgp.PublicKey;
const docs: HandoffDocument[] = [];
const sealed: string[] = [];

function ctxFor(name: string, types = MESSAGE_TYPES): RegisterContext {
  return {
    dir: path.join(root, `register-${name}`),
    key,
    types,
    now: () => new Date("2026-06-01T10:00:00Z"),
  };
}

async function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<string> {
  const node = new MailComposer(options).compile();
  const buf = await new Promise<Buffer>((resolve, reject) =>
    node.build((err, out) => (err ? reject(err) : resolve(out))),
  );
  return buf.toString("utf8");
}

/** mboxrd: a "From " line before each mail, ">From " for body lines that start with "From ". */
function mbox(mails: string[]): string {
  return mails
    .map((m) => {
      const body = m.replace(/\r\n/g, "\n").replace(/^(>*From )/gm, ">$1");
      return `From vertrouwd@example.org Mon Jun  1 10:00:00 2026\n${body}\n`;
    })
    .join("\n");
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vt-desk-import-"));
  const anna = await generateEccKey("Anna");
  key = await DeskKey.unlock(anna.privateKey);
  publicKey = await openpgp.readKey({ armoredKey: anna.publicKey });
  strangerKey = await openpgp.readKey({ armoredKey: (await generateEccKey("Stranger")).publicKey });
  for (let i = 0; i < 8; i++) {
    const doc = makeDoc({
      caseCode: `VT-MAIL-000${i}`,
      date: `2026-05-1${i}`,
      topic: i % 2 === 0 ? "integrity" : "bullying",
    });
    docs.push(doc);
    sealed.push((await sealHandoff(doc, { recipients: [publicKey] })).armored);
  }
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("desk import reads mail", () => {
  it("a PGP/MIME mail as the smtp transport sends it (.eml)", async () => {
    const from = "vertrouwd@example.org";
    const eml = buildPgpMimeMessage({
      from,
      to: "anna@example.org",
      subject: "Nieuw bericht via Vertrouwd",
      messageId: messageIdFor(docs[0]?.caseId as string, from),
      armored: sealed[0] as string,
    });
    const file = path.join(root, "handoff.eml");
    await writeFile(file, eml);
    const ctx = ctxFor("eml");
    const result = await importMessages(ctx, [file]);
    expect(result.outcomes).toEqual([
      expect.objectContaining({ kind: "imported", origin: file, caseId: docs[0]?.caseId }),
    ]);
    const { cases } = await loadCases(ctx);
    expect(cases.map((c) => c.facts.caseCode)).toEqual(["VT-MAIL-0000"]);
  });

  it("an mbox with PGP/MIME, attachments, inline blocks, forwarded and unrelated mail", async () => {
    const from = "vertrouwd@example.org";
    const pgpMime = (i: number) =>
      buildPgpMimeMessage({
        from,
        to: "anna@example.org",
        subject: "Nieuw bericht",
        messageId: messageIdFor(docs[i]?.caseId as string, from),
        armored: sealed[i] as string,
      });
    const strangers = (await sealHandoff(makeDoc(), { recipients: [strangerKey] })).armored;
    const mails = [
      await compose({
        from: "collega@example.org",
        to: "anna@example.org",
        subject: "Lunch",
        text: "From now on we meet at twelve.\nGroet",
      }),
      pgpMime(1),
      await compose({
        from: "anna@example.org",
        to: "anna@example.org",
        subject: "Fwd: Slack-bestand",
        text: "Zie bijlage",
        attachments: [
          { filename: "bericht.asc", content: sealed[2] as string, contentType: "application/octet-stream" },
        ],
      }),
      await compose({
        from: "anna@example.org",
        to: "anna@example.org",
        subject: "Fwd: Nieuw bericht",
        text: "Doorgestuurd",
        attachments: [{ filename: "doorgestuurd.eml", content: pgpMime(3), contentType: "message/rfc822" }],
      }),
      await compose({
        from: "anna@example.org",
        to: "anna@example.org",
        subject: "inline",
        text: `Hieronder:\n\n${sealed[4]}`,
      }),
      await compose({
        from: "anna@example.org",
        to: "anna@example.org",
        subject: "binair",
        text: "Binaire bijlage",
        attachments: [{ filename: "bericht.pgp", content: Buffer.from(dearmor(sealed[5] as string)) }],
      }),
      pgpMime(1), // delivered twice (at-least-once delivery)
      await compose({ from, to: "anna@example.org", subject: "Nieuw bericht", text: strangers }),
    ];
    const file = path.join(root, "Inbox");
    await writeFile(file, mbox(mails));
    const ctx = ctxFor("mbox");
    const result = await importMessages(ctx, [file]);
    const by = (kind: string) => result.outcomes.filter((o) => o.kind === kind);
    expect(by("imported").map((o) => ("caseId" in o ? o.caseId : ""))).toEqual(
      [1, 2, 3, 4, 5].map((i) => docs[i]?.caseId),
    );
    expect(by("duplicate")).toHaveLength(1);
    expect(by("failed")).toEqual([
      expect.objectContaining({ reason: "wrong-key", origin: `${file} (mail 8)` }),
    ]);
    expect(result.skipped).toEqual({ "no-openpgp-in-mail": 1 });
    const { cases } = await loadCases(ctx);
    expect(cases).toHaveLength(5);
  });

  it("a directory: .asc, .pgp, .eml, mbox and subfolders; other files are skipped", async () => {
    const dir = path.join(root, "downloads");
    await mkdir(path.join(dir, "sub", "deeper"), { recursive: true });
    await writeFile(path.join(dir, "a.asc"), sealed[6] as string);
    await writeFile(path.join(dir, "b.pgp"), dearmor(sealed[7] as string));
    await writeFile(path.join(dir, "sub", "copy-of-a.asc"), sealed[6] as string);
    await writeFile(
      path.join(dir, "sub", "deeper", "mail.eml"),
      buildPgpMimeMessage({
        from: "v@example.org",
        to: "a@example.org",
        subject: "x",
        messageId: "<x@example.org>",
        armored: sealed[0] as string,
      }),
    );
    await writeFile(path.join(dir, ".DS_Store"), Buffer.from([0, 0, 0, 1, 66, 117, 100, 49]));
    await writeFile(path.join(dir, "notes.txt"), "boodschappen: melk, brood\n");
    await writeFile(
      path.join(dir, "photo.jpg"),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]),
    );
    const ctx = ctxFor("dir");
    const result = await importMessages(ctx, [dir]);
    expect(result.outcomes.filter((o) => o.kind === "imported")).toHaveLength(3);
    expect(result.outcomes.filter((o) => o.kind === "duplicate")).toHaveLength(1);
    expect(result.skipped).toEqual({ "not-a-message": 2 });
    // The register may live inside the folder being imported: it is never read as input.
    const inside: RegisterContext = { ...ctx, dir: path.join(dir, "register") };
    await importMessages(inside, [dir]);
    const again = await importMessages(inside, [dir]);
    expect(again.outcomes.every((o) => o.kind === "duplicate")).toBe(true);
  });

  it("with --verify, imports only what the bot signed", async () => {
    const bot = await generateEccKey("Bot");
    const botKey = await openpgp.readPrivateKey({ armoredKey: bot.privateKey });
    const dir = path.join(root, "signed");
    await mkdir(dir);
    const signedDoc = makeDoc({ caseCode: "VT-SIGN-0001" });
    await writeFile(
      path.join(dir, "signed.asc"),
      (await sealHandoff(signedDoc, { recipients: [publicKey], signingKey: botKey })).armored,
    );
    await writeFile(path.join(dir, "unsigned.asc"), sealed[1] as string);
    const result = await importMessages(ctxFor("signed"), [dir], { verificationKeys: [botKey.toPublic()] });
    expect(result.outcomes).toEqual([
      expect.objectContaining({ kind: "imported", caseId: signedDoc.caseId }),
      expect.objectContaining({ kind: "failed", reason: "bad-signature" }),
    ]);
    const { state } = await loadCases(ctxFor("signed"));
    expect(state.entries.map((e) => (e.summary.kind === "message" ? e.summary.signature : ""))).toEqual([
      "valid",
    ]);
  });

  it("refuses a path that does not exist before reading anything", async () => {
    await expect(importMessages(ctxFor("none"), [path.join(root, "nope.asc")])).rejects.toThrow(
      /does not exist/,
    );
  });

  it("tells a damaged message and a non-Vertrouwd message apart", async () => {
    const dir = path.join(root, "odd");
    await mkdir(dir);
    const good = sealed[0] as string;
    const lines = good.split("\n");
    const mid = Math.floor(lines.length / 2);
    lines[mid] =
      `${(lines[mid] as string).slice(0, 20)}${(lines[mid] as string).slice(20, 24) === "AAAA" ? "BBBB" : "AAAA"}${(lines[mid] as string).slice(24)}`;
    await writeFile(path.join(dir, "damaged.asc"), lines.join("\n"));
    const { armored } = await seal(new TextEncoder().encode("just a letter"), {
      recipients: [publicKey],
      day: "2026-05-01",
    });
    await writeFile(path.join(dir, "letter.asc"), armored);
    const result = await importMessages(ctxFor("odd"), [dir]);
    expect(result.outcomes.map((o) => (o.kind === "failed" ? o.reason : o.kind)).sort()).toEqual([
      "corrupted",
      "not-vertrouwd",
    ]);
  });
});

describe("a new kind of message is one registered parser", () => {
  const BEGIN = "-----BEGIN VERTROUWD TEST NOTICE JSON-----";
  const END = "-----END VERTROUWD TEST NOTICE JSON-----";
  const Notice = z
    .object({ v: z.literal(1), noticeId: z.string(), caseId: z.string().uuid(), date: z.string() })
    .strict();
  type Notice = z.infer<typeof Notice>;
  const noticeType: DeskMessageType<Notice> = {
    name: "test-notice",
    beginMarker: BEGIN,
    parse(plaintext) {
      const lines = plaintext.split("\n");
      const b = lines.lastIndexOf(BEGIN);
      const e = lines.lastIndexOf(END);
      const parsed = Notice.safeParse(JSON.parse(lines.slice(b + 1, e).join("\n")));
      if (!parsed.success) throw new NotADeskMessageError("invalid", "not a valid test notice");
      return parsed.data;
    },
    body: Notice,
    identify: (n) => ({ caseId: n.caseId, messageId: n.noticeId, date: n.date }),
    render: (n) => `Notice ${n.noticeId}\n`,
  };
  const registry = new MessageRegistry([handoffMessage, noticeType]);

  const notice = async (n: Notice) => {
    const text = `A notice\n${BEGIN}\n${JSON.stringify(n)}\n${END}\n`;
    return (await seal(new TextEncoder().encode(text), { recipients: [publicKey], day: n.date })).armored;
  };

  it("imports it into its case, idempotently, and an older desk says it does not know the kind", async () => {
    const dir = path.join(root, "notices");
    await mkdir(dir);
    await writeFile(path.join(dir, "1-handoff.asc"), sealed[0] as string);
    await writeFile(
      path.join(dir, "2-notice.asc"),
      await notice({ v: 1, noticeId: "n-1", caseId: docs[0]?.caseId as string, date: "2026-05-20" }),
    );
    await writeFile(
      path.join(dir, "3-early.asc"),
      await notice({
        v: 1,
        noticeId: "n-2",
        caseId: "11111111-2222-4333-8444-555555555555",
        date: "2026-05-21",
      }),
    );
    const ctx = ctxFor("notices", registry);
    const first = await importMessages(ctx, [dir]);
    expect(first.outcomes.map((o) => o.kind)).toEqual(["imported", "imported", "imported"]);
    const second = await importMessages(ctx, [dir]);
    expect(second.outcomes.map((o) => o.kind)).toEqual(["duplicate", "duplicate", "duplicate"]);
    const { cases, waiting } = await loadCases(ctx);
    expect(cases).toHaveLength(1);
    expect(waiting).toBe(1); // a notice that overtook its handoff waits for it
    expect(
      cases[0]?.timeline.map((t) => (t.what.kind === "message" ? t.what.type : t.what.event.type)),
    ).toEqual(["handoff", "test-notice"]);

    const older = await importMessages(ctxFor("older"), [path.join(dir, "2-notice.asc")]);
    expect(older.outcomes).toEqual([expect.objectContaining({ kind: "failed", reason: "unknown-kind" })]);
  });
});
