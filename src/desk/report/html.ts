import type { Locale } from "../../config/schema.ts";
/**
 * The annual report as one self-contained HTML file: inline CSS, inline SVG charts, no script,
 * no font, no image, no link to anything. A Content-Security-Policy meta tag makes the browser
 * refuse any request even if the file is edited later. Printable to PDF from any browser (A4,
 * tables kept whole on a page).
 */
import type { DeskWords } from "../../content/desk-text.ts";
import { narrative } from "./narrative.ts";
import type { Figure, PublishedReport, PublishedTable } from "./publish.ts";

export function escapeHtml(text: string): string {
  const named: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
  };
  return text.replace(/[&<>"']/g, (c) => named[c] as string);
}

export function figureText(f: Figure, threshold: number): string {
  return f.state === "shown" ? String(f.value) : f.state === "small" ? `< ${threshold}` : "x";
}

interface Bar {
  label: string;
  figure: Figure;
}

const CHART_WIDTH = 320;
const LABEL_HEIGHT = 17;
const BAR_HEIGHT = 12;
const ROW = LABEL_HEIGHT + BAR_HEIGHT + 9;

/**
 * A bar chart: each category's label on its own line with its bar below, so long Dutch labels
 * never collide with the bars at any width. Suppressed figures get no bar, only their symbol.
 */
export function barChart(title: string, bars: readonly Bar[], threshold: number): string {
  const max = Math.max(1, ...bars.map((b) => (b.figure.state === "shown" ? b.figure.value : 0)));
  const span = CHART_WIDTH - 44;
  const height = bars.length * ROW + 4;
  const rows = bars.map((b, i) => {
    const y = 4 + i * ROW;
    const label = `<text x="0" y="${y + 13}" class="lbl">${escapeHtml(b.label)}</text>`;
    const barY = y + LABEL_HEIGHT;
    if (b.figure.state !== "shown") {
      return `${label}<rect x="0" y="${barY}" width="${span}" height="${BAR_HEIGHT}" class="gap"/><text x="6" y="${barY + 10}" class="sup">${escapeHtml(figureText(b.figure, threshold))}</text>`;
    }
    const w = Math.max(2, Math.round((b.figure.value / max) * span));
    return `${label}<rect x="0" y="${barY}" width="${w}" height="${BAR_HEIGHT}" rx="2" class="bar"/><text x="${w + 5}" y="${barY + 10}" class="val">${b.figure.value}</text>`;
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet"><title>${escapeHtml(title)}</title>${rows.join("")}</svg>`;
}

function cell(f: Figure, threshold: number): string {
  const cls = f.state === "shown" ? "num" : `num ${f.state}`;
  return `<td class="${cls}">${escapeHtml(figureText(f, threshold))}</td>`;
}

function simpleTable<C extends string>(
  title: string,
  table: PublishedTable<C>,
  labels: Record<C, string>,
  w: DeskWords,
  threshold: number,
  note?: string,
): string {
  const rows = table.lines
    .map((l) => `<tr><th scope="row">${escapeHtml(labels[l.category])}</th>${cell(l.figure, threshold)}</tr>`)
    .join("");
  const bars = table.lines.map((l) => ({ label: labels[l.category], figure: l.figure }));
  return `<section class="block">
<h2>${escapeHtml(title)}</h2>${note ? `\n<p class="note">${escapeHtml(note)}</p>` : ""}
<table><thead><tr><th scope="col">${escapeHtml(w.report.category)}</th><th scope="col" class="num">${escapeHtml(w.report.count)}</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row">${escapeHtml(w.report.total)}</th>${cell(table.total, threshold)}</tr></tfoot></table>
${barChart(title, bars, threshold)}
</section>`;
}

function topicByQuarter(r: PublishedReport, w: DeskWords): string {
  const t = r.topicByQuarter;
  const th = r.threshold;
  const head = t.quarters
    .map((q) => `<th scope="col" class="num">${escapeHtml(w.report.quarter(q))}</th>`)
    .join("");
  const body = t.groups
    .map(
      (g, gi) =>
        `<tr><th scope="row">${escapeHtml(w.topicGroups[g])}</th>${(t.cells[gi] as Figure[]).map((f) => cell(f, th)).join("")}${cell(t.groupTotals[gi] as Figure, th)}</tr>`,
    )
    .join("");
  const foot = `<tr><th scope="row">${escapeHtml(w.report.total)}</th>${t.quarterTotals.map((f) => cell(f, th)).join("")}${cell(r.total, th)}</tr>`;
  return `<section class="block wide">
<h2>${escapeHtml(w.report.tables.topicByQuarter)}</h2>
<p class="note">${escapeHtml(w.report.tables.topicByQuarterNote)}</p>
<table class="grid"><thead><tr><th scope="col">${escapeHtml(w.report.category)}</th>${head}<th scope="col" class="num">${escapeHtml(w.report.total)}</th></tr></thead>
<tbody>${body}</tbody><tfoot>${foot}</tfoot></table>
<div class="pair">
<figure><figcaption>${escapeHtml(w.report.tables.byTopic)}</figcaption>${barChart(
    w.report.tables.byTopic,
    t.groups.map((g, gi) => ({ label: w.topicGroups[g], figure: t.groupTotals[gi] as Figure })),
    th,
  )}</figure>
<figure><figcaption>${escapeHtml(w.report.tables.byQuarter)}</figcaption>${barChart(
    w.report.tables.byQuarter,
    t.quarters.map((q, qi) => ({ label: w.report.quarterLong(q), figure: t.quarterTotals[qi] as Figure })),
    th,
  )}</figure>
</div>
</section>`;
}

const CSS = `
:root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --bar: #2c5282; --soft: #edf2f7; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0; line-height: 1.45; background: #fff; }
main { max-width: 58rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
header { border-bottom: 3px solid var(--bar); padding-bottom: 0.75rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.75rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 0 0 0.5rem; }
.sub { margin: 0; color: var(--muted); font-size: 1.05rem; }
.asof { margin: 0.35rem 0 0; color: var(--muted); }
.intro p { margin: 0 0 0.6rem; max-width: 48rem; }
.summary { background: var(--soft); border-radius: 6px; padding: 0.9rem 1.2rem; margin: 1.25rem 0; }
.summary ul { margin: 0; padding-left: 1.2rem; }
.blocks { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem 2rem; }
.block { break-inside: avoid; page-break-inside: avoid; margin: 0 0 1.5rem; }
.wide { grid-column: 1 / -1; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; margin-bottom: 0.6rem; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); text-align: left; font-weight: normal; }
thead th { font-weight: 600; border-bottom: 2px solid var(--ink); }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid var(--ink); border-bottom: none; }
.num { text-align: right; white-space: nowrap; }
td.small, td.hidden { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: 0.92rem; margin: 0 0 0.5rem; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
figure { margin: 0; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-bottom: 0.2rem; }
.chart { display: block; width: 100%; max-width: 22rem; height: auto; margin-top: 0.4rem; }
.chart .lbl { font: 12px system-ui, sans-serif; fill: var(--muted); }
.chart .val { font: 11px system-ui, sans-serif; fill: var(--ink); }
.chart .sup { font: italic 10px system-ui, sans-serif; fill: var(--muted); }
.chart .bar { fill: var(--bar); }
.chart .gap { fill: none; stroke: var(--line); stroke-dasharray: 3 3; }
.privacy { border-top: 1px solid var(--line); padding-top: 1rem; margin-top: 0.5rem; }
.privacy ul { padding-left: 1.2rem; }
.legend { color: var(--muted); }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 2rem; }
@media (max-width: 44rem) { .blocks, .pair { grid-template-columns: 1fr; } }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  main { max-width: none; padding: 0; }
  .print-hint { display: none; }
  .summary { background: none; border: 1px solid var(--line); }
  .chart .bar { fill: #2c5282; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  h2 { break-after: avoid; }
}
`;

function tables(r: PublishedReport, w: DeskWords): string {
  const th = r.threshold;
  return `<div class="blocks">
${topicByQuarter(r, w)}
${simpleTable(w.report.tables.kind, r.kind, w.kinds, w, th)}
${simpleTable(w.report.tables.anonymity, r.anonymity, w.anonymity, w, th)}
${simpleTable(w.report.tables.counsellorKind, r.counsellorKind, w.counsellorKinds, w, th)}
${simpleTable(w.report.tables.wishes, r.wishes, w.wishes, w, th)}
${simpleTable(w.report.tables.ack, r.ack, w.timeliness, w, th, w.report.tables.wbkNote)}
${simpleTable(w.report.tables.feedback, r.feedback, w.timeliness, w, th)}
</div>`;
}

export function renderReportHtml(
  r: PublishedReport,
  w: DeskWords,
  locale: Locale,
  asOf: { quarter: number; year: number },
): string {
  const th = r.threshold;
  const story = narrative(r, w);
  const csp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(w.report.title(r.year))}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(w.report.title(r.year))}</h1>
<p class="sub">${escapeHtml(w.report.subtitle)}</p>
<p class="asof">${escapeHtml(w.report.asOf(asOf.quarter, asOf.year))}</p>
</header>
<section class="intro">${w.report.intro.map((p) => `<p>${escapeHtml(p)}</p>`).join("")}</section>
<section class="summary" aria-labelledby="summary-h">
<h2 id="summary-h">${escapeHtml(w.report.summaryHeading)}</h2>
${story.length > 0 ? `<ul>${story.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>` : `<p>${escapeHtml(w.report.noNarrative)}</p>`}
${r.withheld ? "" : `<p class="legend">${escapeHtml(w.report.legendSmall(th))} · ${escapeHtml(w.report.legendHidden)}</p>`}
</section>
${r.withheld ? "" : tables(r, w)}
<section class="privacy">
<h2>${escapeHtml(w.report.privacyHeading)}</h2>
<ul>${w.report
    .privacy(th)
    .map((p) => `<li>${escapeHtml(p)}</li>`)
    .join("")}</ul>
</section>
<footer>
<p>${escapeHtml(w.report.footer)}</p>
<p class="print-hint">${escapeHtml(w.report.printHint)}</p>
</footer>
</main>
</body>
</html>
`;
}
