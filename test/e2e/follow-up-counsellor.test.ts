/**
 * The anonymous follow-up from a chat report, end to end (issue 17), over real HTTP with real
 * Redis, the real server (Slack adapter and web page with its mailbox endpoints in one process),
 * Slack's Web API as the loopback fake, and the counsellor's own commands:
 *
 * 1. an anonymous report in the Slack modal; the receipt view carries the neutral link button to
 *    `<page>#mailbox/open?t=<token>`, and no chat message carries it (invariant 1);
 * 2. the melder's browser (its code, run here in Node) opens a mailbox with that token; the
 *    token works once; the server seals a follow-up notice to the counsellor, which arrives
 *    through the usual transport (the outbox);
 * 3. `vertrouwd desk import` takes the handoff and the notice; `vertrouwd reply` answers through
 *    the real replies endpoint; the melder reads the answer and sees the counsellor signed it;
 * 4. the melder answers; `desk import` adds it to the case's thread in `desk show`.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDesk } from "../../src/cli/desk.ts";
import { runReply } from "../../src/cli/reply.ts";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { KEY_ENV, REGISTER_ENV } from "../../src/desk/location.ts";
import {
  createMailboxKeys,
  openMailboxMessage,
  sealAnswer,
  unlockMailboxKey,
} from "../../src/followup/melder.ts";
import { deriveMailbox, newSecret } from "../../src/followup/secret.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { dayOf } from "../../src/time/day.ts";
import { REDIS_URL, deletePrefix, freePort, uniquePrefix } from "../store/helpers.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { captureIo } from "../support/cli-io.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { type SlackMelder, httpTransport, sectionText, slackMelder } from "../support/slack-melder.ts";

const SECRET = `fu-${randomBytes(12).toString("hex")}`;
const prefix = uniquePrefix("fu-counsellor");
const ENV = {
  SLACK_BOT_TOKEN: "xoxb-fu-token",
  SLACK_SIGNING_SECRET: SECRET,
  REDIS_URL,
  VERTROUWD_STATE_KEY: generateStateKey(),
  VERTROUWD_SERVER_SECRET: generateStateKey(),
  VERTROUWD_REDIS_PREFIX: prefix,
};
const STORY = "FU-VERHAAL-KANARIE-c41";
const REPLY = "FU-ANTWOORD-VP-KANARIE-8b0";
const ANSWER = "FU-ANTWOORD-MELDER-KANARIE-2f7";

let fake: FakeSlack;
let t: TestApp;
let server: RunningServer;
let pageUrl: string;
let desk: string;

beforeAll(async () => {
  const port = await freePort();
  pageUrl = `http://127.0.0.1:${port}/web/`;
  fake = await startFakeSlack();
  t = await testApp({
    env: ENV,
    keyPrefix: prefix,
    config: (c) => ({ ...c, web: { ...c.web, enabled: true, publicUrl: pageUrl } }),
  });
  server = await startServer(t.app, ENV, { port, host: "127.0.0.1", slackApiUrl: fake.url });
  desk = await mkdtemp(path.join(tmpdir(), "vt-fu-desk-"));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await t?.cleanup();
  await fake?.close();
  await deletePrefix(prefix);
  await rm(desk, { recursive: true, force: true });
});

function counsellorEnv(): NodeJS.ProcessEnv {
  const key = t.demo.keys.counsellors.find((c) => c.id === "demo-extern");
  return { [KEY_ENV]: key?.privateKeyPath, [REGISTER_ENV]: path.join(desk, "register") };
}

async function deskCmd(argv: string[]) {
  const x = captureIo();
  const code = await runDesk(argv, x.io, counsellorEnv());
  return { code, ...x.result() };
}

async function post(route: string, body: unknown) {
  const r = await fetch(`${pageUrl}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

async function anonymousReport(m: SlackMelder): Promise<void> {
  await m.openDm();
  await m.settle();
  for (const choice of ["continue", "ack", "form"]) {
    await m.click(choice);
    await m.settle();
  }
  expect(m.modal()?.view.callback_id).toBe("vt_form");
  await m.choose("report");
  await m.choose("bullying");
  await m.choose("counsellor:demo-extern");
  await m.choose("anonymous");
  await m.fill({ what: STORY, when: "vorige week", wishes: "heard" });
  await m.submit();
  await m.settle();
}

interface LinkButton {
  action_id: string;
  url?: string;
  text: { text: string };
}

function buttons(m: SlackMelder): LinkButton[] {
  return (m.modal()?.view.blocks as { elements?: LinkButton[] }[]).flatMap((b) => b.elements ?? []);
}

describe("a chat report's anonymous mailbox, end to end", () => {
  it("links from the receipt, opens once, reaches the counsellor, and carries the conversation both ways", async () => {
    const m = slackMelder(fake, httpTransport(`${server.url}/slack/events`, SECRET), {
      user: `U${randomBytes(5).toString("hex").toUpperCase()}`,
    });
    await anonymousReport(m);

    // 1. The receipt view: the case code, the mailbox text, and the link button.
    const receipt = sectionText(m.modal()?.view.blocks as unknown[]);
    const caseCode = receipt.match(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0] as string;
    expect(caseCode).toBeDefined();
    expect(receipt).toContain("Anoniem een antwoord krijgen?");
    const link = buttons(m).find((b) => b.url);
    expect(link?.text.text).toBe("Open een anonieme brievenbus");
    expect(link?.action_id).toBe("vt_link:mailbox_open");
    expect(link?.url).toMatch(
      new RegExp(`^${pageUrl.replace(/[.]/g, "\\.")}#mailbox/open\\?t=[A-Za-z0-9_-]{22}$`),
    );
    expect(buttons(m).map((b) => b.action_id)).toContain("vt_form:refresh");
    const token = new URL(link?.url as string).hash.split("t=")[1] as string;
    // Nothing of it in the chat: no link, no token, no code.
    const chat = fake.calls
      .filter((c) => c.method.startsWith("chat.") && c.params.channel === m.channel)
      .map((c) => JSON.stringify(c.params))
      .join("\n");
    expect(chat).not.toContain("mailbox/open");
    expect(chat).not.toContain(token);
    expect(chat).not.toContain(caseCode);

    // 2. The melder's browser opens the mailbox with the token; the token works once.
    const secret = newSecret();
    const { mailboxId, passphrase } = await deriveMailbox(secret);
    const keys = await createMailboxKeys(passphrase);
    const boxKeys = (k: { publicKey: string; lockedPrivateKey: string }) => ({
      melderPublicKey: k.publicKey,
      lockedPrivateKey: k.lockedPrivateKey,
    });
    const opened = await post("mailbox/open", { mailboxId, ...boxKeys(keys), linkToken: token });
    expect(opened.status).toBe(200);
    expect(opened.json).toMatchObject({ caseCode, counsellorId: "demo-extern" });
    const other = await deriveMailbox(newSecret());
    const again = await post("mailbox/open", {
      mailboxId: other.mailboxId,
      ...boxKeys(await createMailboxKeys(other.passphrase)),
      linkToken: token,
    });
    expect(again.status).toBeGreaterThanOrEqual(400);

    // The handoff and the sealed notice arrive through the counsellor's transport.
    await t.drain();
    const delivered = await t.outbox();
    expect(delivered).toHaveLength(2);
    const imported = await deskCmd(["import", ...delivered]);
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`brievenbus geopend bij ${caseCode}`);
    const show = await deskCmd(["show", caseCode]);
    expect(show.stdout).toContain("De melder heeft een anonieme brievenbus geopend.");
    expect(show.stdout).toContain(STORY);

    // 3. The counsellor answers with `vertrouwd reply`, through the real replies endpoint.
    const msg = path.join(desk, "antwoord.txt");
    await writeFile(msg, `Dank je wel. ${REPLY}\nWil je me meer vertellen?`);
    const r = captureIo();
    const code = await runReply(["--case", caseCode, "--file", msg], r.io, counsellorEnv());
    expect(r.result().stderr).toBe("");
    expect(code).toBe(0);

    const read = await post("mailbox/read", { mailboxId });
    expect(read.status).toBe(200);
    const messages = read.json.messages as { from: string; armored: string }[];
    expect(messages.map((x) => x.from)).toEqual(["counsellor"]);
    const privateKey = await unlockMailboxKey(read.json.lockedPrivateKey as string, passphrase);
    const counsellorKey = await openpgp.readKey({
      armoredKey: await readFile(
        t.demo.keys.counsellors.find((c) => c.id === "demo-extern")?.publicKeyPath as string,
        "utf8",
      ),
    });
    const seen = await openMailboxMessage(messages[0]?.armored as string, "counsellor", {
      privateKey,
      counsellor: [counsellorKey],
      deputy: [],
    });
    expect(seen).toEqual({
      ok: true,
      text: `Dank je wel. ${REPLY}\nWil je me meer vertellen?`,
      signed: "counsellor",
    });

    // 4. The melder answers; the counsellor imports it into the case's thread.
    const caseId = read.json.caseId as string;
    const armored = await sealAnswer(
      {
        v: 1,
        caseId,
        caseCode,
        mailboxId,
        messageId: crypto.randomUUID(),
        date: dayOf(new Date()),
        locale: "nl",
        text: `Ja graag. ${ANSWER}`,
      },
      { counsellorKeys: [counsellorKey], melderKey: await openpgp.readKey({ armoredKey: keys.publicKey }) },
    );
    const answered = await post("mailbox/answer", { mailboxId, armored });
    expect(answered.status).toBeLessThan(300);
    await t.drain();
    const all = await t.outbox();
    expect(all).toHaveLength(3);
    const third = await deskCmd(["import", ...all]);
    expect(third.stdout).toContain("1 ingelezen, 2 al aanwezig, 0 mislukt");
    const thread = await deskCmd(["show", caseCode]);
    const dayOfNow = dayOf(new Date());
    expect(thread.stdout).toContain(`jij antwoordde:\n  Dank je wel. ${REPLY}`);
    expect(thread.stdout).toContain(`[${dayOfNow}] de melder schreef:\n  Ja graag. ${ANSWER}`);
    expect(thread.stdout.indexOf(REPLY)).toBeLessThan(thread.stdout.indexOf(ANSWER));
    expect(t.logs.join("\n")).not.toMatch(new RegExp(`${REPLY}|${ANSWER}|${STORY}|${token}`));
  }, 60_000);
});
