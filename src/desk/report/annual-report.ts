/**
 * `desk annual-report`: the year's cases → counts → suppression → an HTML and a CSV file.
 * Reads only the register's index (no report text is ever decrypted for it).
 */
import path from "node:path";
import type { Locale } from "../../config/schema.ts";
import { deskWords } from "../../content/desk-text.ts";
import { type CivilDate, quarterOf, yearOf } from "../calendar.ts";
import type { CaseView } from "../cases.ts";
import { DeskError } from "../errors.ts";
import { ensurePrivateDir, writeFileAtomic } from "../files.ts";
import { renderReportCsv } from "./csv.ts";
import { renderReportHtml } from "./html.ts";
import { type PublishedReport, publish } from "./publish.ts";
import { MIN_THRESHOLD } from "./suppress.ts";
import { tabulate } from "./tabulate.ts";

export interface AnnualReportOptions {
  year: number;
  locale: Locale;
  threshold: number;
  today: CivilDate;
}

export interface AnnualReport {
  published: PublishedReport;
  html: string;
  csv: string;
  /** File names without directory, e.g. "jaarverslag-2026.html". */
  names: { html: string; csv: string };
}

export function buildAnnualReport(cases: readonly CaseView[], o: AnnualReportOptions): AnnualReport {
  if (!Number.isInteger(o.threshold) || o.threshold < MIN_THRESHOLD || o.threshold > 1000) {
    throw new DeskError(`--threshold must be a whole number from ${MIN_THRESHOLD} to 1000`, 2);
  }
  const w = deskWords(o.locale);
  let published: PublishedReport;
  try {
    published = publish(tabulate(cases, o.year, o.today), o.threshold);
  } catch {
    throw new DeskError("the figures could not be protected; no report was written");
  }
  const asOf = { quarter: quarterOf(o.today), year: yearOf(o.today) };
  const stem = `${w.report.fileStem}-${o.year}`;
  return {
    published,
    html: renderReportHtml(published, w, o.locale, asOf),
    csv: renderReportCsv(published, w),
    names: { html: `${stem}.html`, csv: `${stem}.csv` },
  };
}

export async function writeAnnualReport(
  report: AnnualReport,
  outDir: string,
): Promise<{ html: string; csv: string }> {
  await ensurePrivateDir(outDir);
  const html = path.join(outDir, report.names.html);
  const csv = path.join(outDir, report.names.csv);
  await writeFileAtomic(html, report.html);
  await writeFileAtomic(csv, report.csv);
  return { html, csv };
}
