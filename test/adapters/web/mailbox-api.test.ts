/**
 * The follow-up mailbox's API over real HTTP with real Redis and real GnuPG (docs/follow-up.md):
 * opening (web report and receipt link, whose sealed notice reaches the counsellor), reading,
 * the melder's answer (delivered, readable with gpg), the counsellor's signed reply (made with
 * OpenPGP.js and with gpg and curl), and every refusal: wrong signer, unsigned, not encrypted to
 * the melder, malformed, too large, unknown mailbox, used link, bad keys, rate limits. A canary in
 * every message never appears in Redis, and every mailbox key has a TTL.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCounsellorKey } from "../../../src/crypto/keys.ts";
import { createLinkToken } from "../../../src/followup/link-token.ts";
import {
  createMailboxKeys,
  openMailboxMessage,
  sealAnswer,
  unlockMailboxKey,
} from "../../../src/followup/melder.ts";
import { deriveMailbox, newSecret } from "../../../src/followup/secret.ts";
import { newCaseIds } from "../../../src/handoff/case.ts";
import { parseAnswerPlaintext, parseNoticePlaintext } from "../../../src/handoff/follow-up.ts";
import { generateStateKey } from "../../../src/store/index.ts";
import { dayOf } from "../../../src/time/day.ts";
import { type GnupgHome, counsellorGnupg } from "../../crypto/helpers.ts";
import { REDIS_URL, deletePrefix, keysWithPrefix, rawClient, uniquePrefix } from "../../store/helpers.ts";
import { type WebHarness, webHarness } from "./harness.ts";

const run = promisify(execFile);
const CANARY = "MAILBOX-CANARY-5e1d-ÉÉN";
const prefix = uniquePrefix("web-mailbox");
const env = {
  REDIS_URL,
  VERTROUWD_STATE_KEY: generateStateKey(),
  VERTROUWD_SERVER_SECRET: generateStateKey(),
  VERTROUWD_REDIS_PREFIX: prefix,
};

let h: WebHarness;
let gpg: GnupgHome;
const pub = new Map<string, openpgp.PublicKey>();
const priv = new Map<string, openpgp.PrivateKey>();

interface Box {
  secret: string;
  mailboxId: string;
  passphrase: string;
  publicKey: string;
  lockedPrivateKey: string;
  key: openpgp.PublicKey;
  caseId: string;
  caseCode: string;
}

async function newBox(): Promise<Box> {
  const secret = newSecret();
  const { mailboxId, passphrase } = await deriveMailbox(secret);
  const keys = await createMailboxKeys(passphrase);
  const ids = newCaseIds(new Date());
  return {
    secret,
    mailboxId,
    passphrase,
    ...keys,
    key: await openpgp.readKey({ armoredKey: keys.publicKey }),
    caseId: ids.caseId,
    caseCode: ids.caseCode,
  };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.origin}/web/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const openWeb = (b: Box, counsellorId = "demo-extern") =>
  post("mailbox/open", {
    mailboxId: b.mailboxId,
    melderPublicKey: b.publicKey,
    lockedPrivateKey: b.lockedPrivateKey,
    counsellorId,
    caseId: b.caseId,
    caseCode: b.caseCode,
  });

async function postReply(mailboxId: string, body: string, type = "application/pgp-message") {
  const response = await fetch(`${h.origin}/web/mailbox/replies`, {
    method: "POST",
    headers: { "content-type": type, "x-vertrouwd-mailbox": mailboxId },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A counsellor's reply as `vertrouwd reply` makes one: encrypted and signed inside, signed outside. */
async function reply(
  b: Box,
  text: string,
  options: { signer?: string; innerTo?: openpgp.PublicKey[]; outerSigned?: boolean } = {},
) {
  const signer = priv.get(options.signer ?? "demo-extern") as openpgp.PrivateKey;
  const inner = await openpgp.encrypt({
    message: await openpgp.createMessage({ text }),
    encryptionKeys: options.innerTo ?? [b.key, pub.get("demo-extern") as openpgp.PublicKey],
    signingKeys: signer,
    format: "binary",
    config: { aeadProtect: false },
  });
  const literal = await openpgp.createMessage({ binary: inner as Uint8Array });
  if (options.outerSigned === false) return literal.armor();
  return (await openpgp.sign({ message: literal, signingKeys: signer, format: "armored" })) as string;
}

