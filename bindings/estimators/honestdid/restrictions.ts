// The restriction sets Delta = {delta : A delta <= d} of Rambachan and Roth (2023), over the event-study
// coefficients' bias delta = (delta_pre, delta_post) with the reference period's delta_0 = 0 left out
// (numPre + numPost columns), built as HonestDiD 0.2.8 builds them:
//
// Delta^SD(M), smoothness: every second difference of (delta_pre, 0, delta_post) is within [-M, M].
// Delta^RM(Mbar), relative magnitudes: every post-period first difference is at most Mbar times the
//   largest pre-period first difference. As HonestDiD does, it is the union over s (the pre-period
//   difference that is the largest, s = -(numPre - 1), ..., 0) and its sign of polyhedra
//     |delta_t - delta_{t-1}| <= sign (delta_s - delta_{s-1})          for pre-periods t <= 0,
//     |delta_t - delta_{t-1}| <= Mbar sign (delta_s - delta_{s-1})     for post-periods t >= 1.
// Inference restricts to the moments that involve a post-period ("post-period moments only", HonestDiD's
// default): the others do not change the identified set.
import { mat, type Mat } from "./dense.js";

export interface Restriction {
  readonly A: Mat;
  readonly d: Float64Array;
  /** Rows the conditional test uses (those with a post-period entry). */
  readonly testRows: readonly number[];
}

/** Drops column `c` (the reference period). */
function withoutColumn(rows: number[][], c: number): number[][] {
  return rows.map((r) => r.filter((_, j) => j !== c));
}

const toMat = (rows: number[][], cols: number): Mat => {
  const m = mat(rows.length, cols);
  rows.forEach((r, i) => m.data.set(r, i * cols));
  return m;
};

function postRows(rows: number[][], numPre: number): number[] {
  const out: number[] = [];
  rows.forEach((r, i) => r.slice(numPre).some((v) => v !== 0) && out.push(i));
  return out;
}

/** Delta^SD(M). */
export function smoothnessRestriction(numPre: number, numPost: number, M: number): Restriction {
  const T = numPre + numPost;
  const tilde: number[][] = [];
  for (let r = 0; r < T - 1; r++) {
    const row = new Array<number>(T + 1).fill(0);
    row[r] = 1;
    row[r + 1] = -2;
    row[r + 2] = 1;
    tilde.push(row);
  }
  const both = withoutColumn([...tilde, ...tilde.map((r) => r.map((v) => -v))], numPre);
  return { A: toMat(both, T), d: new Float64Array(both.length).fill(M), testRows: postRows(both, numPre) };
}

/** One polyhedron of Delta^RM(Mbar): s in -(numPre - 1)..0, positive: the largest pre-period difference
 *  is delta_s - delta_{s-1} (else its negative). */
export function relativeMagnitudeRestriction(numPre: number, numPost: number, Mbar: number, s: number, positive: boolean): Restriction {
  const T = numPre + numPost;
  const sign = positive ? 1 : -1;
  // The first difference delta_s - delta_{s-1}: columns (numPre + s - 1, numPre + s) of (delta_pre, 0, delta_post).
  const maxDiff = new Array<number>(T + 1).fill(0);
  maxDiff[numPre + s - 1] = -sign;
  maxDiff[numPre + s] = sign;
  const rows: number[][] = [];
  for (const flip of [1, -1]) {
    for (let r = 0; r < T; r++) {
      const scale = r < numPre ? 1 : Mbar;
      const row = new Array<number>(T + 1).fill(0);
      row[r] = -flip;
      row[r + 1] = flip;
      for (let j = 0; j <= T; j++) row[j] -= scale * maxDiff[j];
      // A difference bounded by itself is no restriction (HonestDiD drops these all-zero rows).
      if (row.reduce((acc, v) => acc + v * v, 0) > 1e-10) rows.push(row);
    }
  }
  const A = withoutColumn(rows, numPre);
  return { A: toMat(A, T), d: new Float64Array(A.length), testRows: postRows(A, numPre) };
}

/** All the polyhedra whose union is Delta^RM(Mbar). */
export function relativeMagnitudeUnion(numPre: number, numPost: number, Mbar: number): Restriction[] {
  const out: Restriction[] = [];
  for (let s = -(numPre - 1); s <= 0; s++) {
    for (const positive of [true, false]) out.push(relativeMagnitudeRestriction(numPre, numPost, Mbar, s, positive));
  }
  return out;
}

/** The restriction kept to the given rows (the one-post-period tests use the post-period rows only). */
export function keepRows(r: Restriction, rows: readonly number[]): Restriction {
  const cols = r.A.cols;
  const A = mat(rows.length, cols);
  rows.forEach((src, i) => A.data.set(r.A.data.subarray(src * cols, (src + 1) * cols), i * cols));
  return { A, d: Float64Array.from(rows, (i) => r.d[i]), testRows: rows.map((_, i) => i) };
}
