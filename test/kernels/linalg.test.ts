// Dense normal-equation kernels (assembly/linalg.ts and its mirror): crossprod, cholesky, cholSolve,
// cholInverse. Every expected value is worked out by hand in a comment; the data are chosen so that every
// intermediate is an integer or a dyadic fraction, so the results are exact and compared with toEqual.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

/** X'diag(w)X of column-major columns x (one array per column), as a K x K row-major array. */
function runCrossprod(b: Backend, x: number[][], w: number[] | null): number[] {
  const a = b.arena();
  const N = x[0].length;
  const K = x.length;
  const X = a.f64From(x.flat());
  const wB = w ? a.f64From(w) : null;
  const out = a.f64(K * K);
  out.view.fill(NaN); // the kernel must overwrite every entry
  b.crossprod(N, K, X, wB, out);
  const res = Array.from(out.view);
  a.release();
  return res;
}

interface CholResult {
  rank: number;
  L: number[];
  keep: number[];
}

function runCholesky(b: Backend, A: number[][], keepIn: number[] | null = null, tol = 1e-10): CholResult {
  const a = b.arena();
  const K = A.length;
  const AB = a.f64From(A.flat());
  const L = a.f64(K * K);
  L.view.fill(NaN); // every entry, including the strict upper triangle, must be written
  const keep = a.i32From(keepIn ?? new Array(K).fill(1));
  const rank = b.cholesky(K, AB, L, keep, tol);
  const res = { rank, L: Array.from(L.view), keep: Array.from(keep.view) };
  a.release();
  return res;
}

/** Factorises A, then solves A x = rhs and forms the inverse, all on one arena. */
function runSolveAndInverse(b: Backend, A: number[][], rhs: number[], keepIn: number[] | null = null) {
  const a = b.arena();
  const K = A.length;
  const AB = a.f64From(A.flat());
  const L = a.f64(K * K);
  const keep = a.i32From(keepIn ?? new Array(K).fill(1));
  const rank = b.cholesky(K, AB, L, keep, 1e-10);
  const rhsB = a.f64From(rhs);
  const x = a.f64(K);
  x.view.fill(NaN); // dropped entries must be written as 0, not left alone
  b.cholSolve(K, L, keep, rhsB, x);
  const inv = a.f64(K * K);
  inv.view.fill(NaN);
  const work = a.f64(K);
  b.cholInverse(K, L, keep, inv, work);
  const res = { rank, keep: Array.from(keep.view), x: Array.from(x.view), inv: Array.from(inv.view), rhsAfter: Array.from(rhsB.view) };
  a.release();
  return res;
}

const rows = (flat: number[], K: number) => Array.from({ length: K }, (_, j) => flat.slice(j * K, (j + 1) * K));

/** Columns 1, i, (-1)^i for i = 0..N-1 and their crossproduct in closed form:
 *    sum 1 = N,  sum i = N(N-1)/2,  sum i^2 = (N-1)N(2N-1)/6,  sum (-1)^i = N mod 2,
 *    sum i (-1)^i = (0 - 1) + (2 - 3) + ... = -N/2 for even N, (N-1)/2 for odd N (the pairs give
 *    -(N-1)/2, the unpaired last term adds N-1).
 *  All are integers below 2^53, so every summation order gives them exactly. */
function closedFormColumns(N: number) {
  const x = [
    Array.from({ length: N }, () => 1),
    Array.from({ length: N }, (_, i) => i),
    Array.from({ length: N }, (_, i) => (i % 2 ? -1 : 1)),
  ];
  const s1 = N;
  const si = (N * (N - 1)) / 2;
  const sii = ((N - 1) * N * (2 * N - 1)) / 6;
  const sa = N % 2;
  const sia = N % 2 ? (N - 1) / 2 : -N / 2;
  // prettier-ignore
  const xtx = [
    s1, si, sa,
    si, sii, sia,
    sa, sia, s1,
  ];
  return { x, xtx };
}