async function read(b: Box, headers: Record<string, string> = {}) {
  return post("mailbox/read", { mailboxId: b.mailboxId }, headers);
}

beforeAll(async () => {
  // Many requests from one client here: the limits have their own test below.
  h = await webHarness({
    env,
    keyPrefix: prefix,
    config: (c) => ({
      ...c,
      followUp: {
        ...c.followUp,
        rateLimit: {
          ...c.followUp.rateLimit,
          opensPerClient: 1000,
          readsPerClient: 1000,
          answersPerClient: 1000,
        },
      },
    }),
  });
  for (const c of h.demo.keys.counsellors) {
    pub.set(
      c.id,
      (
        await loadCounsellorKey(h.demo.config.counsellors.find((x) => x.id === c.id)!.key, c.id, {
          baseDir: h.demo.baseDir,
        })
      ).key,
    );
    priv.set(c.id, await openpgp.readPrivateKey({ armoredKey: await readFile(c.privateKeyPath, "utf8") }));
  }
  gpg = await counsellorGnupg(h.demo.keys);
});
afterAll(async () => {
  await h?.cleanup();
  await gpg?.cleanup();
  await deletePrefix(prefix);
});

describe("opening a mailbox", () => {
  it("opens one for a web report, idempotently, and refuses bad keys and other counsellors' ids", async () => {
    const b = await newBox();
    const opened = await openWeb(b);
    expect(opened.status).toBe(200);
    expect(opened.json).toEqual({ v: 1, caseCode: b.caseCode, counsellorId: "demo-extern" });
    expect((await openWeb(b)).status).toBe(200);
    const got = await read(b);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ v: 1, caseCode: b.caseCode, counsellorId: "demo-extern", messages: [] });
    const unlocked = await unlockMailboxKey(String(got.json.lockedPrivateKey), b.passphrase);
    expect(unlocked.getFingerprint()).toBe(b.key.getFingerprint());

    const other = await newBox();
    // The same id with other keys.
    const clash = await post("mailbox/open", {
      mailboxId: b.mailboxId,
      melderPublicKey: other.publicKey,
      lockedPrivateKey: other.lockedPrivateKey,
      counsellorId: "demo-extern",
      caseId: other.caseId,
      caseCode: other.caseCode,
    });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toBe("mailbox_exists");
    // A locked key that is not the public key's, an unlocked key, a private key as the public one.
    const mismatch = await post("mailbox/open", {
      ...JSON.parse(
        JSON.stringify({
          mailboxId: other.mailboxId,
          melderPublicKey: other.publicKey,
          lockedPrivateKey: b.lockedPrivateKey,
          counsellorId: "demo-extern",
          caseId: other.caseId,
          caseCode: other.caseCode,
        }),
      ),
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.error).toBe("bad_key");
    const plain = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "x" }],
      format: "armored",
      config: { v6Keys: false },
    });
    const unlockedKey = await post("mailbox/open", {
      mailboxId: other.mailboxId,
      melderPublicKey: plain.publicKey,
      lockedPrivateKey: plain.privateKey,
      counsellorId: "demo-extern",
      caseId: other.caseId,
      caseCode: other.caseCode,
    });
    expect(unlockedKey.status).toBe(422);
    expect(unlockedKey.json.message).toMatch(/encrypted with a passphrase/);
    const garbage = await post("mailbox/open", {
      mailboxId: other.mailboxId,
      melderPublicKey: "not a key",
      lockedPrivateKey: other.lockedPrivateKey,
      counsellorId: "demo-extern",
      caseId: other.caseId,
      caseCode: other.caseCode,
    });
    expect(garbage.json.error).toBe("bad_key");
    expect((await openWeb(other, "nobody")).json.error).toBe("unknown_counsellor");
    expect((await post("mailbox/open", { mailboxId: "short" })).status).toBe(400);
  });

  it("opens one from a chat receipt's link once, and the counsellor receives the sealed notice", async () => {
    const b = await newBox();
    const token = await createLinkToken(h.app.vault.store, {
      caseId: b.caseId,
      caseCode: b.caseCode,
      counsellorId: "demo-intern",
      locale: "en",
    });
    const body = {
      mailboxId: b.mailboxId,
      melderPublicKey: b.publicKey,
      lockedPrivateKey: b.lockedPrivateKey,
      linkToken: token,
    };
    const before = new Set(await h.outbox());
    const opened = await post("mailbox/open", body);
    expect(opened.status).toBe(200);
    expect(opened.json).toEqual({ v: 1, caseCode: b.caseCode, counsellorId: "demo-intern" });
    await h.drain();
    const files = (await h.outbox()).filter((f) => !before.has(f));
    expect(files).toHaveLength(1);
    const decrypted = await gpg.gpg(["--decrypt"], await readFile(files[0] as string, "utf8"));
    expect(decrypted.code).toBe(0);
    const notice = parseNoticePlaintext(decrypted.stdout);
    expect(notice).toMatchObject({
      caseId: b.caseId,
      caseCode: b.caseCode,
      locale: "en",
      date: dayOf(new Date()),
    });
    expect(notice.followUp).toMatchObject({ v: 1, mailboxId: b.mailboxId, url: h.pageUrl });
    // Used: a second page (another box) with the same link is refused.
    const again = await newBox();
    const used = await post("mailbox/open", {
      mailboxId: again.mailboxId,
      melderPublicKey: again.publicKey,
      lockedPrivateKey: again.lockedPrivateKey,
      linkToken: token,
    });
    expect(used.status).toBe(410);
    expect(used.json.error).toBe("link_expired");
  });
});

