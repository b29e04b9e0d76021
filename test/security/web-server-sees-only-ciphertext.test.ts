/**
 * Promise: on the secure web page the story is encrypted in the melder's own browser. The server
 * receives, parses and stores ciphertext only — no report text, no contact details, no choice in
 * readable form, no client address — and the counsellor reads everything with plain GnuPG.
 *
 * In real Chromium (playwright-core, Debian's /usr/bin/chromium) against the real server over
 * HTTP, real Redis as the state store: a complete anonymous report in Dutch and a named one in
 * English, a distinct canary typed into every field. Then: `gpg --decrypt` with the counsellor's
 * key reads every canary; every request body the server parsed, every log line and every key and
 * value in Redis holds none of them; Chromium asked nothing of any origin but the page's own; the
 * page never touched cookies, localStorage, sessionStorage, IndexedDB or the Cache API; no
 * Content-Security-Policy violation; and axe-core finds nothing serious on any screen.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_FIELDS } from "../../flows/domain.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { PageDriver } from "../adapters/web/driver.ts";
import { type WebHarness, webHarness } from "../adapters/web/harness.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { REDIS_URL, deletePrefix, keysWithPrefix, rawClient, uniquePrefix } from "../store/helpers.ts";
import { launchBrowser } from "../support/browser.ts";

const prefix = uniquePrefix("web-ciphertext");
const env = {
  REDIS_URL,
  VERTROUWD_STATE_KEY: generateStateKey(),
  VERTROUWD_SERVER_SECRET: generateStateKey(),
  VERTROUWD_REDIS_PREFIX: prefix,
};

/** A canary per field, unique to this run. */
const run = randomBytes(4).toString("hex");
const canary = (field: string, lang: string) => `KANARIE-${lang}-${field}-${run}`;

let h: WebHarness;
let browser: Browser;
let gpg: GnupgHome;
const requests: string[] = [];
const cspViolations: string[] = [];
const drivers: PageDriver[] = [];

/** Counts every use of a storage API by the page (before any of its scripts run). */
function trapStorage(): void {
  const touched: string[] = [];
  (window as unknown as { __storage: string[] }).__storage = touched;
  for (const name of ["localStorage", "sessionStorage", "indexedDB", "caches"] as const) {
    // Window's attributes live on the object or up its prototype chain, depending on the engine.
    let owner: object | null = window;
    let original: PropertyDescriptor | undefined;
    while (owner && !original) {
      original = Object.getOwnPropertyDescriptor(owner, name);
      owner = Object.getPrototypeOf(owner);
    }
    const get = original?.get;
    if (!get) continue;
    Object.defineProperty(window, name, {
      configurable: true,
      get() {
        touched.push(name);
        return get.call(window);
      },
    });
  }
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(document, "cookie", {
    configurable: true,
    get() {
      touched.push("cookie");
      return cookie?.get?.call(document);
    },
    set(value: string) {
      touched.push("cookie");
      cookie?.set?.call(document, value);
    },
  });
}

async function newPage(): Promise<{ page: Page; context: BrowserContext; driver: PageDriver }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addInitScript(trapStorage);
  context.on("request", (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy|Trusted ?(Type|HTML|Script)/i.test(m.text())) cspViolations.push(m.text());
  });
  const driver = new PageDriver(page, { axe: true });
  drivers.push(driver);
  return { page, context, driver };
}

beforeAll(async () => {
  [h, browser, gpg] = await Promise.all([
    webHarness({ env, keyPrefix: prefix }),
    launchBrowser(),
    createGnupgHome(),
  ]);
  for (const k of h.demo.keys.counsellors) await importSecret(gpg, await readFile(k.privateKeyPath, "utf8"));
});

afterAll(async () => {
  await browser?.close();
  await h?.cleanup();
  await gpg?.cleanup();
  await deletePrefix(prefix);
});

/** The report's fields, each with its own canary. */
const reportValues = (lang: string) =>
  Object.fromEntries([...REPORT_FIELDS.map((f) => [f.id, canary(f.id, lang)]), ["wishes", "mediation"]]);

/** The case id the page sent, and the decrypted handoff the counsellor reads with gpg. */
async function decryptLatest(): Promise<{ caseId: string; text: string }> {
  const sent = h.bodies.filter((b) => b.route === "handoff");
  const caseId = (sent[sent.length - 1]?.parsed as { caseId: string }).caseId;
  await h.drain();
  const file = path.join(h.demo.outboxDir, `${caseId}.asc`);
  const result = await gpg.gpg(["--decrypt"], await readFile(file, "utf8"));
  expect(result.code, result.stderr).toBe(0);
  return { caseId, text: result.stdout };
}