// Full-rank 3x3 used throughout, factored by hand:
//   A = [[4, 2, 2], [2, 5, 3], [2, 3, 6]]
//   L00 = sqrt(4) = 2;  L10 = 2/2 = 1;  L20 = 2/2 = 1
//   L11 = sqrt(5 - 1^2) = 2;  L21 = (3 - L20 L10)/L11 = (3 - 1)/2 = 1
//   L22 = sqrt(6 - 1^2 - 1^2) = 2
//   L = [[2, 0, 0], [1, 2, 0], [1, 1, 2]]
// Its inverse by cofactors: det = 4(30 - 9) - 2(12 - 6) + 2(6 - 10) = 84 - 12 - 8 = 64,
//   inv = (1/64) [[21, -6, -4], [-6, 20, -8], [-4, -8, 16]]   (all k/64: exact in binary).
const A3 = [
  [4, 2, 2],
  [2, 5, 3],
  [2, 3, 6],
];
const L3 = [2, 0, 0, 1, 2, 0, 1, 1, 2];
const INV3 = [21, -6, -4, -6, 20, -8, -4, -8, 16].map((v) => v / 64);

// The same three columns c0, c1, c3 with c2 = c0 + c1 inserted third (exactly collinear):
//   c0'c2 = 4 + 2 = 6,  c1'c2 = 2 + 5 = 7,  c2'c2 = 4 + 2*2 + 5 = 13,  c2'c3 = 2 + 3 = 5.
// Factor: column 0 -> L00 = 2, L10 = 1, L20 = 6/2 = 3, L30 = 1.
//         column 1 -> L11 = sqrt(5 - 1) = 2, L21 = (7 - 3*1)/2 = 2, L31 = (3 - 1*1)/2 = 1.
//         column 2 -> d = 13 - 3^2 - 2^2 = 0 <= tol * 13: dropped, its row of L zeroed.
//         column 3 -> d = 6 - 1^2 - 1^2 - 0^2 = 4, L33 = 2.
const A4 = [
  [4, 2, 6, 2],
  [2, 5, 7, 3],
  [6, 7, 13, 5],
  [2, 3, 5, 6],
];
const L4 = [2, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 1, 1, 0, 2];

describe.each(backendNames)("crossprod (%s)", (name) => {
  it("small odd N by hand: X = [[1,2,3],[4,5,6]] gives [[14, 32], [32, 77]]", () => {
    // 1+4+9 = 14; 4+10+18 = 32; 16+25+36 = 77. N = 3: one lane pair plus the odd tail element.
    expect(runCrossprod(freshBackend(name), [[1, 2, 3], [4, 5, 6]], null)).toEqual([14, 32, 32, 77]);
  });

  it("small odd N with weights w = [1, 2, 3]: [[36, 78], [78, 174]]", () => {
    // sum w x0^2 = 1 + 8 + 27 = 36; sum w x0 x1 = 4 + 20 + 54 = 78; sum w x1^2 = 16 + 50 + 108 = 174.
    expect(runCrossprod(freshBackend(name), [[1, 2, 3], [4, 5, 6]], [1, 2, 3])).toEqual([36, 78, 78, 174]);
  });

  it("N = 1: a single row is just the outer product", () => {
    // x = (3, -2, 0.5): [[9, -6, 1.5], [-6, 4, -1], [1.5, -1, 0.25]]
    expect(runCrossprod(freshBackend(name), [[3], [-2], [0.5]], null)).toEqual([9, -6, 1.5, -6, 4, -1, 1.5, -1, 0.25]);
    // with w = 4: four times that
    expect(runCrossprod(freshBackend(name), [[3], [-2], [0.5]], [4])).toEqual([36, -24, 6, -24, 16, -4, 6, -4, 1]);
  });

  it.each([1, 2, 3, 511, 512, 513, 1024, 1029, 1537])(
    "N = %i (around and beyond the 512-row block, odd and even): matches the closed form",
    (N) => {
      const { x, xtx } = closedFormColumns(N);
      expect(runCrossprod(freshBackend(name), x, null)).toEqual(xtx);
    },
  );

  it("weighted, N = 1029 = 2*512 + 5 (two full blocks and an odd tail)", () => {
    // w = 2 at even i (515 rows: 0, 2, ..., 1028), 0.5 at odd i (514 rows). With the columns above:
    //   sum w            = 2*515 + 0.5*514                                = 1030 + 257       = 1287
    //   sum w i          = 2*(sum even i = 2*(514*515/2) = 264710) + 0.5*(528906 - 264710 = 264196)
    //                    = 529420 + 132098                                                  = 661518
    //   sum w i^2        = 2*(sum even i^2 = 4*(514*515*1029/6) = 181591060)
    //                      + 0.5*(362653214 - 181591060 = 181062154) = 363182120 + 90531077 = 453713197
    //   sum w (-1)^i     = 2*515 - 0.5*514                                = 1030 - 257       = 773
    //   sum w i (-1)^i   = 2*264710 - 0.5*264196                          = 529420 - 132098  = 397322
    //   sum w ((-1)^i)^2 = sum w                                                            = 1287
    // Every term is a multiple of 0.5 below 2^52: exact.
    const N = 1029;
    const { x } = closedFormColumns(N);
    const w = Array.from({ length: N }, (_, i) => (i % 2 ? 0.5 : 2));
    // prettier-ignore
    expect(runCrossprod(freshBackend(name), x, w)).toEqual([
      1287, 661518, 773,
      661518, 453713197, 397322,
      773, 397322, 1287,
    ]);
  });

  it("fills both triangles symmetrically and handles K = 1", () => {
    const r = runCrossprod(freshBackend(name), [[1, 2], [3, 4], [5, 6]], null);
    // [[5, 11, 17], [11, 25, 39], [17, 39, 61]]
    expect(r).toEqual([5, 11, 17, 11, 25, 39, 17, 39, 61]);
    expect(runCrossprod(freshBackend(name), [[1, -2, 3, -4, 5]], null)).toEqual([55]);
  });
});

