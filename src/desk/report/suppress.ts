/**
 * Small-cell suppression with complementary suppression, for a set of linked tables drawn as
 * one circulation (circulation.ts).
 *
 * Primary: every figure under the threshold (zero included) is shown as "< 5".
 * Complementary: while any "< 5" figure can be worked out to a single value from what is shown
 * (its feasible range, given every shown figure, every identity between the tables, and that a
 * "< 5" is 0–4 and a hidden figure at least 5), one more figure is hidden ("x"). The figure
 * chosen is the one that closes the leak with the least loss: a figure in the same table line
 * first, then one in a table touching it, inner cells before totals, smaller before larger.
 * A last pass shows again every hidden figure that turns out not to be needed.
 *
 * This is the audit-driven form of the classic heuristics (hide the smallest other cell in the
 * row, then in the column): rather than trusting a pattern, every step is checked against what
 * a reader could actually compute, which also covers totals shared between tables.
 */
import { type BoundedEdge, UNBOUNDED, edgeRange } from "./circulation.ts";

/** Inner cells are cheaper to hide than totals, and the year's total is hidden only as a last resort. */
export type CellRole = "cell" | "margin" | "grand";

export interface ReportEdge {
  id: string;
  from: number;
  to: number;
  value: number;
  role: CellRole;
}

export type Visibility = "shown" | "small" | "hidden";

export const MIN_THRESHOLD = 3;

/**
 * No pattern of hidden figures protects every small one: in a very small year, "x is at least
 * the threshold" is itself enough to pin the rest. The report then withholds all figures.
 */
export class CannotProtectError extends Error {
  constructor() {
    super("no suppression pattern protects every small figure");
    this.name = "CannotProtectError";
  }
}
export const DEFAULT_THRESHOLD = 5;

/** What a reader knows about each figure. */
export function readerBounds(
  edges: readonly ReportEdge[],
  vis: readonly Visibility[],
  threshold: number,
): BoundedEdge[] {
  return edges.map((e, i) => {
    const v = vis[i];
    if (v === "shown") return { from: e.from, to: e.to, lo: e.value, hi: e.value };
    if (v === "small") return { from: e.from, to: e.to, lo: 0, hi: threshold - 1 };
    return { from: e.from, to: e.to, lo: threshold, hi: UNBOUNDED };
  });
}

/** The "< 5" figures a reader can pin to one value. */
export function exposedSmallFigures(
  nodes: number,
  edges: readonly ReportEdge[],
  vis: readonly Visibility[],
  threshold: number,
): number[] {
  const bounds = readerBounds(edges, vis, threshold);
  const out: number[] = [];
  for (let i = 0; i < edges.length; i++) {
    if (vis[i] !== "small") continue;
    const range = edgeRange(nodes, bounds, i);
    if (!range || range[0] === range[1]) out.push(i);
  }
  return out;
}

function isExposed(
  nodes: number,
  edges: readonly ReportEdge[],
  vis: readonly Visibility[],
  threshold: number,
  i: number,
) {
  const range = edgeRange(nodes, readerBounds(edges, vis, threshold), i);
  return !range || range[0] === range[1];
}

const ROLE_COST: Record<CellRole, number> = { cell: 0, margin: 1, grand: 2 };

/** Shown figures in the order they are considered as a complement for figure `i`. */
function candidates(edges: readonly ReportEdge[], vis: readonly Visibility[], i: number): number[] {
  const e = edges[i] as ReportEdge;
  const rank = (j: number): number => {
    const c = edges[j] as ReportEdge;
    const parallel = c.from === e.from && c.to === e.to;
    const touching = c.from === e.from || c.to === e.to || c.from === e.to || c.to === e.from;
    const place = parallel ? 0 : touching ? 1 : 2;
    return place * 3 + ROLE_COST[c.role];
  };
  return edges
    .map((_, j) => j)
    .filter((j) => vis[j] === "shown")
    .sort(
      (a, b) => rank(a) - rank(b) || (edges[a] as ReportEdge).value - (edges[b] as ReportEdge).value || a - b,
    );
}

export function suppress(nodes: number, edges: readonly ReportEdge[], threshold: number): Visibility[] {
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD) {
    throw new RangeError(`the suppression threshold must be a whole number of at least ${MIN_THRESHOLD}`);
  }
  const vis: Visibility[] = edges.map((e) => (e.value < threshold ? "small" : "shown"));

  for (let guard = 0; guard <= edges.length; guard++) {
    const exposed = exposedSmallFigures(nodes, edges, vis, threshold);
    const first = exposed[0];
    if (first === undefined) break;
    const order = candidates(edges, vis, first);
    if (order.length === 0) throw new CannotProtectError();
    // The best-ranked figure that closes this leak on its own; otherwise the best-ranked one.
    const fix = order.find((j) => {
      vis[j] = "hidden";
      const still = isExposed(nodes, edges, vis, threshold, first);
      vis[j] = "shown";
      return !still;
    });
    vis[fix ?? (order[0] as number)] = "hidden";
  }
  if (exposedSmallFigures(nodes, edges, vis, threshold).length > 0) {
    throw new CannotProtectError();
  }

  // Show again what is not needed, largest first (those carry the most information).
  const hidden = edges
    .map((_, j) => j)
    .filter((j) => vis[j] === "hidden")
    .sort((a, b) => (edges[b] as ReportEdge).value - (edges[a] as ReportEdge).value);
  for (const j of hidden) {
    vis[j] = "shown";
    if (exposedSmallFigures(nodes, edges, vis, threshold).length > 0) vis[j] = "hidden";
  }
  return vis;
}
