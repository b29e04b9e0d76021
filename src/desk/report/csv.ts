/**
 * The annual report's figures as CSV, for a spreadsheet: one row per figure, with the same
 * symbols as the HTML ("< 5", "x"). The Dutch file uses ";" as separator and both start with a
 * UTF-8 byte order mark, which is what Excel needs to open them correctly on a Dutch or an
 * English system without an import dialog.
 */
import type { DeskWords } from "../../content/desk-text.ts";
import { figureText } from "./html.ts";
import type { Figure, PublishedReport, PublishedTable } from "./publish.ts";

function field(value: string, sep: string): string {
  return value.includes(sep) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderReportCsv(r: PublishedReport, w: DeskWords): string {
  const sep = w.report.csv.separator;
  const th = r.threshold;
  const rows: string[][] = [
    [w.report.csv.table, w.report.csv.category, w.report.csv.column, w.report.csv.value],
  ];
  // A withheld report has no figures at all, not even hidden ones.
  if (r.withheld) return `\uFEFF${rows.map((row) => row.join(sep)).join("\r\n")}\r\n`;
  const t = r.topicByQuarter;
  const title = w.report.tables.topicByQuarter;
  t.groups.forEach((g, gi) => {
    t.quarters.forEach((q, qi) => {
      rows.push([
        title,
        w.topicGroups[g],
        w.report.quarter(q),
        figureText((t.cells[gi] as Figure[])[qi] as Figure, th),
      ]);
    });
    rows.push([title, w.topicGroups[g], w.report.total, figureText(t.groupTotals[gi] as Figure, th)]);
  });
  t.quarters.forEach((q, qi) => {
    rows.push([title, w.report.total, w.report.quarter(q), figureText(t.quarterTotals[qi] as Figure, th)]);
  });
  rows.push([title, w.report.total, w.report.total, figureText(r.total, th)]);

  const table = <C extends string>(name: string, tab: PublishedTable<C>, labels: Record<C, string>) => {
    for (const l of tab.lines) rows.push([name, labels[l.category], "", figureText(l.figure, th)]);
    rows.push([name, w.report.total, "", figureText(tab.total, th)]);
  };
  table(w.report.tables.kind, r.kind, w.kinds);
  table(w.report.tables.anonymity, r.anonymity, w.anonymity);
  table(w.report.tables.counsellorKind, r.counsellorKind, w.counsellorKinds);
  table(w.report.tables.wishes, r.wishes, w.wishes);
  table(w.report.tables.ack, r.ack, w.timeliness);
  table(w.report.tables.feedback, r.feedback, w.timeliness);
  return `\uFEFF${rows.map((row) => row.map((v) => field(v, sep)).join(sep)).join("\r\n")}\r\n`;
}
