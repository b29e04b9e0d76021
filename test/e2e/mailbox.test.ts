/**
 * The anonymous follow-up loop in real Chromium, with real Redis and real GnuPG (issue 17,
 * docs/follow-up.md): an anonymous web report opens a mailbox before it is sealed (R shown once,
 * confirmed) → the counsellor reads the FollowUp part with gpg, imports the handoff into their
 * desk and answers with `vertrouwd reply`, then once more with GnuPG itself and curl (the
 * guide's block as it stands) → the melder types R (sloppily) in Chromium, which derives the same
 * id as Node, unlocks the key, decrypts both answers and verifies their signatures →
 * the melder answers → the counsellor decrypts the delivered answer with gpg. A chat report's
 * receipt link opens a mailbox the same way, and the counsellor receives the sealed notice.
 *
 * Canaries in the report, the reply and the answer are never readable in Redis (every key and
 * value of the prefix scanned), the logs or the files; every mailbox key has a TTL; the page keeps
 * nothing in storage or cookies; a typo in R is caught before any request.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDesk } from "../../src/cli/desk.ts";
import { runReply } from "../../src/cli/reply.ts";
import { KEY_ENV, REGISTER_ENV } from "../../src/desk/location.ts";
import { createLinkToken } from "../../src/followup/link-token.ts";
import { deriveMailbox, parseSecret } from "../../src/followup/secret.ts";
import { newCaseIds } from "../../src/handoff/case.ts";
import { parseAnswerPlaintext, parseNoticePlaintext } from "../../src/handoff/follow-up.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { PageDriver } from "../adapters/web/driver.ts";
import { type WebHarness, webHarness } from "../adapters/web/harness.ts";
import { type GnupgHome, counsellorGnupg } from "../crypto/helpers.ts";
import { REDIS_URL, deletePrefix, keysWithPrefix, rawClient, uniquePrefix } from "../store/helpers.ts";
import { launchBrowser } from "../support/browser.ts";
import { captureIo } from "../support/cli-io.ts";
import { guideBlock, sh } from "../support/counsellor-guide.ts";

const REPORT_CANARY = "REPORT-CANARY-91c2";
const REPLY_CANARY = "REPLY-CANARY-4d7e";
const GPG_REPLY_CANARY = "GPG-REPLY-CANARY-91c2";
const ANSWER_CANARY = "ANSWER-CANARY-b3a0";
const CANARIES = [REPORT_CANARY, REPLY_CANARY, GPG_REPLY_CANARY, ANSWER_CANARY];

const prefix = uniquePrefix("web-mailbox-e2e");
let h: WebHarness;
let browser: Browser;
let gpg: GnupgHome;
/** The counsellor's machine: their desk register and the files they work with. */
let desk: string;
const drivers: PageDriver[] = [];
const figures: Record<string, number> = {};

beforeAll(async () => {
  [h, browser] = await Promise.all([
    webHarness({
      env: {
        REDIS_URL,
        VERTROUWD_STATE_KEY: generateStateKey(),
        VERTROUWD_SERVER_SECRET: generateStateKey(),
        VERTROUWD_REDIS_PREFIX: prefix,
      },
      keyPrefix: prefix,
    }),
    launchBrowser(),
  ]);
  gpg = await counsellorGnupg(h.demo.keys);
  // The counsellor trusts their own key, as GnuPG does for a key one made oneself.
  await gpg.gpg(["--import-ownertrust"], `${counsellorOf("demo-extern").fingerprint}:6:\n`);
  desk = await mkdtemp(path.join(tmpdir(), "vt-mailbox-desk-"));
});
afterAll(async () => {
  await browser?.close();
  await gpg?.cleanup();
  if (desk) await rm(desk, { recursive: true, force: true });
  await h?.cleanup();
  await deletePrefix(prefix);
  process.stdout.write(`mailbox figures: ${JSON.stringify(figures)}\n`);
});

