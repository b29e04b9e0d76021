/**
 * Small-cell suppression on many random years, including tiny ones: every published report is
 * read back from its CSV and audited by an independent exact LP (support/lp.ts). No "< t"
 * figure may be pinned to one value; shown figures are true and at least t; hidden ones are at
 * least t (so "x" never stands for a small number).
 */
import { describe, expect, it } from "vitest";
import { TOPIC_GROUPS, WISHES } from "../../flows/domain.ts";
import { deskWords } from "../../src/content/desk-text.ts";
import { TIMELINESS } from "../../src/desk/deadlines.ts";
import { renderReportCsv } from "../../src/desk/report/csv.ts";
import { renderReportHtml } from "../../src/desk/report/html.ts";
import { narrative } from "../../src/desk/report/narrative.ts";
import { publish } from "../../src/desk/report/publish.ts";
import { suppress } from "../../src/desk/report/suppress.ts";
import type { RawTables } from "../../src/desk/report/tabulate.ts";
import { mulberry32 } from "./fixture.ts";
import { auditCsv, parseReportCsv } from "./support/audit.ts";

function randomYear(rnd: () => number, cases: number): RawTables {
  const t: RawTables = {
    year: 2026,
    topicByQuarter: TOPIC_GROUPS.map(() => [0, 0, 0, 0]),
    kind: { report: 0, contact: 0 },
    counsellorKind: { internal: 0, external: 0, unknown: 0 },
    wishes: { heard: 0, advice: 0, informal: 0, mediation: 0, complaint: 0, not_sure: 0, not_stated: 0 },
    anonymity: { anonymous: 0, named: 0 },
    ack: { on_time: 0, late: 0, missing: 0, not_due: 0 },
    feedback: { on_time: 0, late: 0, missing: 0, not_due: 0 },
  };
  // Skewed weights, different per year, so that every table gets small cells somewhere.
  const w = () => Array.from({ length: 8 }, () => rnd() ** 2 + 0.02);
  const [gw, qw, ww] = [w(), w(), w()];
  const pickW = (weights: number[], n: number) => {
    const sum = weights.slice(0, n).reduce((a, b) => a + b, 0);
    let x = rnd() * sum;
    for (let i = 0; i < n; i++) if ((x -= weights[i] as number) < 0) return i;
    return n - 1;
  };
  for (let i = 0; i < cases; i++) {
    const g = pickW(gw, 4);
    const row = t.topicByQuarter[g] as number[];
    const q = pickW(qw, 4);
    row[q] = (row[q] as number) + 1;
    t.kind[rnd() < 0.8 ? "report" : "contact"]++;
    t.counsellorKind[rnd() < 0.1 ? "unknown" : rnd() < 0.6 ? "internal" : "external"]++;
    t.wishes[[...WISHES, "not_stated" as const][pickW(ww, 7)] as keyof RawTables["wishes"]]++;
    t.anonymity[rnd() < 0.5 ? "anonymous" : "named"]++;
    if (TOPIC_GROUPS[g] === "integrity") {
      t.ack[TIMELINESS[pickW([6, 2, 1, 1], 4)] as keyof RawTables["ack"]]++;
      t.feedback[TIMELINESS[pickW([4, 2, 2, 2], 4)] as keyof RawTables["feedback"]]++;
    }
  }
  return t;
}

/** Every figure of the raw year, keyed as the CSV names it. */
function truthOf(t: RawTables, locale: "nl" | "en"): Map<string, number> {
  const w = deskWords(locale);
  const m = new Map<string, number>();
  const grid = w.report.tables.topicByQuarter;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  TOPIC_GROUPS.forEach((g, gi) => {
    const row = t.topicByQuarter[gi] as number[];
    row.forEach((n, qi) => m.set(`${grid}|${w.topicGroups[g]}|${w.report.quarter(qi + 1)}`, n));
    m.set(`${grid}|${w.topicGroups[g]}|${w.report.total}`, sum(row));
  });
  for (let qi = 0; qi < 4; qi++) {
    m.set(
      `${grid}|${w.report.total}|${w.report.quarter(qi + 1)}`,
      sum(t.topicByQuarter.map((r) => r[qi] as number)),
    );
  }
  const grand = sum(t.topicByQuarter.map(sum));
  m.set(`${grid}|${w.report.total}|${w.report.total}`, grand);
  const one = <K extends string>(title: string, counts: Record<K, number>, labels: Record<K, string>) => {
    for (const k of Object.keys(counts) as K[]) m.set(`${title}|${labels[k]}|`, counts[k]);
    m.set(`${title}|${w.report.total}|`, sum(Object.values(counts) as number[]));
  };
  one(w.report.tables.kind, t.kind, w.kinds);
  one(w.report.tables.anonymity, t.anonymity, w.anonymity);
  one(w.report.tables.counsellorKind, t.counsellorKind, w.counsellorKinds);
  one(w.report.tables.wishes, t.wishes, w.wishes);
  one(w.report.tables.ack, t.ack, w.timeliness);
  one(w.report.tables.feedback, t.feedback, w.timeliness);
  return m;
}