describe.each(backendNames)("cholesky (%s)", (name) => {
  it("full rank 3x3: L = [[2,0,0],[1,2,0],[1,1,2]] (worked out above A3), upper triangle 0", () => {
    const r = runCholesky(freshBackend(name), A3);
    expect(r.rank).toBe(3);
    expect(r.keep).toEqual([1, 1, 1]);
    expect(r.L).toEqual(L3);
  });

  it("exactly collinear third column (c2 = c0 + c1) is dropped: keep 0, row zeroed, rank 3", () => {
    const r = runCholesky(freshBackend(name), A4);
    expect(r.rank).toBe(3);
    expect(r.keep).toEqual([1, 1, 0, 1]);
    expect(r.L).toEqual(L4);
  });

  it("collinearity from real (inexact) data: x2 = x0 + 0.3 x1 leaves rounding noise, and is dropped", () => {
    const b = freshBackend(name);
    const N = 37;
    const x0 = Array.from({ length: N }, (_, i) => Math.sin(i + 1));
    const x1 = Array.from({ length: N }, (_, i) => Math.cos(3 * i) + 0.1 * i);
    const x2 = x0.map((v, i) => v + 0.3 * x1[i]);
    const x3 = Array.from({ length: N }, (_, i) => (i % 5) - 2);
    const A = rows(runCrossprod(b, [x0, x1, x2, x3], null), 4);
    const r = runCholesky(b, A);
    expect(r.keep).toEqual([1, 1, 0, 1]);
    expect(r.rank).toBe(3);
    expect(r.L.slice(8, 12)).toEqual([0, 0, 0, 0]);
  });

  it("a column the host already excluded (keep 0 on input) is skipped whatever A holds there", () => {
    // Column 1 carries garbage (a negative diagonal, huge off-diagonals): it must never be read.
    // Kept block [[4, 2], [2, 5]] -> L00 = 2, L20 = 2/2 = 1, L22 = sqrt(5 - 1) = 2.
    const A = [
      [4, 99, 2],
      [99, -7, 99],
      [2, 99, 5],
    ];
    const r = runCholesky(freshBackend(name), A, [1, 0, 1]);
    expect(r.rank).toBe(2);
    expect(r.keep).toEqual([1, 0, 1]);
    expect(r.L).toEqual([2, 0, 0, 0, 0, 0, 1, 0, 2]);
  });

  it("a zero column (A[j][j] = 0) is dropped, also when it comes first", () => {
    // Middle: same kept block and factor as the pre-excluded case.
    const r = runCholesky(freshBackend(name), [
      [4, 0, 2],
      [0, 0, 0],
      [2, 0, 5],
    ]);
    expect(r.rank).toBe(2);
    expect(r.keep).toEqual([1, 0, 1]);
    expect(r.L).toEqual([2, 0, 0, 0, 0, 0, 1, 0, 2]);
    // First: [[0, 0], [0, 9]] -> column 0 dropped, L11 = sqrt(9) = 3.
    const r0 = runCholesky(freshBackend(name), [
      [0, 0],
      [0, 9],
    ]);
    expect(r0.rank).toBe(1);
    expect(r0.keep).toEqual([0, 1]);
    expect(r0.L).toEqual([0, 0, 0, 3]);
  });

  it("a NaN diagonal is dropped, not propagated", () => {
    const r = runCholesky(freshBackend(name), [
      [NaN, 0],
      [0, 4],
    ]);
    expect(r.keep).toEqual([0, 1]);
    expect(r.L).toEqual([0, 0, 0, 2]);
  });

  it("all columns zero: rank 0, everything dropped", () => {
    const r = runCholesky(freshBackend(name), [
      [0, 0],
      [0, 0],
    ]);
    expect(r.rank).toBe(0);
    expect(r.keep).toEqual([0, 0]);
    expect(r.L).toEqual([0, 0, 0, 0]);
  });

  it("tol is a bound on 1 - R^2 of the column on the earlier kept ones", () => {
    // A = [[1, r], [r, 1]] (unit variances, correlation r): d_1 = 1 - r^2 = 1 - R^2 and A11 = 1.
    // r = 0.8: 1 - R^2 = 0.36 <= 0.5 -> dropped.  r = 0.6: 1 - R^2 = 0.64 > 0.5 -> kept, L11 = sqrt(0.64) = 0.8.
    const dropped = runCholesky(freshBackend(name), [
      [1, 0.8],
      [0.8, 1],
    ], null, 0.5);
    expect(dropped.keep).toEqual([1, 0]);
    expect(dropped.rank).toBe(1);
    const kept = runCholesky(freshBackend(name), [
      [1, 0.6],
      [0.6, 1],
    ], null, 0.5);
    expect(kept.keep).toEqual([1, 1]);
    expect(kept.L[2]).toBe(0.6);
    expect(kept.L[3]).toBeCloseTo(0.8, 15);
  });
});