describe("the counsellor's reply and the melder's answer", () => {
  let b: Box;
  beforeAll(async () => {
    b = await newBox();
    expect((await openWeb(b)).status).toBe(200);
  });

  it("stores a signed reply once, which only the melder's key opens, verified as the counsellor's", async () => {
    const signed = await reply(b, `Dag, dank voor je bericht. ${CANARY}`);
    const first = await postReply(b.mailboxId, signed);
    expect(first.status).toBe(201);
    expect(first.json.id).toMatch(/^[0-9a-f]{32}$/);
    const second = await postReply(b.mailboxId, signed);
    expect(second).toEqual(first);
    const got = await read(b);
    const messages = got.json.messages as { id: string; from: string; day: string; armored: string }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ id: first.json.id, from: "counsellor", day: dayOf(new Date()) });
    const privateKey = await unlockMailboxKey(String(got.json.lockedPrivateKey), b.passphrase);
    const opened = await openMailboxMessage(messages[0]!.armored, "counsellor", {
      privateKey,
      counsellor: [pub.get("demo-extern")!],
      deputy: [],
    });
    expect(opened).toEqual({ ok: true, text: `Dag, dank voor je bericht. ${CANARY}`, signed: "counsellor" });
  });

  it("accepts a reply made with gpg and posted with curl", async () => {
    const melderFile = `${gpg.home}/melder.asc`;
    const { writeFile } = await import("node:fs/promises");
    await writeFile(melderFile, b.publicKey);
    await gpg.gpg(["--import", melderFile]);
    const extern = h.demo.keys.counsellors.find((c) => c.id === "demo-extern")!.fingerprint;
    const melderFpr = b.key.getFingerprint().toUpperCase();
    const inner = await gpg.gpg(
      [
        "--trust-model",
        "always",
        "--armor",
        "--encrypt",
        "--sign",
        "-u",
        extern,
        "-r",
        melderFpr,
        "-r",
        extern,
      ],
      `Antwoord via gpg. ${CANARY}\n`,
    );
    expect(inner.code).toBe(0);
    const outer = await gpg.gpg(["--armor", "--sign", "-u", extern], inner.stdout);
    expect(outer.code).toBe(0);
    const outerFile = `${gpg.home}/reply.asc`;
    await writeFile(outerFile, outer.stdout);
    const { stdout } = await run("curl", [
      "-sS",
      "--fail-with-body",
      "-X",
      "POST",
      "-H",
      "content-type: application/pgp-message",
      "-H",
      `x-vertrouwd-mailbox: ${b.mailboxId}`,
      "--data-binary",
      `@${outerFile}`,
      `${h.pageUrl}mailbox/replies`,
    ]);
    expect(JSON.parse(stdout).id).toMatch(/^[0-9a-f]{32}$/);
    const got = await read(b);
    const messages = got.json.messages as { from: string; armored: string }[];
    const privateKey = await unlockMailboxKey(String(got.json.lockedPrivateKey), b.passphrase);
    const last = await openMailboxMessage(messages[messages.length - 1]!.armored, "counsellor", {
      privateKey,
      counsellor: [pub.get("demo-extern")!],
      deputy: [],
    });
    expect(last).toEqual({ ok: true, text: `Antwoord via gpg. ${CANARY}`, signed: "counsellor" });
  });

  it("refuses a reply signed by another key, unsigned, not for the melder, malformed, too large, or for no mailbox", async () => {
    const wrongSigner = await postReply(b.mailboxId, await reply(b, "x", { signer: "demo-intern" }));
    expect(wrongSigner.status).toBe(403);
    expect(wrongSigner.json.error).toBe("wrong_signer");
    const unsigned = await postReply(b.mailboxId, await reply(b, "x", { outerSigned: false }));
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.error).toBe("not_signed");
    const notForMelder = await postReply(
      b.mailboxId,
      await reply(b, "x", { innerTo: [pub.get("demo-extern")!] }),
    );
    expect(notForMelder.status).toBe(422);
    expect(notForMelder.json.error).toBe("wrong_recipients");
    const signedText = (await openpgp.sign({
      message: await openpgp.createMessage({ text: "plain words" }),
      signingKeys: priv.get("demo-extern")!,
    })) as string;
    expect((await postReply(b.mailboxId, signedText)).json.error).toBe("not_a_message");
    expect(
      (await postReply(b.mailboxId, "-----BEGIN PGP MESSAGE-----\n\nnonsense\n-----END PGP MESSAGE-----\n"))
        .status,
    ).toBe(422);
    expect((await postReply(b.mailboxId, "x".repeat(300_000))).status).toBe(413);
    expect((await postReply(b.mailboxId, await reply(b, "x"), "text/plain")).status).toBe(415);
    const nobody = await postReply("A".repeat(43), await reply(b, "x"));
    expect(nobody.status).toBe(404);
    expect(nobody.json.error).toBe("no_mailbox");
  });

  it("takes the melder's answer, sealed to the counsellor and the mailbox, and delivers it for gpg", async () => {
    const before = new Set(await h.outbox());
    const answer = {
      v: 1 as const,
      caseId: b.caseId,
      caseCode: b.caseCode,
      mailboxId: b.mailboxId,
      messageId: randomUUID(),
      date: dayOf(new Date()),
      locale: "nl" as const,
      text: `Dank je. ${CANARY}`,
    };
    const armored = await sealAnswer(answer, { counsellorKeys: [pub.get("demo-extern")!], melderKey: b.key });
    const sent = await post("mailbox/answer", { mailboxId: b.mailboxId, armored });
    expect(sent.status).toBe(200);
    expect(sent.json.status).toBe("queued");
    await h.drain();
    const files = (await h.outbox()).filter((f) => !before.has(f));
    expect(files).toHaveLength(1);
    const decrypted = await gpg.gpg(["--decrypt"], await readFile(files[0] as string, "utf8"));
    expect(parseAnswerPlaintext(decrypted.stdout)).toEqual(answer);
    // The same answer again (a retry): stored and delivered once.
    expect((await post("mailbox/answer", { mailboxId: b.mailboxId, armored })).json.id).toBe(sent.json.id);
    await h.drain();
    expect((await h.outbox()).filter((f) => !before.has(f))).toHaveLength(1);
    // The melder re-reads their own answer.
    const got = await read(b);
    const messages = got.json.messages as { from: string; armored: string }[];
    expect(messages.map((m) => m.from)).toEqual(["counsellor", "counsellor", "melder"]);
    const privateKey = await unlockMailboxKey(String(got.json.lockedPrivateKey), b.passphrase);
    expect(
      await openMailboxMessage(messages[2]!.armored, "melder", { privateKey, counsellor: [], deputy: [] }),
    ).toEqual({
      ok: true,
      text: `Dank je. ${CANARY}`,
      signed: "none",
    });

    // Not to the counsellor, or not padded: refused, nothing queued.
    const notCounsellor = await sealAnswer(answer, {
      counsellorKeys: [pub.get("demo-intern")!],
      melderKey: b.key,
    });
    const refused = await post("mailbox/answer", { mailboxId: b.mailboxId, armored: notCounsellor });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe("wrong_recipients");
    const unpadded = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: "x" }),
      encryptionKeys: [pub.get("demo-extern")!, b.key],
    });
    expect((await post("mailbox/answer", { mailboxId: b.mailboxId, armored: unpadded })).json.error).toBe(
      "wrong_size",
    );
    expect((await post("mailbox/answer", { mailboxId: "B".repeat(43), armored })).status).toBe(404);
    expect(
      (await post("mailbox/answer", { mailboxId: b.mailboxId, armored: "x".repeat(120_000) })).status,
    ).toBe(413);
  });

  it("keeps nothing readable in Redis, and every mailbox key has a TTL of about the retention", async () => {
    const client = await rawClient();
    try {
      const all = await keysWithPrefix(client, prefix);
      const mailboxKeys = all.filter((k) => k.includes("fu:mb:"));
      expect(mailboxKeys.length).toBeGreaterThan(4);
      const retentionMs = h.app.config.followUp.retentionDays * 86_400_000;
      for (const key of all) {
        expect(key).not.toContain(b.mailboxId);
        const type = await client.type(key);
        const values =
          type === "string"
            ? [String(await client.get(key))]
            : type === "zset"
              ? await client.zRange(key, 0, -1)
              : type === "set"
                ? await client.sMembers(key)
                : type === "hash"
                  ? Object.values(await client.hGetAll(key))
                  : [];
        for (const v of values) {
          expect(v).not.toContain(CANARY);
          expect(v).not.toContain("MAILBOX-CANARY");
          expect(v).not.toContain(b.secret);
          expect(v).not.toContain(b.passphrase);
        }
        const ttl = await client.pTTL(key);
        expect(ttl, key).toBeGreaterThan(0);
        if (key.includes("fu:mb:")) {
          expect(ttl).toBeGreaterThan(retentionMs - 60_000);
          expect(ttl).toBeLessThanOrEqual(retentionMs + 26 * 3_600_000);
        }
      }
    } finally {
      client.destroy();
    }
    for (const line of h.logs) expect(line).not.toContain("MAILBOX-CANARY");
    for (const f of await h.files()) expect(f.content).not.toContain("MAILBOX-CANARY");
  });
});