function checkYear(
  t: RawTables,
  threshold: number,
  locale: "nl" | "en" = "nl",
): { small: number; hidden: number; withheld: boolean } {
  const w = deskWords(locale);
  const published = publish(t, threshold);
  const figures = parseReportCsv(renderReportCsv(published, w), w.report.csv.separator);
  const truth = truthOf(t, locale);
  let small = 0;
  let hidden = 0;
  for (const f of figures) {
    const n = truth.get(`${f.table}|${f.category}|${f.column}`);
    expect(n, `${f.table}/${f.category}/${f.column}`).toBeDefined();
    if (f.value === `< ${threshold}`) {
      expect(n).toBeLessThan(threshold);
      small++;
    } else if (f.value === "x") {
      expect(n).toBeGreaterThanOrEqual(threshold);
      hidden++;
    } else {
      expect(Number(f.value)).toBe(n);
      expect(n).toBeGreaterThanOrEqual(threshold);
    }
  }
  if (published.withheld) {
    expect(figures).toEqual([]);
    expect(narrative(published, w)).toHaveLength(1);
    return { small, hidden, withheld: true };
  }
  for (const a of auditCsv(figures, locale, threshold)) {
    expect(a.range[0], `${a.table}/${a.category}/${a.column} pinned to ${a.range[0]}`).toBeLessThan(
      a.range[1],
    );
  }
  // The narrative is made from published figures and runs on every outcome.
  narrative(published, w);
  return { small, hidden, withheld: false };
}

describe("small-cell suppression, audited by an independent reader", () => {
  it("holds on 100 random years of 0 to 120 cases, thresholds 3, 5 and 10", () => {
    const rnd = mulberry32(2026);
    let small = 0;
    let hidden = 0;
    const withheld: number[] = [];
    for (let i = 0; i < 100; i++) {
      const cases = i < 10 ? i : Math.floor(rnd() * 120);
      const threshold = [3, 5, 10][i % 3] as number;
      const r = checkYear(randomYear(rnd, cases), threshold, i % 2 === 0 ? "nl" : "en");
      small += r.small;
      hidden += r.hidden;
      // Withholding everything is the last resort, for years of only a few cases.
      if (r.withheld) withheld.push(cases / threshold);
    }
    expect(Math.max(0, ...withheld)).toBeLessThan(3);
    expect(small).toBeGreaterThan(100);
    expect(hidden).toBeGreaterThan(20);
  });

  it("an empty year shows nothing but < 5, and says so", () => {
    const t = randomYear(mulberry32(1), 0);
    const published = publish(t, 5);
    expect(published.total).toEqual({ state: "small" });
    expect(narrative(published, deskWords("nl"))).toEqual([
      "In 2026 kwamen minder dan 5 meldingen en contactverzoeken binnen. Daarom staan er geen aantallen in dit verslag.",
    ]);
    checkYear(t, 5);
  });

  it("a complement that would leave the small figure exact is not enough (5 reports, 0 contact requests)", () => {
    const t = randomYear(mulberry32(2), 0);
    t.topicByQuarter = [
      [5, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ];
    t.kind = { report: 5, contact: 0 };
    t.counsellorKind = { internal: 5, external: 0, unknown: 0 };
    t.wishes = { heard: 5, advice: 0, informal: 0, mediation: 0, complaint: 0, not_sure: 0, not_stated: 0 };
    t.anonymity = { anonymous: 5, named: 0 };
    checkYear(t, 5);
  });

  it("the reader is not blind: without complements, a small figure is pinned", () => {
    const t = randomYear(mulberry32(3), 0);
    t.topicByQuarter = [
      [12, 0, 0, 0],
      [3, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ];
    t.kind = { report: 12, contact: 3 };
    t.counsellorKind = { internal: 15, external: 0, unknown: 0 };
    t.wishes = { heard: 15, advice: 0, informal: 0, mediation: 0, complaint: 0, not_sure: 0, not_stated: 0 };
    t.anonymity = { anonymous: 15, named: 0 };
    t.ack = { on_time: 3, late: 0, missing: 0, not_due: 0 };
    t.feedback = { on_time: 3, late: 0, missing: 0, not_due: 0 };
    const published = publish(t, 5);
    // What a naive report would print: the small figures as "< 5", everything else as is.
    published.kind.lines = published.kind.lines.map((l) => ({
      ...l,
      figure: l.category === "report" ? { state: "shown", value: 12 } : { state: "small" },
    }));
    const w = deskWords("en");
    const audited = auditCsv(parseReportCsv(renderReportCsv(published, w), ","), "en", 5);
    const contact = audited.find((a) => a.table === w.report.tables.kind && a.category === w.kinds.contact);
    expect(contact?.range).toEqual([3, 3]);
  });

  it("withholds every figure when no pattern protects them, and says so", () => {
    const t = randomYear(mulberry32(4), 0);
    t.topicByQuarter = [
      [0, 2, 1, 0],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 0],
    ];
    t.kind = { report: 4, contact: 0 };
    t.counsellorKind = { internal: 2, external: 2, unknown: 0 };
    t.wishes = { heard: 0, advice: 0, informal: 0, mediation: 0, complaint: 2, not_sure: 0, not_stated: 2 };
    t.anonymity = { anonymous: 3, named: 1 };
    const published = publish(t, 3);
    expect(published.withheld).toBe(true);
    const w = deskWords("en");
    const html = renderReportHtml(published, w, "en", { quarter: 1, year: 2027 });
    expect(html).not.toContain("<table");
    expect(html).not.toMatch(/<td|<svg/);
    expect(html).toContain("So few cases came in during 2026");
    expect(parseReportCsv(renderReportCsv(published, w), ",")).toEqual([]);
  });

  it("refuses a threshold below 3", () => {
    expect(() => suppress(1, [{ id: "a", from: 0, to: 0, value: 1, role: "cell" }], 2)).toThrow(/at least 3/);
  });
});