async function newPage(): Promise<{ page: Page; d: PageDriver; mailboxRequests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const mailboxRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/mailbox/")) mailboxRequests.push(r.url());
  });
  const d = new PageDriver(page, { axe: true });
  drivers.push(d);
  return { page, d, mailboxRequests };
}

const counsellorOf = (id: string) => {
  const k = h.demo.keys.counsellors.find((c) => c.id === id);
  if (!k) throw new Error(`no demo counsellor ${id}`);
  return k;
};

/** A counsellor's command (`vertrouwd desk …`, `vertrouwd reply …`) in process, with their key and register. */
async function counsellorCli(
  run: typeof runDesk,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, result } = captureIo();
  const code = await run(argv, io, {
    [KEY_ENV]: counsellorOf("demo-extern").privateKeyPath,
    [REGISTER_ENV]: path.join(desk, "register"),
  });
  return { code, ...result() };
}

async function newOutbox(before: Set<string>): Promise<string[]> {
  await h.drain();
  return (await h.outbox()).filter((f) => !before.has(f));
}

describe("the anonymous follow-up loop", () => {
  let secret = "";
  let followUp: { mailboxId: string; melderPublicKey: string; url: string };
  let handoffFile = "";
  let caseCode = "";

  it("opens a mailbox at the end of an anonymous web report, inside the sealed handoff", async () => {
    const { page, d } = await newPage();
    await d.open(h.pageUrl);
    for (const c of ["continue", "ack", "form"]) await d.choose(c);
    for (const o of ["report", "bullying", "counsellor:demo-extern", "anonymous"]) await d.pick(o);
    await d.fill({ what: `Het gebeurde in de kantine. ${REPORT_CANARY}` });
    await d.send({ mailbox: true });
    expect(await d.text()).toContain("Wil je een antwoord kunnen krijgen?");
    expect(await d.text()).toContain("Er komt geen melding");
    expect(await page.locator('nav.safety button[data-mailbox="choice.danger"]').count()).toBe(1);
    await d.mailbox("mailbox.offerYes");
    secret = (await page.locator("#mailbox-secret").innerText()).trim();
    expect(secret).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}-[0-9A-Z]$/);
    expect(await d.text()).toContain("Kwijt is kwijt");
    // Not confirmed: the same screen says so, and nothing is sent.
    await page.click('[data-mailbox="mailbox.continue"]');
    await page.waitForSelector("#first-notice");
    expect(await d.text()).toContain("vink dan aan");
    await page.check("#confirm");
    await d.mailbox("mailbox.continue");
    expect(await d.text()).toContain("Je zaakcode");
    expect(await d.text()).toContain("Mijn brievenbus");
    const keygen = await page.evaluate(
      () => performance.getEntriesByName("vt:mailbox-keygen").at(-1)?.duration,
    );
    figures.keygenMs = Math.round(keygen ?? -1);

    // The counsellor's gpg reads the handoff and its FollowUp part.
    const files = await newOutbox(new Set());
    expect(files).toHaveLength(1);
    const opened = await gpg.gpg(["--decrypt"], await readFile(files[0] as string, "utf8"));
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(REPORT_CANARY);
    const doc = JSON.parse(
      opened.stdout.slice(opened.stdout.indexOf("{"), opened.stdout.lastIndexOf("}") + 1),
    );
    followUp = doc.followUp;
    caseCode = doc.caseCode;
    handoffFile = files[0] as string;
    expect(followUp).toMatchObject({ v: 1, url: h.pageUrl });
    // The browser derived the same id from R as Node does.
    const parsed = parseSecret(secret);
    expect(parsed.ok).toBe(true);
    expect((await deriveMailbox(secret)).mailboxId).toBe(followUp.mailboxId);
    figures.secretChars = secret.replace(/-/g, "").length;
    figures.publicKeyChars = followUp.melderPublicKey.length;
    expect(
      await page.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        cookie: document.cookie,
        idb: (await indexedDB.databases()).length,
      })),
    ).toEqual({ local: 0, session: 0, cookie: "", idb: 0 });
    await page.context().close();
  });

  it("shows the counsellor's signed reply to the melder who types R, and delivers their answer for gpg", async () => {
    // The counsellor imports the handoff into their desk and answers with `vertrouwd reply`:
    // padded, encrypted to the melder and to themselves, signed inside and outside.
    const imported = await counsellorCli(runDesk, ["import", handoffFile]);
    expect(imported.code).toBe(0);
    const message = path.join(desk, "antwoord.txt");
    await writeFile(message, `Dank voor je bericht.\nWil je vertellen wanneer? ${REPLY_CANARY}`);
    const replied = await counsellorCli(runReply, ["--case", caseCode, "--file", message]);
    expect(replied.stderr).toBe("");
    expect(replied.code).toBe(0);
    // A second answer made with GnuPG itself and posted with curl: the guide's block as it stands.
    const manual = path.join(desk, "gpg");
    await mkdir(manual);
    await copyFile(handoffFile, path.join(manual, "handoff.asc"));
    await writeFile(path.join(manual, "msg.txt"), `Ook via GnuPG: ${GPG_REPLY_CANARY}\n`);
    const curl = await sh(await guideBlock(counsellorOf("demo-extern").fingerprint), manual, gpg.home);
    expect(curl.code).toBe(0);
    expect(JSON.parse(curl.stdout.trim())).toEqual({ id: expect.any(String) });
    figures.replyArmoredChars = (await readFile(path.join(manual, "reply.signed.asc"), "utf8")).length;

    const { page, d, mailboxRequests } = await newPage();
    await d.open(h.pageUrl);
    await d.next(() => page.click("nav.sections a"));
    expect(await page.locator("h1").innerText()).toBe("Mijn brievenbus");
    expect(await d.text()).toContain("Er komt geen melding");
    // A typo: caught before any request.
    const typo = secret.replace(/^(.)/, (c) => (c === "A" ? "B" : "A"));
    await page.fill("#field-secret", typo);
    await d.next(() => page.click('[data-mailbox="mailbox.openButton"]'));
    expect(await page.locator("#field-secret-error").innerText()).toContain("tikfout");
    expect(mailboxRequests).toEqual([]);
    // Typed sloppily: lower case, spaces instead of dashes.
    await page.fill("#field-secret", ` ${secret.toLowerCase().replace(/-/g, " ")} `);
    await d.next(() => page.click('[data-mailbox="mailbox.openButton"]'));
    const text = await d.text();
    expect(text).toContain(REPLY_CANARY);
    expect(text).toContain(GPG_REPLY_CANARY);
    expect(await page.locator("ol.thread > li").count()).toBe(2);
    expect(text).toContain("Vertrouwenspersoon ·");
    expect(text).not.toContain("niet ondertekend");
    figures.unlockMs = Math.round(
      (await page.evaluate(() => performance.getEntriesByName("vt:mailbox-unlock").at(-1)?.duration)) ?? -1,
    );
    // The melder answers.
    await page.fill("#field-answer", `Het was op maandag. ${ANSWER_CANARY}`);
    const before = new Set(await h.outbox());
    await d.next(() => page.click('[data-mailbox="mailbox.answerButton"]'));
    expect(await d.text()).toContain("Je antwoord is versleuteld en verstuurd");
    expect(await page.locator("ol.thread > li").count()).toBe(3);
    expect(await d.text()).toContain(ANSWER_CANARY);
    const files = await newOutbox(before);
    expect(files).toHaveLength(1);
    const decrypted = await gpg.gpg(["--decrypt"], await readFile(files[0] as string, "utf8"));
    expect(decrypted.code).toBe(0);
    const answer = parseAnswerPlaintext(decrypted.stdout);
    expect(answer).toMatchObject({
      mailboxId: followUp.mailboxId,
      text: `Het was op maandag. ${ANSWER_CANARY}`,
    });
    figures.answerBytes = (await readFile(files[0] as string, "utf8")).length;
    // Close: R and the messages leave the page.
    await d.mailbox("mailbox.close");
    expect(await d.text()).not.toContain(ANSWER_CANARY);
    await page.context().close();
  });

  it("says clearly when there is no mailbox for an R", async () => {
    const { page, d } = await newPage();
    await d.open(`${h.pageUrl}#mailbox`);
    const other = "0123456789ABCDEFGHJKJ";
    await page.fill("#field-secret", other);
    await d.next(() => page.click('[data-mailbox="mailbox.openButton"]'));
    expect(await page.locator("#field-secret-error").innerText()).toContain("geen brievenbus met deze code");
    // Danger and stop, as on every screen.
    await d.mailbox("choice.danger");
    expect(await page.locator(".notice--danger").first().innerText()).toContain("112");
    await d.mailbox("choice.stop");
    expect(await d.text()).toContain("Gestopt.");
    expect(page.url()).not.toContain("#mailbox");
    await page.context().close();
  });

  it("opens a mailbox from a chat receipt's link, and the counsellor receives the sealed notice", async () => {
    const ids = newCaseIds(new Date());
    const token = await createLinkToken(h.app.vault.store, {
      caseId: ids.caseId,
      caseCode: ids.caseCode,
      counsellorId: "demo-intern",
      locale: "nl",
    });
    const { page, d } = await newPage();
    await d.open(`${h.pageUrl}#mailbox/open?t=${token}`);
    expect(page.url()).not.toContain(token);
    expect(await d.text()).toContain("Wil je een antwoord kunnen krijgen?");
    await d.mailbox("mailbox.offerYes");
    const r = (await page.locator("#mailbox-secret").innerText()).trim();
    await page.check("#confirm");
    const before = new Set(await h.outbox());
    await d.mailbox("mailbox.continue");
    expect(await d.text()).toContain(ids.caseCode);
    const files = await newOutbox(before);
    expect(files).toHaveLength(1);
    const decrypted = await gpg.gpg(["--decrypt"], await readFile(files[0] as string, "utf8"));
    const notice = parseNoticePlaintext(decrypted.stdout);
    expect(notice).toMatchObject({ caseId: ids.caseId, caseCode: ids.caseCode });
    expect(notice.followUp.mailboxId).toBe((await deriveMailbox(r)).mailboxId);
    await page.context().close();
  });

  it("kept every message unreadable in Redis, the logs and the files; every key has a TTL", async () => {
    const client = await rawClient();
    try {
      const keys = await keysWithPrefix(client, prefix);
      expect(keys.filter((k) => k.includes("fu:mb:")).length).toBeGreaterThanOrEqual(4);
      for (const key of keys) {
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
                  : type === "list"
                    ? await client.lRange(key, 0, -1)
                    : [];
        for (const v of [key, ...values]) {
          for (const canary of CANARIES) expect(v).not.toContain(canary);
          expect(v).not.toContain(secret);
        }
        expect(await client.pTTL(key), key).toBeGreaterThan(0);
      }
      figures.mailboxTtlDays = Math.round(
        (await client.pTTL(keys.find((k) => k.includes("fu:mb:")) as string)) / 86_400_000,
      );
    } finally {
      client.destroy();
    }
    // Every request body the server received (the adapter's test hook), raw.
    expect(h.bodies.filter((b) => b.route.startsWith("mailbox_")).length).toBeGreaterThanOrEqual(5);
    for (const body of h.bodies) {
      for (const canary of CANARIES) expect(body.raw).not.toContain(canary);
      expect(body.raw).not.toContain(secret);
    }
    for (const line of h.logs) for (const canary of CANARIES) expect(line).not.toContain(canary);
    for (const f of await h.files()) for (const canary of CANARIES) expect(f.content).not.toContain(canary);
  });

  it("found no serious or critical axe violation on any mailbox screen", () => {
    expect(drivers.reduce((n, d) => n + d.scanned, 0)).toBeGreaterThan(10);
    expect(drivers.flatMap((d) => d.findings)).toEqual([]);
  });
});
