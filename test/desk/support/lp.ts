/**
 * An independent reader of the annual report: linear programming (two-phase simplex with
 * Bland's rule), used to work out the smallest and largest value a suppressed figure can have
 * given everything the report shows. The desk itself answers the same question with max-flow
 * (src/desk/report/circulation.ts); this is a different method on purpose, so a mistake in one is
 * caught by the other.
 *
 * The data are small integers and the constraint matrix is a network matrix (totally
 * unimodular), so every optimum is a whole number: floating point with a tolerance and a final
 * rounding is exact here (and checked: a result that is not near a whole number throws).
 */

export interface LinearSystem {
  /** Number of variables. */
  size: number;
  /** Each row: sum of coefficient × variable = rhs. */
  equalities: { terms: [number, number][]; rhs: number }[];
  lo: number[];
  /** Infinity for no upper bound. */
  hi: number[];
}

const EPS = 1e-9;

/**
 * A feasible basis for { A y = b, y ≥ 0 }, found once (phase I) and reused for every objective.
 * Variables with lo = hi are not variables: they are folded into the right-hand sides.
 */
export class RangeSolver {
  private readonly free: number[];
  private readonly column = new Map<number, number>();
  private tableau: Float64Array[] = [];
  private basis: number[] = [];
  private width = 0;
  private structural = 0;
  readonly feasible: boolean;

  constructor(private readonly sys: LinearSystem) {
    this.free = Array.from({ length: sys.size }, (_, i) => i).filter((i) => sys.lo[i] !== sys.hi[i]);
    this.free.forEach((v, c) => this.column.set(v, c));
    this.feasible = this.phaseOne();
  }

  private phaseOne(): boolean {
    const { sys, free } = this;
    // y = x - lo ≥ 0; a finite upper bound adds y + s = hi - lo.
    const slack = new Map<number, number>();
    let cols = free.length;
    for (const v of free) if (Number.isFinite(sys.hi[v])) slack.set(v, cols++);
    this.structural = cols;
    const rows: { coef: Map<number, number>; rhs: number }[] = [];
    for (const eq of sys.equalities) {
      const coef = new Map<number, number>();
      let rhs = eq.rhs;
      for (const [v, a] of eq.terms) {
        rhs -= a * (sys.lo[v] as number);
        const c = this.column.get(v);
        if (c !== undefined) coef.set(c, (coef.get(c) ?? 0) + a);
      }
      if (coef.size === 0) {
        if (Math.abs(rhs) > EPS) return false; // shown figures that do not add up
        continue;
      }
      rows.push({ coef, rhs });
    }
    for (const [v, s] of slack) {
      rows.push({
        coef: new Map([
          [this.column.get(v) as number, 1],
          [s, 1],
        ]),
        rhs: (sys.hi[v] as number) - (sys.lo[v] as number),
      });
    }
    const m = rows.length;
    this.width = cols + m;
    this.tableau = rows.map((r, i) => {
      const t = new Float64Array(this.width + 1);
      const sign = r.rhs < 0 ? -1 : 1;
      for (const [c, a] of r.coef) t[c] = sign * a;
      t[cols + i] = 1;
      t[this.width] = sign * r.rhs;
      return t;
    });
    this.basis = rows.map((_, i) => cols + i);
    const obj = new Float64Array(this.width);
    for (let j = cols; j < this.width; j++) obj[j] = -1;
    this.run(this.tableau, this.basis, obj, this.width);
    let infeasibility = 0;
    this.basis.forEach((b, i) => {
      if (b >= cols) infeasibility += (this.tableau[i] as Float64Array)[this.width] as number;
    });
    if (infeasibility > EPS) return false;
    // Drive artificial columns out of the basis where a structural one can take their place.
    this.basis.forEach((b, i) => {
      if (b < cols) return;
      const row = this.tableau[i] as Float64Array;
      for (let j = 0; j < cols; j++) {
        if (Math.abs(row[j] as number) > EPS) {
          this.pivot(this.tableau, this.basis, i, j);
          return;
        }
      }
    });
    return true;
  }

  private pivot(T: Float64Array[], basis: number[], r: number, c: number): void {
    const row = T[r] as Float64Array;
    const p = row[c] as number;
    for (let j = 0; j <= this.width; j++) row[j] = (row[j] as number) / p;
    for (let i = 0; i < T.length; i++) {
      if (i === r) continue;
      const other = T[i] as Float64Array;
      const f = other[c] as number;
      if (Math.abs(f) < EPS) continue;
      for (let j = 0; j <= this.width; j++) other[j] = (other[j] as number) - f * (row[j] as number);
    }
    basis[r] = c;
  }

  /** Maximises obj over the tableau; columns ≥ limit may not enter. Bland's rule: no cycling. */
  private run(T: Float64Array[], basis: number[], obj: Float64Array, limit: number): void {
    for (;;) {
      let enter = -1;
      for (let j = 0; j < limit && enter < 0; j++) {
        if (basis.includes(j)) continue;
        let rc = obj[j] as number;
        for (let i = 0; i < T.length; i++)
          rc -= (obj[basis[i] as number] as number) * ((T[i] as Float64Array)[j] as number);
        if (rc > EPS) enter = j;
      }
      if (enter < 0) return;
      let leave = -1;
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < T.length; i++) {
        const a = (T[i] as Float64Array)[enter] as number;
        if (a <= EPS) continue;
        const ratio = ((T[i] as Float64Array)[this.width] as number) / a;
        if (
          ratio < best - EPS ||
          (Math.abs(ratio - best) <= EPS && (basis[i] as number) < (basis[leave] as number))
        ) {
          best = ratio;
          leave = i;
        }
      }
      if (leave < 0) throw new Error("unbounded");
      this.pivot(T, basis, leave, enter);
    }
  }

  private optimum(variable: number, sign: 1 | -1): number {
    const T = this.tableau.map((r) => Float64Array.from(r));
    const basis = [...this.basis];
    const obj = new Float64Array(this.width);
    obj[this.column.get(variable) as number] = sign;
    this.run(T, basis, obj, this.structural);
    let value = 0;
    basis.forEach((b, i) => {
      value += (obj[b] as number) * ((T[i] as Float64Array)[this.width] as number);
    });
    const whole = Math.round(value);
    if (Math.abs(value - whole) > 1e-6) throw new Error("a fractional optimum: the system is not a network");
    return whole;
  }

  /** The range [min, max] of variable `k`, or null when the system has no solution. */
  range(k: number): [number, number] | null {
    if (!this.feasible) return null;
    const lo = this.sys.lo[k] as number;
    if (!this.column.has(k)) return [lo, lo];
    return [lo - this.optimum(k, -1), lo + this.optimum(k, 1)];
  }
}

export function variableRange(sys: LinearSystem, k: number): [number, number] | null {
  return new RangeSolver(sys).range(k);
}
