/**
 * The counsellor's answer made with GnuPG itself and posted with curl (issue 17): the shell block
 * in docs/counsellor.md ("With GnuPG and curl only") is taken from the guide and run as it
 * stands, with real gpg, jq and curl, against a replies endpoint with the contract's semantics —
 * once from a web report's handoff, once from a chat report's mailbox notice. The melder's key
 * opens what the server stored and finds the counsellor's signature; the counsellor's own gpg
 * opens it too. An answer not encrypted to the melder is refused.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "../../src/crypto/seal.ts";
import { amsterdamDate } from "../../src/desk/calendar.ts";
import { renderNoticePlaintext } from "../../src/handoff/follow-up.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { type GnupgHome, createGnupgHome, generateEccKey, makeDoc } from "../crypto/helpers.ts";
import { type RepliesServer, startRepliesServer } from "../support/mailbox-replies.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CANARY = "GPG-ANTWOORD-KANARIE-3e8";
const TODAY = amsterdamDate(new Date());

let root: string;
let gpg: GnupgHome;
let fingerprint: string;
let annaPub: openpgp.PublicKey;
let server: RepliesServer;
let melder: Awaited<ReturnType<typeof generateEccKey>>;

/** The guide's shell block, as a counsellor would copy it. */
async function guideBlock(): Promise<string> {
  const guide = await readFile(path.join(ROOT, "docs/counsellor.md"), "utf8");
  const at = guide.indexOf("<!-- tested: test/desk/reply-gpg-curl.test.ts");
  expect(at).toBeGreaterThan(0);
  const start = guide.indexOf("```sh\n", at) + "```sh\n".length;
  return guide.slice(start, guide.indexOf("```", start));
}

function sh(script: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-eu", "-o", "pipefail", "-c", script], {
      cwd,
      env: { ...process.env, GNUPGHOME: gpg.home, LC_ALL: "C", LANG: "C" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

async function melderReads(message: Uint8Array): Promise<string> {
  const { data, signatures } = await openpgp.decrypt({
    message: await openpgp.readMessage({ binaryMessage: message }),
    decryptionKeys: await openpgp.readPrivateKey({ armoredKey: melder.privateKey }),
    verificationKeys: annaPub,
    expectSigned: true,
    format: "binary",
  });
  await signatures[0]?.verified;
  return new TextDecoder().decode(data as Uint8Array);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vt-reply-gpg-"));
  gpg = await createGnupgHome();
  // A key made by GnuPG itself, as the guide tells the counsellor to make one.
  fingerprint = await gpg.generate("Anna Brievenbus <anna@example.org>", "ed25519", "cv25519");
  annaPub = await openpgp.readKey({ armoredKey: await gpg.exportPublic(fingerprint) });
  melder = await generateEccKey("Brievenbus");
  server = await startRepliesServer([await gpg.exportPublic(fingerprint)]);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await gpg?.cleanup();
  await rm(root, { recursive: true, force: true });
});

async function runGuide(name: string, sealed: string, text: string) {
  const dir = path.join(root, name);
  await mkdir(dir);
  await writeFile(path.join(dir, "handoff.asc"), sealed);
  await writeFile(path.join(dir, "msg.txt"), text);
  const script = (await guideBlock()).replace("<your-key-fingerprint>", fingerprint);
  return { dir, ...(await sh(script, dir)) };
}

describe("the guide's GnuPG and curl answer", () => {
  it("answers a web report from its handoff", async () => {
    const mailboxId = `mbx_${randomUUID().replace(/-/g, "")}`;
    await server.addMailbox(mailboxId, melder.publicKey);
    const doc = makeDoc({
      version: 2,
      channel: "web",
      date: TODAY,
      followUp: { v: 1, mailboxId, melderPublicKey: melder.publicKey, url: server.pageUrl },
    });
    const { armored } = await sealHandoff(doc, { recipients: [annaPub] });
    const text = `Dank voor je melding. ${CANARY}\nWil je iets meer vertellen?\n`;
    const r = await runGuide("web", armored, text);
    expect(r.stderr).not.toMatch(/error|failed/i);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ id: expect.any(String) });
    const stored = server.replies.at(-1);
    expect(stored?.mailboxId).toBe(mailboxId);
    expect(await melderReads(stored?.message as Uint8Array)).toBe(text);
    // The counsellor's own GnuPG opens the armored answer it kept (reply.asc).
    const own = await gpg.gpg(["--decrypt", path.join(r.dir, "reply.asc")]);
    expect(own.code).toBe(0);
    expect(own.stdout).toBe(text);
  });

  it("answers a chat report from its mailbox notice", async () => {
    const mailboxId = `mbx_${randomUUID().replace(/-/g, "")}`;
    await server.addMailbox(mailboxId, melder.publicKey);
    const notice = renderNoticePlaintext({
      v: 1,
      caseId: randomUUID(),
      caseCode: "VT-CHT1-0009",
      date: TODAY,
      locale: "nl",
      followUp: { v: 1, mailboxId, melderPublicKey: melder.publicKey, url: server.pageUrl },
    });
    const { armored } = await seal(new TextEncoder().encode(notice), { recipients: [annaPub], day: TODAY });
    const r = await runGuide("notice", armored, `Hallo via de notice ${CANARY}\n`);
    expect(r.code).toBe(0);
    expect(server.replies.at(-1)?.mailboxId).toBe(mailboxId);
    expect(await melderReads(server.replies.at(-1)?.message as Uint8Array)).toContain(CANARY);
  });

  it("is refused when the answer is not encrypted to the melder", async () => {
    const mailboxId = `mbx_${randomUUID().replace(/-/g, "")}`;
    await server.addMailbox(mailboxId, melder.publicKey);
    const dir = path.join(root, "wrong");
    await mkdir(dir);
    await writeFile(path.join(dir, "msg.txt"), "alleen voor mij\n");
    const r = await sh(
      [
        `gpg --encrypt --sign --local-user ${fingerprint} --recipient ${fingerprint} --armor -o reply.asc msg.txt`,
        `gpg --sign --local-user ${fingerprint} --armor -o reply.signed.asc reply.asc`,
        `curl --fail-with-body --silent --data-binary @reply.signed.asc -H 'content-type: application/pgp-message' -H "x-vertrouwd-mailbox: ${mailboxId}" "${server.pageUrl}mailbox/replies"`,
      ].join("\n"),
      dir,
    );
    expect(r.code).toBe(22);
    expect(server.statuses.at(-1)).toBe(422);
  });
});
