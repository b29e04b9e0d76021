/**
 * The counsellor's answer made with GnuPG itself and posted with curl (issue 17): the shell block
 * in docs/counsellor.md ("With GnuPG and curl only") is taken from the guide and run as it
 * stands, with real gpg, jq and curl, against the real server (`vertrouwd serve` with the web
 * page, its mailbox endpoints and real Redis) — once from a web report's handoff, once from a
 * chat report's mailbox notice. The melder reads the answer with the mailbox's own code (as the
 * page does) and sees the counsellor signed it; the counsellor's own gpg opens it too. An answer
 * not encrypted to the melder is refused.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "../../src/crypto/seal.ts";
import { amsterdamDate } from "../../src/desk/calendar.ts";
import { createMailboxKeys, openMailboxMessage, unlockMailboxKey } from "../../src/followup/melder.ts";
import { deriveMailbox, newSecret } from "../../src/followup/secret.ts";
import { newCaseIds } from "../../src/handoff/case.ts";
import { renderNoticePlaintext } from "../../src/handoff/follow-up.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { type WebHarness, webHarness } from "../adapters/web/harness.ts";
import { type GnupgHome, createGnupgHome, importSecret, makeDoc } from "../crypto/helpers.ts";
import { REDIS_URL, deletePrefix, uniquePrefix } from "../store/helpers.ts";
import { guideBlock, sh } from "../support/counsellor-guide.ts";

const CANARY = "GPG-ANTWOORD-KANARIE-3e8";
const TODAY = amsterdamDate(new Date());
const prefix = uniquePrefix("reply-gpg");

let root: string;
let gpg: GnupgHome;
let h: WebHarness;
let fingerprint: string;
let counsellorKey: openpgp.PublicKey;

interface Box {
  mailboxId: string;
  passphrase: string;
  publicKey: string;
  caseId: string;
  caseCode: string;
}

/** A mailbox opened as the web page opens one for a web report (before sealing the handoff). */
async function openBox(): Promise<Box> {
  const { mailboxId, passphrase } = await deriveMailbox(newSecret());
  const keys = await createMailboxKeys(passphrase);
  const ids = newCaseIds(new Date());
  const r = await fetch(`${h.pageUrl}mailbox/open`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      mailboxId,
      melderPublicKey: keys.publicKey,
      lockedPrivateKey: keys.lockedPrivateKey,
      counsellorId: "demo-extern",
      caseId: ids.caseId,
      caseCode: ids.caseCode,
    }),
  });
  expect(r.status).toBe(200);
  return { mailboxId, passphrase, publicKey: keys.publicKey, caseId: ids.caseId, caseCode: ids.caseCode };
}

/** What the melder's page shows of the newest message. */
async function melderReads(b: Box) {
  const r = await fetch(`${h.pageUrl}mailbox/read`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mailboxId: b.mailboxId }),
  });
  const json = (await r.json()) as { lockedPrivateKey: string; messages: { armored: string }[] };
  return openMailboxMessage(json.messages.at(-1)?.armored as string, "counsellor", {
    privateKey: await unlockMailboxKey(json.lockedPrivateKey, b.passphrase),
    counsellor: [counsellorKey],
    deputy: [],
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vt-reply-gpg-"));
  h = await webHarness({
    env: {
      REDIS_URL,
      VERTROUWD_STATE_KEY: generateStateKey(),
      VERTROUWD_SERVER_SECRET: generateStateKey(),
      VERTROUWD_REDIS_PREFIX: prefix,
    },
    keyPrefix: prefix,
  });
  const extern = h.demo.keys.counsellors.find((c) => c.id === "demo-extern");
  fingerprint = extern?.fingerprint as string;
  counsellorKey = await openpgp.readKey({
    armoredKey: await readFile(extern?.publicKeyPath as string, "utf8"),
  });
  // The counsellor's own GnuPG: their key, trusted as a key one made oneself is.
  gpg = await createGnupgHome();
  await importSecret(gpg, await readFile(extern?.privateKeyPath as string, "utf8"));
  await gpg.gpg(["--import-ownertrust"], `${fingerprint}:6:\n`);
}, 60_000);

afterAll(async () => {
  await h?.cleanup();
  await gpg?.cleanup();
  await deletePrefix(prefix);
  await rm(root, { recursive: true, force: true });
});

async function runGuide(name: string, sealed: string, text: string) {
  const dir = path.join(root, name);
  await mkdir(dir);
  await writeFile(path.join(dir, "handoff.asc"), sealed);
  await writeFile(path.join(dir, "msg.txt"), text);
  return { dir, ...(await sh(await guideBlock(fingerprint), dir, gpg.home)) };
}

describe("the guide's GnuPG and curl answer, against the real server", () => {
  it("answers a web report from its handoff", async () => {
    const b = await openBox();
    const doc = makeDoc({
      version: 2,
      caseId: b.caseId,
      caseCode: b.caseCode,
      channel: "web",
      counsellorId: "demo-extern",
      date: TODAY,
      followUp: { v: 1, mailboxId: b.mailboxId, melderPublicKey: b.publicKey, url: h.pageUrl },
    });
    const { armored } = await sealHandoff(doc, { recipients: [counsellorKey] });
    const text = `Dank voor je melding. ${CANARY}\nWil je iets meer vertellen?\n`;
    const r = await runGuide("web", armored, text);
    expect(r.stderr).not.toMatch(/error|failed/i);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ id: expect.any(String) });
    expect(await melderReads(b)).toEqual({ ok: true, text: text.trimEnd(), signed: "counsellor" });
    // The counsellor's own GnuPG opens the armored answer it kept (reply.asc).
    const own = await gpg.gpg(["--decrypt", path.join(r.dir, "reply.asc")]);
    expect(own.code).toBe(0);
    expect(own.stdout).toBe(text);
  });

  it("answers a chat report from its mailbox notice", async () => {
    const b = await openBox();
    const notice = renderNoticePlaintext({
      v: 1,
      caseId: b.caseId,
      caseCode: b.caseCode,
      date: TODAY,
      locale: "nl",
      followUp: { v: 1, mailboxId: b.mailboxId, melderPublicKey: b.publicKey, url: h.pageUrl },
    });
    const { armored } = await seal(new TextEncoder().encode(notice), {
      recipients: [counsellorKey],
      day: TODAY,
    });
    const r = await runGuide("notice", armored, `Hallo via de notice ${CANARY}\n`);
    expect(r.code).toBe(0);
    expect(await melderReads(b)).toEqual({
      ok: true,
      text: `Hallo via de notice ${CANARY}`,
      signed: "counsellor",
    });
  });

  it("is refused when the answer is not encrypted to the melder", async () => {
    const b = await openBox();
    const dir = path.join(root, "wrong");
    await mkdir(dir);
    await writeFile(path.join(dir, "msg.txt"), "alleen voor mij\n");
    const r = await sh(
      [
        `gpg --encrypt --sign --local-user ${fingerprint} --recipient ${fingerprint} --armor -o reply.asc msg.txt`,
        `gpg --sign --local-user ${fingerprint} --armor -o reply.signed.asc reply.asc`,
        `curl --fail-with-body --silent --data-binary @reply.signed.asc -H 'content-type: application/pgp-message' -H "x-vertrouwd-mailbox: ${b.mailboxId}" "${h.pageUrl}mailbox/replies"`,
      ].join("\n"),
      dir,
      gpg.home,
    );
    expect(r.code).toBe(22);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: "wrong_recipients" });
  });
});