describe.each(backendNames)("cholSolve (%s)", (name) => {
  it("solves A3 x = b by hand: b = A3 (1, -1, 2) = (6, 3, 11)", () => {
    // b = (4 - 2 + 4, 2 - 5 + 6, 2 - 3 + 12) = (6, 3, 11).
    // Forward L z = b:  z0 = 6/2 = 3;  z1 = (3 - 1*3)/2 = 0;  z2 = (11 - 1*3 - 1*0)/2 = 4.
    // Backward L' x = z: x2 = 4/2 = 2;  x1 = (0 - 1*2)/2 = -1;  x0 = (3 - 1*(-1) - 1*2)/2 = 1.
    const r = runSolveAndInverse(freshBackend(name), A3, [6, 3, 11]);
    expect(r.x).toEqual([1, -1, 2]);
    expect(r.rhsAfter).toEqual([6, 3, 11]); // b is read-only
  });

  it("works in place (x aliasing b), as cholInverse uses it", () => {
    const b = freshBackend(name);
    const a = b.arena();
    const L = a.f64From(L3);
    const keep = a.i32From([1, 1, 1]);
    const xb = a.f64From([6, 3, 11]);
    b.cholSolve(3, L, keep, xb, xb);
    expect(Array.from(xb.view)).toEqual([1, -1, 2]);
    a.release();
  });

  it("a dropped column gets 0 and the others solve the kept system", () => {
    // A4 keeps columns 0, 1, 3 whose block is A3; b = (6, 3, 1000, 11) (b2 must be ignored).
    // Forward: z0 = 3, z1 = 0, x2 = 0 (dropped), z3 = (11 - L30*3 - L31*0 - 0)/2 = (11 - 3)/2 = 4.
    // Backward: x3 = 4/2 = 2; x1 = (0 - L21*0 - L31*2)/2 = -1 (L21 was zeroed with row 2);
    //           x0 = (3 - L10*(-1) - L20*0 - L30*2)/2 = (3 + 1 - 2)/2 = 1.
    const r = runSolveAndInverse(freshBackend(name), A4, [6, 3, 1000, 11]);
    expect(r.keep).toEqual([1, 1, 0, 1]);
    expect(r.x).toEqual([1, -1, 0, 2]);
  });

  it("a pre-excluded column also gets 0", () => {
    // A3 with column 1 excluded: kept block [[4, 2], [2, 6]] -> L = [[2, 0], [1, sqrt(5)]].
    // Choose x = (1, _, 1): b0 = 4 + 2 = 6, b2 = 2 + 6 = 8.
    const r = runSolveAndInverse(freshBackend(name), A3, [6, 123, 8], [1, 0, 1]);
    expect(r.x[1]).toBe(0);
    expect(r.x[0]).toBeCloseTo(1, 14);
    expect(r.x[2]).toBeCloseTo(1, 14);
  });
});

