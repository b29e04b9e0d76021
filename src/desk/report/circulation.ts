/**
 * Feasible values of one figure in a set of linked tables, by max-flow.
 *
 * The annual report's tables are all sums of the same cases, and every identity between them
 * ("the quarters add up to the year", "the integrity reports split into on time, late, …") can
 * be drawn as flow conservation in one directed cycle (publish.ts builds it): each published or
 * hidden figure is an edge, and a set of figures is consistent exactly when the edge values form
 * a circulation. Someone who reads the report knows every shown figure exactly, that a "< 5" lies
 * between 0 and 4, and that a hidden figure is at least 5. What they can work out about one hidden
 * figure is then the range of values that edge takes over all circulations within those bounds.
 *
 * Feasibility of a circulation with lower and upper bounds is one max-flow (the textbook
 * reduction to a super source and sink); the range of an edge is found by bisection, since the
 * feasible values of one edge form an interval, and — these constraint matrices being totally
 * unimodular — its ends are whole numbers. Dinic's algorithm; the graphs have a few dozen edges.
 */

export interface BoundedEdge {
  from: number;
  to: number;
  lo: number;
  hi: number;
}

/** A value no count in a report can reach; stands for "no upper bound". */
export const UNBOUNDED = 1_000_000_000;

class FlowGraph {
  private readonly head: number[];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly next: number[] = [];
  private level: number[] = [];
  private iter: number[] = [];

  constructor(private readonly n: number) {
    this.head = new Array<number>(n).fill(-1);
  }

  add(u: number, v: number, c: number): void {
    this.to.push(v, u);
    this.cap.push(c, 0);
    this.next.push(this.head[u] as number, this.head[v] as number);
    this.head[u] = this.to.length - 2;
    this.head[v] = this.to.length - 1;
  }

  private bfs(s: number, t: number): boolean {
    this.level = new Array<number>(this.n).fill(-1);
    this.level[s] = 0;
    const queue = [s];
    for (let qi = 0; qi < queue.length; qi++) {
      const u = queue[qi] as number;
      for (let e = this.head[u] as number; e !== -1; e = this.next[e] as number) {
        const v = this.to[e] as number;
        if ((this.cap[e] as number) > 0 && this.level[v] === -1) {
          this.level[v] = (this.level[u] as number) + 1;
          queue.push(v);
        }
      }
    }
    return this.level[t] !== -1;
  }

  private dfs(u: number, t: number, f: number): number {
    if (u === t) return f;
    for (; (this.iter[u] as number) !== -1; this.iter[u] = this.next[this.iter[u] as number] as number) {
      const e = this.iter[u] as number;
      const v = this.to[e] as number;
      if ((this.cap[e] as number) > 0 && (this.level[v] as number) === (this.level[u] as number) + 1) {
        const d = this.dfs(v, t, Math.min(f, this.cap[e] as number));
        if (d > 0) {
          this.cap[e] = (this.cap[e] as number) - d;
          this.cap[e ^ 1] = (this.cap[e ^ 1] as number) + d;
          return d;
        }
      }
    }
    return 0;
  }

  maxFlow(s: number, t: number): number {
    let flow = 0;
    while (this.bfs(s, t)) {
      this.iter = [...this.head];
      for (
        let f = this.dfs(s, t, Number.POSITIVE_INFINITY);
        f > 0;
        f = this.dfs(s, t, Number.POSITIVE_INFINITY)
      ) {
        flow += f;
      }
    }
    return flow;
  }
}

/** Is there a circulation on `nodes` nodes with every edge's flow within its bounds? */
export function feasible(nodes: number, edges: readonly BoundedEdge[]): boolean {
  const excess = new Array<number>(nodes).fill(0);
  const g = new FlowGraph(nodes + 2);
  const S = nodes;
  const T = nodes + 1;
  for (const e of edges) {
    if (e.lo > e.hi) return false;
    if (e.hi > e.lo) g.add(e.from, e.to, e.hi - e.lo);
    excess[e.to] = (excess[e.to] as number) + e.lo;
    excess[e.from] = (excess[e.from] as number) - e.lo;
  }
  let need = 0;
  for (let v = 0; v < nodes; v++) {
    const x = excess[v] as number;
    if (x > 0) {
      g.add(S, v, x);
      need += x;
    } else if (x < 0) {
      g.add(v, T, -x);
    }
  }
  return g.maxFlow(S, T) === need;
}

/** The smallest and largest value edge `index` can take, or null when the bounds admit no circulation. */
export function edgeRange(
  nodes: number,
  edges: readonly BoundedEdge[],
  index: number,
): [number, number] | null {
  const e = edges[index];
  if (!e || !feasible(nodes, edges)) return null;
  const withBounds = (lo: number, hi: number) => edges.map((x, i) => (i === index ? { ...x, lo, hi } : x));
  // Smallest v with a circulation where the edge lies in [e.lo, v].
  let a = e.lo;
  let b = e.hi;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (feasible(nodes, withBounds(e.lo, mid))) b = mid;
    else a = mid + 1;
  }
  const min = a;
  // Largest v with a circulation where the edge lies in [v, e.hi].
  a = min;
  b = e.hi;
  while (a < b) {
    const mid = Math.ceil((a + b) / 2);
    if (feasible(nodes, withBounds(mid, e.hi))) a = mid;
    else b = mid - 1;
  }
  return [min, a];
}
