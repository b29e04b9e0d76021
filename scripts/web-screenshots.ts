/**
 * The screenshots in docs/web.md and docs/follow-up.md: the secure web page in Dutch, on a phone
 * (390 × 844) and on a desktop (1280 wide), taken from the real page on the demo counsellors in
 * Debian's Chromium — with the anonymous mailbox: the offer, the secret code, the receipt, and
 * the melder reading a counsellor's reply (made here with the demo counsellor's key).
 *
 * Usage: tsx scripts/web-screenshots.ts   (writes docs/images/web-*.png)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { type Page, chromium } from "playwright-core";
import { demoSetup } from "../src/cli/demo-setup.ts";
import { startServer } from "../src/cli/serve.ts";
import { createApp } from "../src/cli/wiring.ts";
import { deriveMailbox } from "../src/followup/secret.ts";
import { silentLogger } from "../src/log/logger.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "docs/images");

async function next(page: Page, act: () => Promise<void>): Promise<void> {
  const before = await page.$eval("section.step", (el) => Number((el as HTMLElement).dataset.step));
  await act();
  await page.waitForFunction((b) => {
    const el = document.querySelector<HTMLElement>("section.step");
    return el !== null && Number(el.dataset.step) > b && el.getAttribute("aria-busy") !== "true";
  }, before);
  // Screenshots without the focus ring a keyboard user would see on the heading.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}
const choose = (page: Page, id: string) => next(page, () => page.click(`button[data-choice="${id}"]`));
async function pick(page: Page, id: string): Promise<void> {
  await page.check(`input[name="option"][value="${id}"]`);
  await next(page, () => page.click('form.answer button[type="submit"]'));
}

async function main(): Promise<void> {
  const home = await mkdtemp(path.join(tmpdir(), "vt-shots-"));
  const demo = await demoSetup(home);
  const config = {
    ...demo.config,
    web: { ...demo.config.web, enabled: true, publicUrl: "http://localhost:3978/web/" },
  };
  const app = await createApp({
    config,
    configDir: demo.baseDir,
    env: {},
    logger: silentLogger(),
    deliveryPollMs: 100,
  });
  const server = await startServer(app, {}, { port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(OUT, `web-${name}.png`), fullPage });
  try {
    // The phone: welcome, a question, the report fields, the receipt.
    const phone = await (
      await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })
    ).newPage();
    await phone.goto(`${server.url}/web/`);
    await phone.waitForSelector("section.step");
    await shot(phone, "phone-welcome");
    await choose(phone, "continue");
    await choose(phone, "ack");
    await choose(phone, "form");
    await pick(phone, "report");
    await shot(phone, "phone-question");
    await pick(phone, "bullying");
    await pick(phone, "counsellor:demo-extern");
    await pick(phone, "anonymous");
    await phone.fill(
      '[name="what"]',
      "Tijdens het werkoverleg maakt een collega steeds grappen over mijn afkomst.",
    );
    await phone.fill('[name="when"]', "Sinds maart, bijna elke week");
    await shot(phone, "phone-report");
    await next(phone, () => phone.click('form.answer button[type="submit"]'));
    await choose(phone, "send");
    // The anonymous mailbox: offered before the report is sealed, the code shown once.
    await shot(phone, "mailbox-offer", true);
    await next(phone, () => phone.click('[data-mailbox="mailbox.offerYes"]'));
    await shot(phone, "mailbox-secret", true);
    const secret = (await phone.locator("#mailbox-secret").innerText()).trim();
    await phone.check("#confirm");
    await next(phone, () => phone.click('[data-mailbox="mailbox.continue"]'));
    await shot(phone, "phone-receipt", true);

    // The counsellor answers (as `vertrouwd reply` or gpg would), the melder reads it.
    const { mailboxId } = await deriveMailbox(secret);
    const box = await (
      await fetch(`${server.url}/web/mailbox/read`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ mailboxId }),
      })
    ).json();
    const pair = demo.keys.counsellors.find((c) => c.id === "demo-extern");
    const counsellorKey = await openpgp.readPrivateKey({
      armoredKey: await readFile(pair?.privateKeyPath as string, "utf8"),
    });
    const inner = await openpgp.encrypt({
      message: await openpgp.createMessage({
        text: "Dag,\n\nDank je voor je bericht. Wat naar dat dit gebeurt.\nWil je me laten weten wat je het liefst wilt? Je mag ook eerst alleen je verhaal kwijt.\n\nGroet, Karim",
      }),
      encryptionKeys: [await openpgp.readKey({ armoredKey: box.melderPublicKey }), counsellorKey.toPublic()],
      signingKeys: counsellorKey,
      format: "binary",
      config: { aeadProtect: false },
    });
    const signed = await openpgp.sign({
      message: await openpgp.createMessage({ binary: inner as Uint8Array }),
      signingKeys: counsellorKey,
    });
    await fetch(`${server.url}/web/mailbox/replies`, {
      method: "POST",
      headers: { "content-type": "application/pgp-message", "x-vertrouwd-mailbox": mailboxId },
      body: signed as string,
    });
    await next(phone, () => phone.click("nav.sections a"));
    await shot(phone, "mailbox-login", true);
    await phone.fill("#field-secret", secret.toLowerCase());
    await next(phone, () => phone.click('[data-mailbox="mailbox.openButton"]'));
    await phone.fill("#field-answer", "Dank je. Ik wil graag eerst advies.");
    await shot(phone, "mailbox-thread", true);

    // The desktop: confidentiality, the counsellors, the review.
    const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await desktop.goto(`${server.url}/web/`);
    await desktop.waitForSelector("section.step");
    await choose(desktop, "continue");
    await shot(desktop, "desktop-confidentiality", true);
    await choose(desktop, "ack");
    await choose(desktop, "form");
    await pick(desktop, "report");
    await pick(desktop, "bullying");
    await shot(desktop, "desktop-counsellor", true);
    await pick(desktop, "counsellor:demo-intern");
    await pick(desktop, "anonymous");
    await desktop.fill(
      '[name="what"]',
      "Mijn leidinggevende schreeuwt in vergaderingen tegen mij, waar anderen bij zijn.",
    );
    await desktop.selectOption('[name="wishes"]', "advice");
    await next(desktop, () => desktop.click('form.answer button[type="submit"]'));
    await shot(desktop, "desktop-review", true);
  } finally {
    await browser.close();
    await server.close();
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
  process.stdout.write(`screenshots written to ${path.relative(process.cwd(), OUT)}/web-*.png\n`);
}

await main();