describe.each(backendNames)("cholInverse (%s)", (name) => {
  it("inverts A3 exactly: (1/64) [[21, -6, -4], [-6, 20, -8], [-4, -8, 16]]", () => {
    const r = runSolveAndInverse(freshBackend(name), A3, [0, 0, 0]);
    expect(r.inv).toEqual(INV3);
    // A * inv = I (exact here, the entries being k/64).
    const inv = rows(r.inv, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      expect(A3[i].reduce((s, a, k) => s + a * inv[k][j], 0)).toBe(i === j ? 1 : 0);
    }
  });

  it("dropped column: the kept block is A3's inverse, row and column 2 are 0", () => {
    const r = runSolveAndInverse(freshBackend(name), A4, [0, 0, 0, 0]);
    const z = 0;
    // prettier-ignore
    expect(r.inv).toEqual([
      INV3[0], INV3[1], z, INV3[2],
      INV3[3], INV3[4], z, INV3[5],
      z, z, z, z,
      INV3[6], INV3[7], z, INV3[8],
    ]);
  });

  it("A * inv = I on the kept block of a seeded 6x6 crossproduct with a collinear and a zero column", () => {
    const b = freshBackend(name);
    const N = 50;
    const c = [
      Array.from({ length: N }, () => 1),
      Array.from({ length: N }, (_, i) => Math.sin(1.7 * i)),
      Array.from({ length: N }, (_, i) => Math.cos(0.3 * i * i)),
      Array.from({ length: N }, () => 0),
      Array.from({ length: N }, (_, i) => ((i * 7) % 11) / 3),
    ];
    c.splice(3, 0, c[1].map((v, i) => 2 * v - c[2][i])); // column 3 = 2 c1 - c2
    const K = c.length; // 6: columns 3 (collinear) and 4 (zero) must go
    const A = rows(runCrossprod(b, c, null), K);
    const r = runSolveAndInverse(b, A, new Array(K).fill(1));
    expect(r.keep).toEqual([1, 1, 1, 0, 0, 1]);
    expect(r.rank).toBe(4);
    const inv = rows(r.inv, K);
    const kept = [0, 1, 2, 5];
    for (const i of kept) for (const j of kept) {
      const s = kept.reduce((acc, k) => acc + A[i][k] * inv[k][j], 0);
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-10);
    }
    for (const d of [3, 4]) for (let j = 0; j < K; j++) {
      expect(inv[d][j]).toBe(0);
      expect(inv[j][d]).toBe(0);
    }
    // The inverse is symmetric to rounding.
    for (const i of kept) for (const j of kept) expect(Math.abs(inv[i][j] - inv[j][i])).toBeLessThan(1e-12 * Math.abs(inv[i][i]));
  });
});
