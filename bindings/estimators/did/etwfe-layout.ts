// The regressors of Wooldridge's extended TWFE, laid out by cohort x period cell. In etwfe's regression
//   y ~ .Dtreat:i(cohort, i.time) / x_dm + x + i(cohort, x) + i(time, x) | cohort + time
// (x_dm: each control demeaned within its cohort) every regressor is, inside one cohort x period cell, an
// affine function of the row's controls: value = a . z with z = (1, x_1, ..., x_k). So the whole model is
// described by a short list of (column, a) entries per cell, and every crossproduct the fit needs is a sum
// over cells of a' S_c a with S_c the cell's sums of z z' (etwfe-compressed.ts): the cost of a fit no
// longer grows with rows x columns, which keeps a million-row panel with many interactions fast.
// Cohort and period fixed effects are the cells' own dummies (an intercept, cohort and period dummies
// without their reference levels): the same column space as absorbing them.

export type ColumnKind = "fe" | "x" | "cohort_x" | "time_x" | "cell" | "cell_x";

export interface EtwfeLayout {
  /** Controls (k); z has k + 1 entries. */
  readonly k: number;
  /** Cohort levels: index 0 is the control group (never treated, or the last cohort), then the treated cohorts. */
  readonly cohorts: readonly number[];
  readonly periods: readonly number[];
  readonly names: readonly string[];
  readonly kinds: readonly ColumnKind[];
  /** Per column of kind "cell" / "cell_x": its cell (cohort index * T + period index); -1 otherwise. */
  readonly cellOfColumn: Int32Array;
  /** Per cell: the columns it touches and their coefficient vectors a (k + 1 per column, flat). */
  readonly entries: ReadonlyArray<{ readonly cols: Int32Array; readonly a: Float64Array }>;
}

export interface LayoutInput {
  readonly cohortName: string;
  readonly timeName: string;
  readonly controls: readonly string[];
  readonly cohorts: readonly number[];
  readonly periods: readonly number[];
  /** Cells whose treatment dummy enters (cohort index >= 1), given as cell ids a * T + t. */
  readonly treatedCells: readonly number[];
  /** Cohort means of each control, [a * k + l]. */
  readonly means: Float64Array;
}

/** fixest's names for etwfe's terms, so results read like the R package's. */
export const cellName = (cohortName: string, g: number, timeName: string, t: number) => `.Dtreat:${cohortName}::${g}:${timeName}::${t}`;

export function etwfeLayout(inp: LayoutInput): EtwfeLayout {
  const { controls, cohorts, periods } = inp;
  const k = controls.length;
  const A = cohorts.length;
  const T = periods.length;
  const names: string[] = [];
  const kinds: ColumnKind[] = [];
  const cellCol: number[] = [];
  const add = (name: string, kind: ColumnKind, cell = -1) => {
    names.push(name);
    kinds.push(kind);
    cellCol.push(cell);
    return names.length - 1;
  };
  // Fixed effects first, so that collinearity drops the interactions rather than them (fixest absorbs the
  // fixed effects before it looks at the regressors).
  const intercept = add("(Intercept)", "fe");
  const cohortDummy = cohorts.map((g, a) => (a === 0 ? -1 : add(`${inp.cohortName}::${g}`, "fe")));
  const timeDummy = periods.map((t, j) => (j === 0 ? -1 : add(`${inp.timeName}::${t}`, "fe")));
  const xCol = controls.map((x) => add(x, "x"));
  const cohortX = cohorts.map((g, a) => controls.map((x) => (a === 0 ? -1 : add(`${inp.cohortName}::${g}:${x}`, "cohort_x"))));
  const timeX = periods.map((t, j) => controls.map((x) => (j === 0 ? -1 : add(`${inp.timeName}::${t}:${x}`, "time_x"))));
  const cells = [...inp.treatedCells].sort((p, q) => p - q);
  const cellColumn = new Map<number, number>();
  for (const c of cells) {
    const a = Math.floor(c / T);
    cellColumn.set(c, add(cellName(inp.cohortName, cohorts[a], inp.timeName, periods[c % T]), "cell", c));
  }
  const cellX = new Map<number, number[]>();
  for (const c of cells) {
    const base = names[cellColumn.get(c)!];
    cellX.set(c, controls.map((x) => add(`${base}:${x}_dm`, "cell_x", c)));
  }

  const entries = [];
  const unit = (l: number) => {
    const v = new Float64Array(k + 1);
    v[l] = 1;
    return v;
  };
  for (let a = 0; a < A; a++) {
    for (let j = 0; j < T; j++) {
      const c = a * T + j;
      const cols: number[] = [];
      const vecs: Float64Array[] = [];
      const push = (col: number, v: Float64Array) => {
        if (col < 0) return;
        cols.push(col);
        vecs.push(v);
      };
      push(intercept, unit(0));
      push(cohortDummy[a], unit(0));
      push(timeDummy[j], unit(0));
      for (let l = 0; l < k; l++) {
        push(xCol[l], unit(l + 1));
        push(cohortX[a][l], unit(l + 1));
        push(timeX[j][l], unit(l + 1));
      }
      const cc = cellColumn.get(c);
      if (cc !== undefined) {
        push(cc, unit(0));
        cellX.get(c)!.forEach((col, l) => {
          // x_l - mean of x_l in the cohort: a = e_{l+1} - mean e_0
          const v = unit(l + 1);
          v[0] = -inp.means[a * k + l];
          push(col, v);
        });
      }
      const a2 = new Float64Array(cols.length * (k + 1));
      vecs.forEach((v, i) => a2.set(v, i * (k + 1)));
      entries.push({ cols: Int32Array.from(cols), a: a2 });
    }
  }
  return { k, cohorts, periods, names, kinds, cellOfColumn: Int32Array.from(cellCol), entries };
}