describe("the secure web page sends only ciphertext", () => {
  it("delivers a complete anonymous report in Dutch, readable with gpg", async () => {
    const { page, context, driver: d } = await newPage();
    await d.open(h.pageUrl);
    expect(await page.getAttribute("html", "lang")).toBe("nl");
    await d.choose("continue");
    await d.choose("ack");
    await d.choose("form");
    await d.pick("report");
    await d.pick("bullying");
    await d.pick("counsellor:demo-extern");
    await d.pick("anonymous");
    await d.fill(reportValues("nl"));
    expect(await d.text()).toContain(canary("what", "nl"));
    await d.send();
    expect(await d.text()).toMatch(/Je zaakcode: VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);

    const { text } = await decryptLatest();
    for (const f of REPORT_FIELDS) expect(text).toContain(canary(f.id, "nl"));
    expect(text).toContain('"channel": "web"');
    expect(text).toContain('"anonymity": "anonymous"');
    expect(text).not.toContain('"contact"');
    // The receipt shows "delivered" once the melder asks.
    await d.choose("refresh");
    expect(await d.text()).toContain("afgeleverd bij de vertrouwenspersoon");
    await context.close();
  });

  it("delivers a complete named report in English, readable with gpg", async () => {
    const { page, context, driver: d } = await newPage();
    await d.open(h.pageUrl);
    await d.choose("lang_en");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await d.choose("continue");
    await d.choose("ack");
    await d.choose("form");
    await d.pick("report");
    await d.pick("integrity");
    await d.pick("counsellor:demo-intern");
    await d.pick("named");
    // No "via this chat" on the web: the contact details are typed straight away.
    expect(await page.locator('input[name="option"][value="via_chat"]').count()).toBe(0);
    await d.fill({ name: canary("name", "en"), route: canary("route", "en") });
    await d.fill(reportValues("en"));
    await d.send();
    expect(await d.text()).toMatch(/Your case code: VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);

    const { text } = await decryptLatest();
    for (const f of REPORT_FIELDS) expect(text).toContain(canary(f.id, "en"));
    expect(text).toContain(canary("name", "en"));
    expect(text).toContain(canary("route", "en"));
    expect(text).toContain('"anonymity": "named"');
    expect(text).not.toContain("chatHandle");
    await context.close();
  });

  it("gave the server nothing readable: parsed bodies, logs and Redis hold no canary and no address", async () => {
    const canaries = ["nl", "en"].flatMap((lang) =>
      [...REPORT_FIELDS.map((f) => f.id), "name", "route"].map((field) => canary(field, lang)),
    );
    const handoffs = h.bodies.filter((b) => b.route === "handoff");
    expect(handoffs).toHaveLength(2);
    for (const body of h.bodies) {
      for (const c of canaries) {
        expect(body.raw).not.toContain(c);
        expect(JSON.stringify(body.parsed)).not.toContain(c);
      }
    }
    // A handoff is exactly a counsellor id, a random case id and an OpenPGP message: nothing else.
    for (const body of handoffs) {
      const parsed = body.parsed as Record<string, string>;
      expect(Object.keys(parsed).sort()).toEqual(["armored", "caseId", "counsellorId"]);
      expect(parsed.armored).toMatch(
        /^-----BEGIN PGP MESSAGE-----\n\n[A-Za-z0-9+/=\n]+-----END PGP MESSAGE-----\n?$/,
      );
    }
    const logs = h.logs.join("\n");
    for (const c of canaries) expect(logs).not.toContain(c);
    expect(logs).not.toContain("127.0.0.1");
    expect(logs).not.toMatch(/bullying|integrity|mediation|demo-intern|demo-extern/);

    const client = await rawClient();
    try {
      for (const key of await keysWithPrefix(client, prefix)) {
        const type = await client.type(key);
        const value =
          type === "zset"
            ? (await client.zRange(key, 0, -1)).join(",")
            : type === "set"
              ? (await client.sMembers(key)).join(",")
              : ((await client.get(key)) ?? "");
        for (const c of canaries) expect(`${key} ${value}`).not.toContain(c);
        expect(`${key} ${value}`).not.toContain("127.0.0.1");
        expect(await client.pTTL(key), key).toBeGreaterThan(0);
      }
    } finally {
      client.destroy();
    }
  });

  it("asked nothing of any other origin, used no storage, broke no CSP rule, and passed axe on every screen", async () => {
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((u) => new URL(u).origin !== h.origin)).toEqual([]);
    expect(cspViolations).toEqual([]);
    const scanned = drivers.reduce((n, d) => n + d.scanned, 0);
    expect(scanned).toBeGreaterThanOrEqual(20);
    expect(drivers.flatMap((d) => d.findings)).toEqual([]);

    const { page, context } = await newPage();
    await page.goto(h.pageUrl);
    await page.waitForSelector("section.step");
    await page.click('button[data-choice="continue"]');
    const touched = () => page.evaluate(() => (window as unknown as { __storage: string[] }).__storage);
    expect(await touched()).toEqual([]);
    expect(await context.cookies()).toEqual([]);

    // The traps and the CSP listener do see what they look for: a use of each is recorded.
    await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
    expect(await touched()).toEqual(["localStorage", "sessionStorage", "cookie"]);
    const before = cspViolations.length;
    const blocked = await page.evaluate(() => {
      try {
        document.body.innerHTML = "<b>x</b>";
        return false;
      } catch {
        return true;
      }
    });
    expect(blocked).toBe(true);
    await expect.poll(() => cspViolations.length).toBeGreaterThan(before);
    await context.close();
  });
});
