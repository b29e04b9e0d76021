/**
 * 200 handoffs sealed to a GnuPG-made key → imported → the annual report: its counts equal the
 * expected table exactly, no small figure is shown or can be worked out from what is shown, and
 * nothing a melder or the counsellor typed, no case code and no date finer than a quarter appears
 * in the report, the CSV, or anywhere unencrypted.
 */
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPIC_GROUPS } from "../../flows/domain.ts";
import { deskWords } from "../../src/content/desk-text.ts";
import { loadCases } from "../../src/desk/actions.ts";
import { buildAnnualReport, writeAnnualReport } from "../../src/desk/report/annual-report.ts";
import { publish } from "../../src/desk/report/publish.ts";
import { tabulate } from "../../src/desk/report/tabulate.ts";
import { launchBrowser, recordRequests } from "../support/browser.ts";
import { CANARY, type DeskFixture, FIXTURE_TODAY, REPORT_YEAR, buildFixture } from "./fixture.ts";
import { auditCsv, parseReportCsv } from "./support/audit.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Set to refresh the screenshot in docs/counsellor.md. */
const UPDATE_DOCS_IMAGES = process.env.VERTROUWD_UPDATE_DOCS_IMAGES === "1";

let fx: DeskFixture;

beforeAll(async () => {
  fx = await buildFixture();
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe("the annual report of the 200-handoff fixture", () => {
  it("counts exactly the expected table", async () => {
    const { cases } = await loadCases(fx.ctx);
    expect(cases).toHaveLength(fx.docs.length);
    const raw = tabulate(cases, REPORT_YEAR, FIXTURE_TODAY);
    const e = fx.expected;
    expect(e.total).toBe(200);
    expect(raw.topicByQuarter).toEqual(TOPIC_GROUPS.map((g) => e.byGroupQuarter[g]));
    expect(raw.kind).toEqual(e.kind);
    expect(raw.counsellorKind).toEqual(e.counsellorKind);
    expect(raw.wishes).toEqual(e.wishes);
    expect(raw.anonymity).toEqual(e.anonymity);
    expect(raw.ack).toEqual(e.ack);
    expect(raw.feedback).toEqual(e.feedback);
  });

  for (const locale of ["nl", "en"] as const) {
    for (const threshold of [5, 3]) {
      it(`${locale}, threshold ${threshold}: every shown figure is right, and no small one can be worked out`, async () => {
        const { cases } = await loadCases(fx.ctx);
        const report = buildAnnualReport(cases, {
          year: REPORT_YEAR,
          locale,
          threshold,
          today: FIXTURE_TODAY,
        });
        const w = deskWords(locale);
        const figures = parseReportCsv(report.csv, w.report.csv.separator);

        // The truth for every CSV row, from the independently counted table.
        const e = fx.expected;
        const truth = new Map<string, number>();
        const grid = w.report.tables.topicByQuarter;
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        for (const g of TOPIC_GROUPS) {
          e.byGroupQuarter[g].forEach((n, qi) =>
            truth.set(`${grid}|${w.topicGroups[g]}|${w.report.quarter(qi + 1)}`, n),
          );
          truth.set(`${grid}|${w.topicGroups[g]}|${w.report.total}`, sum(e.byGroupQuarter[g]));
        }
        for (let qi = 0; qi < 4; qi++) {
          truth.set(
            `${grid}|${w.report.total}|${w.report.quarter(qi + 1)}`,
            sum(TOPIC_GROUPS.map((g) => e.byGroupQuarter[g][qi] as number)),
          );
        }
        truth.set(`${grid}|${w.report.total}|${w.report.total}`, e.total);
        const oneWay = <K extends string>(
          title: string,
          counts: Record<K, number>,
          labels: Record<K, string>,
        ) => {
          for (const k of Object.keys(counts) as K[]) {
            if (k === "unknown" && counts[k] === 0) continue;
            truth.set(`${title}|${labels[k]}|`, counts[k]);
          }
          truth.set(`${title}|${w.report.total}|`, sum(Object.values(counts) as number[]));
        };
        oneWay(w.report.tables.kind, e.kind, w.kinds);
        oneWay(w.report.tables.anonymity, e.anonymity, w.anonymity);
        oneWay(w.report.tables.counsellorKind, e.counsellorKind, w.counsellorKinds);
        oneWay(w.report.tables.wishes, e.wishes, w.wishes);
        oneWay(w.report.tables.ack, e.ack, w.timeliness);
        oneWay(w.report.tables.feedback, e.feedback, w.timeliness);

        expect(figures.length).toBe(truth.size);
        let small = 0;
        let hidden = 0;
        for (const f of figures) {
          const n = truth.get(`${f.table}|${f.category}|${f.column}`);
          expect(n, `${f.table} / ${f.category} / ${f.column}`).toBeDefined();
          if (f.value === `< ${threshold}`) {
            expect(n).toBeLessThan(threshold);
            small++;
          } else if (f.value === "x") {
            expect(n).toBeGreaterThanOrEqual(threshold);
            hidden++;
          } else {
            expect(Number(f.value), `${f.table} / ${f.category} / ${f.column}`).toBe(n);
            expect(n).toBeGreaterThanOrEqual(threshold);
          }
        }
        // The fixture is built to need both kinds of suppression.
        expect(small).toBeGreaterThan(0);
        expect(hidden).toBeGreaterThan(0);

        // A reader with every shown figure and every identity cannot pin down any small one.
        const audited = auditCsv(figures, locale, threshold);
        expect(audited).toHaveLength(small);
        for (const a of audited) {
          expect(a.range[0], `${a.table} / ${a.category} / ${a.column}`).toBeLessThan(a.range[1]);
          expect(a.range[0]).toBeGreaterThanOrEqual(0);
          expect(a.range[1]).toBeLessThan(threshold);
        }

        // The narrative only repeats shown figures.
        const story = report.html.slice(
          report.html.indexOf('<section class="summary"'),
          report.html.indexOf("</section>", report.html.indexOf('<section class="summary"')),
        );
        let words = story.replace(/<[^>]*>/g, " ").replace(/&[a-z]+;|&#\d+;/g, " ");
        for (const q of [1, 2, 3, 4]) words = words.replaceAll(w.report.quarterLong(q), "");
        for (const n of words.match(/\d+/g) ?? []) {
          const v = Number(n);
          if (v === REPORT_YEAR || v === threshold) continue;
          expect(
            figures.some((f) => f.value === n),
            `narrative number ${n}`,
          ).toBe(true);
        }
      });
    }
  }

  it("holds no canary, no case code, no date finer than a quarter; the register holds nothing readable", async () => {
    const { cases } = await loadCases(fx.ctx);
    const outDir = path.join(fx.root, "out");
    for (const locale of ["nl", "en"] as const) {
      const report = buildAnnualReport(cases, {
        year: REPORT_YEAR,
        locale,
        threshold: 5,
        today: FIXTURE_TODAY,
      });
      await writeAnnualReport(report, outDir);
    }
    const codes = fx.docs.map((d) => d.caseCode);
    const ids = fx.docs.map((d) => d.caseId);
    const outputs = await filesUnder(outDir);
    expect(outputs.map((f) => path.basename(f)).sort()).toEqual([
      "annual-report-2026.csv",
      "annual-report-2026.html",
      "jaarverslag-2026.csv",
      "jaarverslag-2026.html",
    ]);
    for (const file of outputs) {
      const text = await readFile(file, "utf8");
      expect(text).not.toContain(CANARY);
      expect(text).not.toMatch(/KANARIE|d3sk/);
      for (const c of codes) expect(text).not.toContain(c);
      for (const id of ids) expect(text).not.toContain(id);
      expect(text, file).not.toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/);
      expect(text).not.toMatch(/\b\d{1,2}[-/.]\d{1,2}[-/.](19|20)\d\d\b/);
      expect(text).not.toMatch(/https?:|\/\/[a-z]/i);
    }
    // Every file of the register, as stored: armored OpenPGP, no canary, nothing else.
    for (const file of await filesUnder(fx.registerDir)) {
      const bytes = await readFile(file);
      const text = bytes.toString("utf8");
      expect(text.startsWith("-----BEGIN PGP MESSAGE-----"), file).toBe(true);
      expect(text).not.toContain(CANARY);
      for (const c of codes.slice(0, 20)) expect(text).not.toContain(c);
    }
  });

  it("the published form has no raw counts behind a suppressed figure", async () => {
    const { cases } = await loadCases(fx.ctx);
    const published = publish(tabulate(cases, REPORT_YEAR, FIXTURE_TODAY), 5);
    const json = JSON.stringify(published);
    // Suppressed figures carry no value at all, so nothing downstream can leak one.
    expect(json).not.toMatch(/"state":"(small|hidden)","value"/);
  });
});

describe("the annual report in Chromium", () => {
  it("renders its tables and charts, makes no request, prints to PDF; screenshot for the docs", async () => {
    const { cases } = await loadCases(fx.ctx);
    const report = buildAnnualReport(cases, {
      year: REPORT_YEAR,
      locale: "nl",
      threshold: 5,
      today: FIXTURE_TODAY,
    });
    const file = path.join(fx.root, "chromium", report.names.html);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, report.html);
    const url = pathToFileURL(file).href;

    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({
        viewport: { width: 1100, height: 900 },
        deviceScaleFactor: 1,
      });
      const requests = recordRequests(context);
      const problems: string[] = [];
      const page = await context.newPage();
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(url, { waitUntil: "load" });

      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
      expect(await page.title()).toBe("Jaarverslag vertrouwenspersoon 2026");

      // The cells in the page are the CSV's figures, in the same order.
      const cells = await page.$$eval("td.num", (tds) => tds.map((td) => td.textContent ?? ""));
      const csv = parseReportCsv(report.csv, ";").map((f) => f.value);
      expect(cells).toEqual(csv);
      // Eight charts, each drawn with a size, with bars for the shown figures.
      const charts = await page.$$eval("svg.chart", (svgs) =>
        svgs.map((s) => ({
          w: s.getBoundingClientRect().width,
          h: s.getBoundingClientRect().height,
          bars: s.querySelectorAll("rect").length,
        })),
      );
      expect(charts).toHaveLength(8);
      for (const c of charts) {
        expect(c.w).toBeGreaterThan(200);
        expect(c.h).toBeGreaterThan(40);
      }
      expect(charts.reduce((a, c) => a + c.bars, 0)).toBeGreaterThan(20);

      const pdf = await page.pdf({ format: "A4", printBackground: true });
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(6);
      expect(requests).toEqual([url]);

      const shot = await page.screenshot({ fullPage: true, type: "png" });
      expect(shot.length).toBeGreaterThan(20_000);
      await writeFile(path.join(fx.root, "chromium", "report.png"), shot);
      if (UPDATE_DOCS_IMAGES) {
        await mkdir(path.join(ROOT, "docs/images"), { recursive: true });
        await writeFile(path.join(ROOT, "docs/images/desk-annual-report.png"), shot);
        await page.setViewportSize({ width: 390, height: 800 });
        await writeFile(
          path.join(ROOT, "docs/images/desk-annual-report-phone.png"),
          await page.screenshot({ type: "png" }),
        );
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});
