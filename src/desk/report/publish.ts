/**
 * From counts to the figures that may be published: every identity between the report's tables
 * as one circulation (see circulation.ts), suppression on it (suppress.ts), and the result as
 * `Figure`s — a value, "< threshold", or hidden. Renderers and the narrative see only this
 * published form, never a raw count.
 *
 * The circulation, one node per line of the drawing:
 *
 *   s ──R_g──▶ r_g ──x_gq──▶ q ──C_q──▶ t ──kind──▶ n1 ──counsellor──▶ n2 ──wish──▶ n3 ──anonymity──▶ n4 ──G──▶ s
 *   s ──R_integrity──▶ a ──ack timeliness──▶ b ──feedback timeliness──▶ r_integrity
 *
 * Parallel edges between two nodes are the categories of one table; the flow through them is
 * that table's total. Every partition of the year's total is a step of the same cycle, and the
 * two Wbk tables split the integrity row total on its way from s to its row.
 */
import { TOPIC_GROUPS, type TopicGroup } from "../../../flows/domain.ts";
import { TIMELINESS, type Timeliness } from "../deadlines.ts";
import { CannotProtectError, type ReportEdge, type Visibility, suppress } from "./suppress.ts";
import {
  ANONYMITY,
  type AnonymityCategory,
  COUNSELLOR_KINDS,
  type CounsellorCategory,
  KINDS,
  type KindCategory,
  QUARTERS,
  type Quarter,
  type RawTables,
  WISH_CATEGORIES,
  type WishCategory,
} from "./tabulate.ts";

export type Figure = { state: "shown"; value: number } | { state: "small" } | { state: "hidden" };

export interface PublishedLine<C extends string> {
  category: C;
  figure: Figure;
}

export interface PublishedTable<C extends string> {
  total: Figure;
  lines: PublishedLine<C>[];
}

export interface PublishedReport {
  year: number;
  threshold: number;
  /**
   * So few cases that no pattern of hidden figures protects them: every figure is withheld and
   * the report says only that.
   */
  withheld: boolean;
  total: Figure;
  topicByQuarter: {
    groups: readonly TopicGroup[];
    quarters: readonly Quarter[];
    cells: Figure[][];
    groupTotals: Figure[];
    quarterTotals: Figure[];
  };
  kind: PublishedTable<KindCategory>;
  counsellorKind: PublishedTable<CounsellorCategory>;
  wishes: PublishedTable<WishCategory>;
  anonymity: PublishedTable<AnonymityCategory>;
  /** Totals are the integrity row's total. */
  ack: PublishedTable<Timeliness>;
  feedback: PublishedTable<Timeliness>;
}

/** The circulation for a year's tables; exported so tests can audit it independently. */
export function reportNetwork(t: RawTables): { nodes: number; edges: ReportEdge[] } {
  const S = 0;
  const row = (g: number) => 1 + g;
  const col = (q: number) => 5 + q;
  const T = 9;
  const A = 10;
  const B = 11;
  const chain = [T, 12, 13, 14, 15];
  const edges: ReportEdge[] = [];
  const integrity = TOPIC_GROUPS.indexOf("integrity");
  const rowTotals = t.topicByQuarter.map((r) => r.reduce((a, b) => a + b, 0));

  TOPIC_GROUPS.forEach((g, gi) => {
    edges.push({
      id: `group.${g}`,
      from: S,
      to: gi === integrity ? A : row(gi),
      value: rowTotals[gi] as number,
      role: "margin",
    });
  });
  for (const k of TIMELINESS) edges.push({ id: `ack.${k}`, from: A, to: B, value: t.ack[k], role: "cell" });
  for (const k of TIMELINESS) {
    edges.push({ id: `feedback.${k}`, from: B, to: row(integrity), value: t.feedback[k], role: "cell" });
  }
  TOPIC_GROUPS.forEach((g, gi) => {
    QUARTERS.forEach((q, qi) => {
      const value = (t.topicByQuarter[gi] as number[])[qi] as number;
      edges.push({ id: `cell.${g}.q${q}`, from: row(gi), to: col(qi), value, role: "cell" });
    });
  });
  QUARTERS.forEach((q, qi) => {
    const value = t.topicByQuarter.reduce((a, r) => a + (r[qi] as number), 0);
    edges.push({ id: `quarter.q${q}`, from: col(qi), to: T, value, role: "margin" });
  });
  const partitions: [string, Record<string, number>, readonly string[]][] = [
    ["kind", t.kind, KINDS],
    ["counsellor", t.counsellorKind, counsellorCategories(t)],
    ["wish", t.wishes, WISH_CATEGORIES],
    ["anonymity", t.anonymity, ANONYMITY],
  ];
  partitions.forEach(([name, counts, categories], i) => {
    for (const c of categories) {
      edges.push({
        id: `${name}.${c}`,
        from: chain[i] as number,
        to: chain[i + 1] as number,
        value: counts[c] as number,
        role: "cell",
      });
    }
  });
  const grand = rowTotals.reduce((a, b) => a + b, 0);
  edges.push({ id: "total", from: chain[4] as number, to: S, value: grand, role: "grand" });
  return { nodes: 16, edges };
}

/**
 * "unknown" appears only when a version 1 handoff is among the year's cases: its absence says
 * nothing about a person, and a standing empty line would force a real figure to be hidden.
 */
function counsellorCategories(t: RawTables): readonly CounsellorCategory[] {
  return t.counsellorKind.unknown > 0 ? COUNSELLOR_KINDS : COUNSELLOR_KINDS.filter((k) => k !== "unknown");
}

export function publish(t: RawTables, threshold: number): PublishedReport {
  const { nodes, edges } = reportNetwork(t);
  let vis: Visibility[];
  let withheld = false;
  try {
    vis = suppress(nodes, edges, threshold);
  } catch (err) {
    if (!(err instanceof CannotProtectError)) throw err;
    withheld = true;
    vis = edges.map(() => "hidden");
  }
  const byId = new Map<string, Figure>();
  edges.forEach((e, i) => byId.set(e.id, figure(e.value, vis[i] as Visibility)));
  const fig = (id: string): Figure => {
    const f = byId.get(id);
    if (!f) throw new Error(`no figure ${id}`);
    return f;
  };
  const table = <C extends string>(
    prefix: string,
    categories: readonly C[],
    total: Figure,
  ): PublishedTable<C> => ({
    total,
    lines: categories.map((c) => ({ category: c, figure: fig(`${prefix}.${c}`) })),
  });
  const total = fig("total");
  const integrityTotal = fig("group.integrity");
  return {
    year: t.year,
    threshold,
    withheld,
    total,
    topicByQuarter: {
      groups: TOPIC_GROUPS,
      quarters: QUARTERS,
      cells: TOPIC_GROUPS.map((g) => QUARTERS.map((q) => fig(`cell.${g}.q${q}`))),
      groupTotals: TOPIC_GROUPS.map((g) => fig(`group.${g}`)),
      quarterTotals: QUARTERS.map((q) => fig(`quarter.q${q}`)),
    },
    kind: table("kind", KINDS, total),
    counsellorKind: table("counsellor", counsellorCategories(t), total),
    wishes: table("wish", WISH_CATEGORIES, total),
    anonymity: table("anonymity", ANONYMITY, total),
    ack: table("ack", TIMELINESS, integrityTotal),
    feedback: table("feedback", TIMELINESS, integrityTotal),
  };
}

function figure(value: number, v: Visibility): Figure {
  return v === "shown" ? { state: "shown", value } : { state: v };
}
