/**
 * The privacy page `vertrouwd serve` serves for the Teams app's links: both languages, the
 * "what each party can obtain" table, rendered in real Chromium and checked with axe-core, a
 * strict CSP that the page itself never trips, and docs/privacy.md generated from the same source.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { FACTS, PARTIES, cellWords, withGeneratedTable } from "../../src/content/privacy.ts";
import { type TestApp, testApp } from "../support/app.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const AXE = path.join(ROOT, "node_modules/axe-core/axe.min.js");

let t: TestApp;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  t = await testApp({
    config: (c) => ({ ...c, organisation: { ...c.organisation, name: "Zoë & <Partners>" } }),
  });
  server = await startServer(t.app, {}, { port: 0, host: "127.0.0.1" });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.cleanup();
});

describe("privacy page", () => {
  it("is served in Dutch by default and in English on request, with strict headers", async () => {
    for (const [query, lang, title] of [
      ["", "nl", "Privacy: wie kan wat zien?"],
      ["?lang=en", "en", "Privacy: who can see what?"],
      ["?lang=xx", "nl", "Privacy: wie kan wat zien?"],
    ] as const) {
      const res = await fetch(`${server.url}/privacy${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-language")).toBe(lang);
      expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`<h1>${title}</h1>`);
      // The organisation's name from the config, escaped.
      expect(html).toContain("Zoë &amp; &lt;Partners&gt;");
      expect(html).not.toContain("<Partners>");
    }
    expect((await fetch(`${server.url}/privacy`, { method: "POST" })).status).toBe(405);
  });

  for (const lang of ["nl", "en"] as const) {
    it(`shows the whole table in real Chromium, accessibly, without tripping its own CSP (${lang})`, async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`${server.url}/privacy?lang=${lang}`);
      const table = await page.evaluate(() => ({
        columns: [...document.querySelectorAll("thead th")].map((th) => th.textContent ?? ""),
        rows: [...document.querySelectorAll("tbody tr")].map((tr) =>
          [...tr.querySelectorAll("th,td")].map((c) => c.textContent ?? ""),
        ),
        terms: document.getElementById("terms")?.textContent ?? "",
      }));
      expect(table.columns).toHaveLength(FACTS.length + 1);
      expect(table.rows).toHaveLength(PARTIES.length);
      PARTIES.forEach((p, i) => {
        expect(table.rows[i]?.[0]).toBe(cellWords(p.name[lang]));
        FACTS.forEach((f, j) => expect(table.rows[i]?.[j + 1]).toBe(cellWords(p.cells[f][lang])));
      });
      expect(table.terms.length).toBeGreaterThan(0);
      // The style is allowed by its hash: a CSP refusal would be a console error.
      expect(
        await page.evaluate(
          () => getComputedStyle(document.querySelector("table") as Element).borderCollapse,
        ),
      ).toBe("collapse");
      // The page allows no script; axe runs through the DevTools protocol, which CSP does not govern.
      await page.evaluate(await readFile(AXE, "utf8"));
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }).axe;
        return (await axe.run()).violations.map((v) => v.id);
      });
      expect(violations).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    }, 60_000);
  }

  it("and docs/privacy.md are generated from one source (npm run docs:privacy)", async () => {
    const doc = await readFile(path.join(ROOT, "docs/privacy.md"), "utf8");
    expect(doc, "docs/privacy.md differs from src/content/privacy.ts: run npm run docs:privacy").toBe(
      withGeneratedTable(doc),
    );
  });
});
