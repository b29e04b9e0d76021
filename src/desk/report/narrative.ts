/**
 * The report's short text ("the most frequent topic was…"), made only from published figures:
 * it takes a PublishedReport, in which a suppressed figure has no value, so a sentence cannot
 * reveal what the tables hide. A "most frequent" claim is made only when every rival figure is
 * known to be smaller (shown and smaller, or "< threshold"); a hidden rival could be larger.
 */
import type { DeskWords } from "../../content/desk-text.ts";
import type { Figure, PublishedLine, PublishedReport } from "./publish.ts";

const value = (f: Figure): number | null => (f.state === "shown" ? f.value : null);

/** The category whose figure is certainly the largest, if there is one. */
export function certainlyLargest<C extends string>(
  lines: readonly PublishedLine<C>[],
): PublishedLine<C> | null {
  let best: PublishedLine<C> | null = null;
  for (const l of lines) {
    const v = value(l.figure);
    if (v !== null && (best === null || v > (value(best.figure) as number))) best = l;
  }
  if (!best) return null;
  const top = value(best.figure) as number;
  for (const l of lines) {
    if (l === best) continue;
    if (l.figure.state === "hidden") return null;
    const v = value(l.figure);
    if (v !== null && v >= top) return null;
  }
  return best;
}

export function narrative(r: PublishedReport, w: DeskWords): string[] {
  const n = w.report.narrative;
  const out: string[] = [];
  if (r.withheld) return [n.withheld(r.year, r.threshold)];
  const total = value(r.total);
  if (r.total.state === "small") return [n.totalSmall(r.year, r.threshold)];
  if (total !== null) out.push(n.total(r.year, total));

  const t = r.topicByQuarter;
  const group = certainlyLargest(
    t.groups.map((g, i) => ({ category: g, figure: t.groupTotals[i] as Figure })),
  );
  if (group && group.category !== "unspecified") {
    out.push(n.topGroup(w.topicGroups[group.category], value(group.figure) as number));
  }
  const quarter = certainlyLargest(
    t.quarters.map((q, i) => ({ category: String(q), figure: t.quarterTotals[i] as Figure })),
  );
  if (quarter) out.push(n.topQuarter(w.report.quarterLong(Number(quarter.category))));

  const [reports, contacts] = r.kind.lines.map((l) => value(l.figure));
  if (reports != null && contacts != null) out.push(n.kinds(reports, contacts));

  const anonymous = value(
    r.anonymity.lines.find((l) => l.category === "anonymous")?.figure ?? { state: "hidden" },
  );
  if (anonymous !== null && total !== null) out.push(n.anonymous(anonymous, total));

  const wish = certainlyLargest(r.wishes.lines);
  if (wish && wish.category !== "not_stated" && wish.category !== "not_sure")
    out.push(n.topWish(w.wishes[wish.category]));

  const integrity = value(r.ack.total);
  const ackOnTime = value(r.ack.lines.find((l) => l.category === "on_time")?.figure ?? { state: "hidden" });
  if (integrity !== null && ackOnTime !== null) out.push(n.ackOnTime(ackOnTime, integrity));
  const fbOnTime = value(
    r.feedback.lines.find((l) => l.category === "on_time")?.figure ?? { state: "hidden" },
  );
  if (integrity !== null && fbOnTime !== null) out.push(n.feedbackOnTime(fbOnTime, integrity));
  return out;
}
