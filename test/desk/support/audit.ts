/**
 * Reads a published annual report back from its CSV, as anyone holding the file could, and
 * works out the range of every "< threshold" figure from everything the file shows and every
 * identity between its tables (rows and columns add up; every table adds up to the year's total;
 * the two Wbk tables add up to the integrity row's total).
 */
import { type DeskWords, deskWords } from "../../../src/content/desk-text.ts";
import { type LinearSystem, RangeSolver } from "./lp.ts";

export interface CsvFigure {
  table: string;
  category: string;
  column: string;
  value: string;
}

/** RFC 4180 fields: quoted when they hold the separator, a quote or a line break. */
function splitCsvLine(line: string, separator: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          value += line[i++];
        }
      }
      fields.push(value);
      i++; // the separator
    } else {
      const end = line.indexOf(separator, i);
      const stop = end < 0 ? line.length : end;
      fields.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return fields;
}

export function parseReportCsv(csv: string, separator: string): CsvFigure[] {
  const lines = csv
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .filter(Boolean);
  return lines.slice(1).map((line) => {
    const fields = splitCsvLine(line, separator);
    if (fields.length !== 4) throw new Error(`a CSV line with ${fields.length} fields`);
    const [table, category, column, value] = fields as [string, string, string, string];
    return { table, category, column, value };
  });
}

export interface AuditedFigure extends CsvFigure {
  range: [number, number];
}

export function auditCsv(figures: CsvFigure[], locale: "nl" | "en", threshold: number): AuditedFigure[] {
  const w: DeskWords = deskWords(locale);
  const total = w.report.total;
  const index = new Map<string, number>();
  figures.forEach((f, i) => index.set(`${f.table}|${f.category}|${f.column}`, i));
  const id = (table: string, category: string, column: string): number => {
    const i = index.get(`${table}|${category}|${column}`);
    if (i === undefined) throw new Error(`no figure ${table} / ${category} / ${column}`);
    return i;
  };
  const eqs: LinearSystem["equalities"] = [];
  const sumEquals = (parts: number[], whole: number) =>
    eqs.push({ terms: [...parts.map((p): [number, number] => [p, 1]), [whole, -1]], rhs: 0 });

  const grid = w.report.tables.topicByQuarter;
  const groups = [
    ...new Set(figures.filter((f) => f.table === grid && f.category !== total).map((f) => f.category)),
  ];
  const quarters = [
    ...new Set(figures.filter((f) => f.table === grid && f.column !== total).map((f) => f.column)),
  ];
  for (const g of groups)
    sumEquals(
      quarters.map((q) => id(grid, g, q)),
      id(grid, g, total),
    );
  for (const q of quarters)
    sumEquals(
      groups.map((g) => id(grid, g, q)),
      id(grid, total, q),
    );
  const grand = id(grid, total, total);
  sumEquals(
    groups.map((g) => id(grid, g, total)),
    grand,
  );
  sumEquals(
    quarters.map((q) => id(grid, total, q)),
    grand,
  );

  const t = w.report.tables;
  const integrityTotal = id(grid, w.topicGroups.integrity, total);
  for (const [table, whole] of [
    [t.kind, grand],
    [t.anonymity, grand],
    [t.counsellorKind, grand],
    [t.wishes, grand],
    [t.ack, integrityTotal],
    [t.feedback, integrityTotal],
  ] as const) {
    const lines = figures
      .map((f, i) => ({ f, i }))
      .filter(({ f }) => f.table === table && f.category !== total);
    if (lines.length === 0) throw new Error(`table ${table} is missing`);
    const own = id(table, total, "");
    sumEquals(
      lines.map(({ i }) => i),
      own,
    );
    eqs.push({
      terms: [
        [own, 1],
        [whole, -1],
      ],
      rhs: 0,
    });
  }

  const small = `< ${threshold}`;
  const lo: number[] = [];
  const hi: number[] = [];
  for (const f of figures) {
    if (f.value === small) {
      lo.push(0);
      hi.push(threshold - 1);
    } else if (f.value === "x") {
      lo.push(threshold);
      hi.push(Number.POSITIVE_INFINITY);
    } else if (/^\d+$/.test(f.value)) {
      lo.push(Number(f.value));
      hi.push(Number(f.value));
    } else {
      throw new Error(`unexpected value "${f.value}"`);
    }
  }
  const sys: LinearSystem = { size: figures.length, equalities: eqs, lo, hi };
  const solver = new RangeSolver(sys);
  if (!solver.feasible) throw new Error("the published figures are inconsistent");
  return figures.flatMap((f, i) => {
    if (f.value !== small) return [];
    const range = solver.range(i);
    if (!range) throw new Error("the published figures are inconsistent");
    return [{ ...f, range }];
  });
}