describe("look-ups: one answer for every unknown id, and limits", () => {
  it("answers 404 no_mailbox for an unknown id, and limits look-ups per client", async () => {
    const limited = await webHarness({
      env: { ...env },
      keyPrefix: prefix,
      config: (c) => ({
        ...c,
        followUp: {
          ...c.followUp,
          rateLimit: {
            ...c.followUp.rateLimit,
            readsPerClient: 3,
            readFailuresOverall: 5,
            opensPerClient: 2,
            repliesPerClient: 2,
            answersPerClient: 2,
          },
        },
      }),
      web: { trustedProxies: 1 },
    });
    try {
      const ask = (ip: string) =>
        fetch(`${limited.origin}/web/mailbox/read`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": ip },
          body: JSON.stringify({ mailboxId: randomUUID().replace(/-/g, "").padEnd(43, "x") }),
        }).then(async (r) => ({
          status: r.status,
          json: (await r.json()) as Record<string, unknown>,
          retry: r.headers.get("retry-after"),
        }));
      const one = await ask("203.0.113.9");
      expect(one.status).toBe(404);
      expect(one.json).toEqual({
        error: "no_mailbox",
        message: expect.stringMatching(/never opened, or it expired/),
      });
      await ask("203.0.113.9");
      await ask("203.0.113.9");
      const fourth = await ask("203.0.113.9");
      expect(fourth.status).toBe(429);
      expect(Number(fourth.retry)).toBeGreaterThan(0);
      // Misses over all clients together: past the ceiling every look-up waits.
      for (const ip of ["198.51.100.1", "198.51.100.2"]) await ask(ip);
      const shut = await ask("198.51.100.3");
      expect(shut.status).toBe(429);
      expect(shut.json.message).toMatch(/unknown mailboxes/);
      // Opening, answering and replying are limited per client too (counted before anything else).
      for (const path of ["mailbox/open", "mailbox/answer"]) {
        const statuses = [];
        for (let i = 0; i < 3; i++) {
          const r = await fetch(`${limited.origin}/web/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.50" },
            body: "{}",
          });
          statuses.push(r.status);
        }
        expect(statuses, path).toEqual([400, 400, 429]);
      }
      const replies = [];
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${limited.origin}/web/mailbox/replies`, {
          method: "POST",
          headers: {
            "content-type": "application/pgp-message",
            "x-forwarded-for": "192.0.2.51",
            "x-vertrouwd-mailbox": "x",
          },
          body: "x",
        });
        replies.push(r.status);
      }
      expect(replies).toEqual([400, 400, 429]);
    } finally {
      await limited.cleanup();
    }
  });
});

