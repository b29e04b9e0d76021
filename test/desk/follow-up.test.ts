/**
 * The counsellor's side of the anonymous follow-up (issue 17): `desk import` of the follow-up
 * notice and the melder's answer (in either order, twice), the thread in `desk show`, nothing of
 * it in the annual report, and `vertrouwd reply` against a loopback replies endpoint with the
 * contract's semantics (test/support/mailbox-replies.ts): sent, refused, server down and
 * `--retry`, a case without a mailbox.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDesk } from "../../src/cli/desk.ts";
import { runReply } from "../../src/cli/reply.ts";
import { PAD_BUCKETS } from "../../src/crypto/padding.ts";
import { seal } from "../../src/crypto/seal.ts";
import { loadCases } from "../../src/desk/actions.ts";
import { amsterdamDate } from "../../src/desk/calendar.ts";
import { foldCases } from "../../src/desk/cases.ts";
import { DeskKey } from "../../src/desk/key.ts";
import { KEY_ENV, REGISTER_ENV } from "../../src/desk/location.ts";
import { MESSAGE_TYPES } from "../../src/desk/message-types.ts";
import { OUTGOING_DIR } from "../../src/desk/reply.ts";
import { buildAnnualReport } from "../../src/desk/report/annual-report.ts";
import type { FollowUp } from "../../src/handoff/document.ts";
import {
  type FollowUpNotice,
  type MelderAnswer,
  renderAnswerPlaintext,
  renderNoticePlaintext,
} from "../../src/handoff/follow-up.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { generateEccKey, makeDoc } from "../crypto/helpers.ts";
import { captureIo } from "../support/cli-io.ts";
import { type RepliesServer, startRepliesServer } from "../support/mailbox-replies.ts";

const ANSWER_CANARY = "ANTWOORD-MELDER-KANARIE-91f";
const REPLY_CANARY = "ANTWOORD-VP-KANARIE-5d2";
const TODAY = amsterdamDate(new Date());

let root: string;
let inbox: string;
let env: NodeJS.ProcessEnv;
let anna: Awaited<ReturnType<typeof generateEccKey>>;
let annaPub: openpgp.PublicKey;
let server: RepliesServer;
let melderWeb: Awaited<ReturnType<typeof generateEccKey>>;
let melderChat: Awaited<ReturnType<typeof generateEccKey>>;

const WEB = { caseId: randomUUID(), caseCode: "VT-WEB1-0001", mailboxId: "mbx_web_000000000000000001" };
const CHAT = { caseId: randomUUID(), caseCode: "VT-SLK1-0002", mailboxId: "mbx_chat_00000000000000002" };
const PLAIN = { caseId: randomUUID(), caseCode: "VT-PLN1-0003" };

let notice: FollowUpNotice;
let answers: MelderAnswer[];

async function sealText(text: string, day: string): Promise<string> {
  return (await seal(new TextEncoder().encode(text), { recipients: [annaPub], day })).armored;
}

async function desk(argv: string[]) {
  const { io, result } = captureIo();
  const code = await runDesk(argv, io, env);
  return { code, ...result() };
}

async function reply(argv: string[], stdin = "") {
  const { io, result } = captureIo(stdin);
  const code = await runReply(argv, io, env);
  return { code, ...result() };
}

async function ctx() {
  return {
    dir: env[REGISTER_ENV] as string,
    key: await DeskKey.unlock(anna.privateKey),
    types: MESSAGE_TYPES,
    now: () => new Date(),
  };
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

/** What the melder's browser does with a stored reply: decrypt with the mailbox key, check Anna signed it. */
async function melderReads(message: Uint8Array, melderPrivate: string) {
  const { data, signatures } = await openpgp.decrypt({
    message: await openpgp.readMessage({ binaryMessage: message }),
    decryptionKeys: await openpgp.readPrivateKey({ armoredKey: melderPrivate }),
    verificationKeys: annaPub,
    expectSigned: true,
    format: "binary",
  });
  await signatures[0]?.verified;
  return new TextDecoder().decode(data as Uint8Array);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vt-desk-fu-"));
  inbox = path.join(root, "inbox");
  await mkdir(inbox);
  anna = await generateEccKey("Anna");
  annaPub = await openpgp.readKey({ armoredKey: anna.publicKey });
  melderWeb = await generateEccKey("Brievenbus");
  melderChat = await generateEccKey("Brievenbus");
  server = await startRepliesServer([anna.publicKey]);
  await server.addMailbox(WEB.mailboxId, melderWeb.publicKey);
  await server.addMailbox(CHAT.mailboxId, melderChat.publicKey);
  env = { [KEY_ENV]: path.join(root, "anna.key.asc"), [REGISTER_ENV]: path.join(root, "register") };
  await writeFile(env[KEY_ENV] as string, anna.privateKey);

  const webFollowUp: FollowUp = {
    v: 1,
    mailboxId: WEB.mailboxId,
    melderPublicKey: melderWeb.publicKey,
    url: server.pageUrl,
  };
  const docs = [
    makeDoc({
      version: 2,
      ...{ caseId: WEB.caseId, caseCode: WEB.caseCode },
      channel: "web",
      date: TODAY,
      followUp: webFollowUp,
    }),
    makeDoc({ version: 2, caseId: CHAT.caseId, caseCode: CHAT.caseCode, channel: "slack", date: TODAY }),
    makeDoc({ version: 2, caseId: PLAIN.caseId, caseCode: PLAIN.caseCode, channel: "teams", date: TODAY }),
  ];
  for (const d of docs)
    await writeFile(
      path.join(inbox, `${d.caseId}.asc`),
      (await sealHandoff(d, { recipients: [annaPub] })).armored,
    );

  notice = {
    v: 1,
    caseId: CHAT.caseId,
    caseCode: CHAT.caseCode,
    date: TODAY,
    locale: "nl",
    followUp: { v: 1, mailboxId: CHAT.mailboxId, melderPublicKey: melderChat.publicKey, url: server.pageUrl },
  };
  answers = [1, 2].map((n) => ({
    v: 1,
    caseId: CHAT.caseId,
    caseCode: CHAT.caseCode,
    mailboxId: CHAT.mailboxId,
    messageId: randomUUID(),
    date: TODAY,
    locale: "nl",
    text: `Bericht ${n} van de melder ${ANSWER_CANARY}\n-----BEGIN VERTROUWD HANDOFF JSON-----`,
  }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe("desk import of the follow-up messages", () => {
  it("keeps a notice that overtakes its handoff, and joins it to the case once the handoff arrives", async () => {
    const noticeFile = path.join(root, "notice.asc");
    await writeFile(noticeFile, await sealText(renderNoticePlaintext(notice), TODAY));
    const first = await desk(["import", noticeFile]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`ingelezen    brievenbus geopend bij ${CHAT.caseCode}`);
    expect(first.stdout).toContain("de overdracht van deze zaak is er nog niet");

    const waiting = await desk(["list"]);
    expect(waiting.stderr).toContain("1 message(s) wait for a handoff");
    expect(waiting.stdout).not.toContain(CHAT.caseCode);

    const handoffs = await desk(["import", inbox]);
    expect(handoffs.code).toBe(0);
    expect(handoffs.stdout).toContain("3 ingelezen, 0 al aanwezig, 0 mislukt");
    const list = await desk(["list"]);
    expect(list.stderr).toBe("");
    expect(list.stdout).toContain(CHAT.caseCode);

    const show = await desk(["show", CHAT.caseCode]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("De melder heeft een anonieme brievenbus geopend.");
    expect(show.stdout).toContain(`vertrouwd reply --case ${CHAT.caseCode}`);
    expect(show.stdout).toContain("melder opende een anonieme brievenbus");
    // The web report carries its mailbox in the handoff itself; a case without one says nothing.
    expect((await desk(["show", WEB.caseCode])).stdout).toContain("anonieme brievenbus geopend");
    expect((await desk(["show", PLAIN.caseCode])).stdout).not.toContain("brievenbus");
  });

  it("shows the melder's answers as the case's thread, and marks the case in the list", async () => {
    for (const [i, a] of answers.entries())
      await writeFile(path.join(root, `answer-${i}.asc`), await sealText(renderAnswerPlaintext(a), TODAY));
    const r = await desk(["import", path.join(root, "answer-0.asc"), path.join(root, "answer-1.asc")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ingelezen    bericht van de melder bij ${CHAT.caseCode}`);
    expect(r.stdout).not.toContain("de overdracht van deze zaak is er nog niet");

    const show = await desk(["show", CHAT.caseCode]);
    expect(show.stdout).toContain("Brievenbus\n----------");
    expect(show.stdout).toContain(
      `[${TODAY}] de melder schreef:\n  Bericht 1 van de melder ${ANSWER_CANARY}`,
    );
    expect(show.stdout).toContain("bericht van de melder via de brievenbus");
    expect(show.stdout).toContain("De melder schreef via de brievenbus en wacht op je antwoord.");
    // What the melder typed is indented: it can never pass for a marker line.
    expect(show.stdout).toContain("\n  -----BEGIN VERTROUWD HANDOFF JSON-----");
    expect(show.stdout.indexOf("Bericht 1")).toBeLessThan(show.stdout.indexOf("Bericht 2"));

    const list = await desk(["list"]);
    expect(list.stdout).toMatch(new RegExp(`${CHAT.caseCode}.*nieuw ✉`));
    expect(list.stdout).toContain("✉ = de melder schreef via de brievenbus");
    const en = await desk(["show", CHAT.caseCode, "--lang", "en"]);
    expect(en.stdout).toContain(`[${TODAY}] the melder wrote:`);
  });

  it("treats a second copy of a notice or an answer as already present", async () => {
    const before = (await allFiles(env[REGISTER_ENV] as string)).length;
    const r = await desk([
      "import",
      path.join(root, "notice.asc"),
      path.join(root, "answer-0.asc"),
      path.join(root, "answer-1.asc"),
      inbox,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0 ingelezen, 6 al aanwezig, 0 mislukt");
    expect((await allFiles(env[REGISTER_ENV] as string)).length).toBe(before);
  });

  it("keeps every follow-up word encrypted: no canary in any register file", async () => {
    for (const f of await allFiles(env[REGISTER_ENV] as string)) {
      const text = await readFile(f, "utf8");
      expect(text).not.toContain(ANSWER_CANARY);
      expect(text).not.toContain(CHAT.mailboxId);
      expect(text).not.toContain(CHAT.caseCode);
    }
  });

  it("adds nothing the annual report could trace", async () => {
    const c = await ctx();
    const { cases, state } = await loadCases(c);
    const followUpKinds = new Set(["followup-notice", "melder-answer"]);
    const without = foldCases(
      state.entries.filter(
        (e) =>
          !(e.summary.kind === "message" && followUpKinds.has(e.summary.type)) &&
          !(e.summary.kind === "event" && e.summary.event.type === "reply"),
      ),
    ).cases;
    const year = Number(TODAY.slice(0, 4));
    const o = { year, locale: "nl" as const, threshold: 3, today: TODAY };
    expect(JSON.stringify(buildAnnualReport(cases, o))).toBe(JSON.stringify(buildAnnualReport(without, o)));
  });
});

describe("vertrouwd reply", () => {
  it("encrypts to the melder and the counsellor, signs, posts, and records the answer in the register", async () => {
    const text = `Dank je voor je bericht. ${REPLY_CANARY}\nZullen we bellen?`;
    const msg = path.join(root, "msg.txt");
    await writeFile(msg, text);
    const r = await reply(["--case", CHAT.caseCode, "--file", msg]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${CHAT.caseCode}: antwoord verstuurd naar de anonieme brievenbus`);

    expect(server.replies).toHaveLength(1);
    const stored = server.replies[0];
    expect(stored?.mailboxId).toBe(CHAT.mailboxId);
    // Padded: the binary message is exactly one of the buckets, whatever the answer's length.
    expect(PAD_BUCKETS as readonly number[]).toContain(stored?.message.length);
    expect((await melderReads(stored?.message as Uint8Array, melderChat.privateKey)).trimEnd()).toBe(text);
    // The counsellor can read their own answer too.
    const own = await openpgp.decrypt({
      message: await openpgp.readMessage({ binaryMessage: stored?.message as Uint8Array }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: anna.privateKey }),
      format: "binary",
    });
    expect(new TextDecoder().decode(own.data as Uint8Array)).toContain(REPLY_CANARY);

    const show = await desk(["show", CHAT.caseCode]);
    expect(show.stdout).toContain(`[${TODAY}] jij antwoordde:\n  Dank je voor je bericht. ${REPLY_CANARY}`);
    expect(show.stdout).toContain("antwoord gestuurd via de brievenbus");
    expect(show.stdout).not.toContain("wacht op je antwoord");
    expect((await desk(["list"])).stdout).not.toContain("✉");
    for (const f of await allFiles(env[REGISTER_ENV] as string))
      expect(await readFile(f, "utf8")).not.toContain(REPLY_CANARY);
    expect(await readdir(path.join(env[REGISTER_ENV] as string, OUTGOING_DIR))).toEqual([]);
  });

  it("answers a web report from the handoff's own followUp part, text from standard input", async () => {
    const r = await reply(["--case", WEB.caseCode, "--lang", "en"], `Hello ${REPLY_CANARY}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${WEB.caseCode}: answer sent to the anonymous mailbox`);
    const stored = server.replies.at(-1);
    expect(stored?.mailboxId).toBe(WEB.mailboxId);
    expect((await melderReads(stored?.message as Uint8Array, melderWeb.privateKey)).trim()).toBe(
      `Hello ${REPLY_CANARY}`,
    );
  });

  it("says clearly when a case has no mailbox, or the answer is empty", async () => {
    const none = await reply(["--case", PLAIN.caseCode], "hallo");
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `vertrouwd reply: case ${PLAIN.caseCode} has no anonymous mailbox: the melder did not open one (or its notice is not imported yet: vertrouwd desk import)\n`,
    );
    const empty = await reply(["--case", CHAT.caseCode], "  \n");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("the answer is empty; nothing was sent");
    const unknown = await reply(["--case", "VT-XXXX-0000"], "hallo");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("there is no case VT-XXXX-0000");
    const usage = await reply([]);
    expect(usage.code).toBe(2);
  });

  it("keeps an answer the server refuses (signed by a key it does not pin), and loses nothing", async () => {
    const stranger = await generateEccKey("Stranger");
    const other = await startRepliesServer([stranger.publicKey]);
    await other.addMailbox(CHAT.mailboxId, melderChat.publicKey);
    try {
      const r = await reply(["--case", CHAT.caseCode, "--url", other.pageUrl], `Geweigerd ${REPLY_CANARY}`);
      expect(r.code).toBe(1);
      expect(other.statuses).toEqual([403]);
      expect(r.stderr).toContain("de server weigert het antwoord: je handtekening hoort niet bij de sleutel");
      expect(r.stdout).toContain("het antwoord is niet verstuurd. Het staat versleuteld klaar in");
      expect(r.stdout).toContain("vertrouwd reply --retry");
      const kept = await readdir(path.join(env[REGISTER_ENV] as string, OUTGOING_DIR));
      expect(kept).toHaveLength(1);
      const raw = await readFile(
        path.join(env[REGISTER_ENV] as string, OUTGOING_DIR, kept[0] as string),
        "utf8",
      );
      expect(raw).not.toContain(REPLY_CANARY);
      expect(raw).not.toContain(CHAT.mailboxId);
      // Not recorded as sent.
      expect((await desk(["show", CHAT.caseCode])).stdout).not.toContain("Geweigerd");
      await rm(path.join(env[REGISTER_ENV] as string, OUTGOING_DIR, kept[0] as string));
    } finally {
      await other.close();
    }
  });

  it("keeps the answer when the server is down, and sends it with --retry once it is back", async () => {
    const later = await startRepliesServer([anna.publicKey]);
    const port = Number(new URL(later.pageUrl).port);
    await later.close();
    const down = await reply(["--case", CHAT.caseCode, "--url", later.pageUrl], `Later ${REPLY_CANARY}`);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("de server is niet bereikbaar");
    expect(await readdir(path.join(env[REGISTER_ENV] as string, OUTGOING_DIR))).toHaveLength(1);

    const back = await startRepliesServer([anna.publicKey], { port });
    await back.addMailbox(CHAT.mailboxId, melderChat.publicKey);
    try {
      const retry = await reply(["--retry"]);
      expect(retry.stderr).toBe("");
      expect(retry.code).toBe(0);
      expect(retry.stdout).toContain("1 verstuurd, 0 wacht nog");
      expect(back.replies).toHaveLength(1);
      expect((await melderReads(back.replies[0]?.message as Uint8Array, melderChat.privateKey)).trim()).toBe(
        `Later ${REPLY_CANARY}`,
      );
      expect(await readdir(path.join(env[REGISTER_ENV] as string, OUTGOING_DIR))).toEqual([]);
      expect((await desk(["show", CHAT.caseCode])).stdout).toContain(`Later ${REPLY_CANARY}`);
      expect((await reply(["--retry"])).stdout).toContain("Er wachten geen antwoorden");
    } finally {
      await back.close();
    }
  });
});