describe("a counsellor with a deputy", () => {
  it("takes a reply signed by the deputy, and an answer only when sealed to both", async () => {
    const withDeputy = await webHarness({
      env: { ...env },
      keyPrefix: prefix,
      config: (c) => ({
        ...c,
        followUp: {
          ...c.followUp,
          rateLimit: {
            ...c.followUp.rateLimit,
            opensPerClient: 1000,
            readsPerClient: 1000,
            answersPerClient: 1000,
          },
        },
        counsellors: c.counsellors.map((x) =>
          x.id === "demo-extern"
            ? {
                ...x,
                deputy: {
                  ...(c.counsellors.find((y) => y.id === "demo-intern")?.key as typeof x.key),
                  name: "Sanne",
                },
              }
            : x,
        ),
      }),
    });
    try {
      const b = await newBox();
      const at = (path: string, body: unknown) =>
        fetch(`${withDeputy.origin}/web/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));
      expect(
        (
          await at("mailbox/open", {
            mailboxId: b.mailboxId,
            melderPublicKey: b.publicKey,
            lockedPrivateKey: b.lockedPrivateKey,
            counsellorId: "demo-extern",
            caseId: b.caseId,
            caseCode: b.caseCode,
          })
        ).status,
      ).toBe(200);
      const byDeputy = await fetch(`${withDeputy.origin}/web/mailbox/replies`, {
        method: "POST",
        headers: { "content-type": "application/pgp-message", "x-vertrouwd-mailbox": b.mailboxId },
        body: await reply(b, "Van de vervanger.", { signer: "demo-intern" }),
      });
      expect(byDeputy.status).toBe(201);
      const answer = {
        v: 1 as const,
        caseId: b.caseId,
        caseCode: b.caseCode,
        mailboxId: b.mailboxId,
        messageId: randomUUID(),
        date: dayOf(new Date()),
        locale: "nl" as const,
        text: "Dank.",
      };
      const extern = pub.get("demo-extern") as openpgp.PublicKey;
      const intern = pub.get("demo-intern") as openpgp.PublicKey;
      const onlyCounsellor = await sealAnswer(answer, { counsellorKeys: [extern], melderKey: b.key });
      const refused = await at("mailbox/answer", { mailboxId: b.mailboxId, armored: onlyCounsellor });
      expect(refused.status).toBe(422);
      expect(refused.json.error).toBe("wrong_recipients");
      const both = await sealAnswer(answer, { counsellorKeys: [extern, intern], melderKey: b.key });
      expect((await at("mailbox/answer", { mailboxId: b.mailboxId, armored: both })).status).toBe(200);
      // The melder's page tells the deputy's reply apart.
      const got = await at("mailbox/read", { mailboxId: b.mailboxId });
      const messages = got.json.messages as { from: "counsellor" | "melder"; armored: string }[];
      const privateKey = await unlockMailboxKey(String(got.json.lockedPrivateKey), b.passphrase);
      expect(
        await openMailboxMessage(messages[0]?.armored as string, "counsellor", {
          privateKey,
          counsellor: [extern],
          deputy: [intern],
        }),
      ).toEqual({ ok: true, text: "Van de vervanger.", signed: "deputy" });
    } finally {
      await withDeputy.cleanup();
    }
  });
});
