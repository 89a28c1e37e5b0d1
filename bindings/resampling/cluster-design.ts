// The design the cluster bootstraps work on. Bootstrapping whole clusters commutes with partialling out a
// fixed effect only when each of its groups lies within one cluster (the fixed effect is nested in the
// clusters): then M_D (v (.) u) = v (.) M_D u for cluster-constant weights v, and a resampled cluster keeps
// its own fixed effects. A fixed effect that cuts across clusters (years, when clustering by state) does
// not commute, so it enters explicitly, as dummy columns (its first level dropped when a constant is
// already spanned), demeaned by the nested fixed effects. By Frisch-Waugh-Lovell the coefficient, the
// residuals and the CRV1 scores of every regressor are those of the full fixed-effects regression.
//
// Layout of the result: one arena buffer `data`, n x (K + 1) column-major: the K kept columns (the model's
// regressors in coefficient order, then the kept dummies) and the outcome last, all demeaned by the nested
// fixed effects. The crossproduct [X y]' W [X y] comes with it.
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import { COLLINEAR_TOL } from "../estimators/ols-core.js";
import { absorb } from "../estimators/absorb.js";
import { isNested, type Groups } from "../model/groups.js";
import type { FixefEncoding } from "../model/sample.js";

/** Dummy columns a non-nested fixed effect may add: each costs O(G) per wild replicate and O(n) memory. */
export const MAX_EXPANDED_LEVELS = 2000;
/** Largest arena buffer (n x (K + 1) doubles) the design may need: the wasm heap's 1 GiB block. */
const MAX_DESIGN_DOUBLES = (2 ** 30 - 64) / 8;

export interface ClusterDesignInputs {
  readonly y: Float64Array;
  /** The model's kept regressors (raw, over the sample rows), in coefficient order. */
  readonly regressors: readonly Float64Array[];
  readonly names: readonly string[];
  readonly fixef: readonly FixefEncoding[];
  readonly weights: Float64Array | null;
  readonly cluster: Groups;
  readonly clusterName: string;
  readonly tol: number;
  readonly maxIter: number;
}

export interface ClusterDesign {
  readonly n: number;
  /** Kept columns: the model's regressors then the kept fixed-effect dummies. */
  readonly K: number;
  readonly names: readonly string[];
  /** n x (K + 1) column-major in the arena: X then y. */
  readonly data: F64Buffer;
  /** [X y]' W [X y], (K + 1) x (K + 1) row-major. */
  readonly cross: Float64Array;
  /** (X'WX)^-1, K x K row-major. */
  readonly A: Float64Array;
  readonly absorbed: readonly string[];
  readonly expanded: readonly string[];
}

interface DummySpec {
  readonly fe: FixefEncoding;
  /** Levels below this are dropped (0 or 1). */
  readonly first: number;
}

function dummySpecs(fixef: readonly FixefEncoding[], spanned: boolean, clusterName: string): DummySpec[] {
  let constant = spanned;
  return fixef.map((fe) => {
    const first = constant ? 1 : 0;
    constant = true;
    if (fe.G - first > MAX_EXPANDED_LEVELS) {
      throw new DidwasmError(
        "BAD_OPTION",
        `fixed effect "${fe.name}" (${fe.G} levels) is not nested within the clusters of "${clusterName}": the cluster bootstrap would have to ` +
          `carry it as ${fe.G - first} dummy regressors (at most ${MAX_EXPANDED_LEVELS}); cluster by a variable that nests it, or absorb fewer levels`,
        { fixef: fe.name },
      );
    }
    return { fe, first };
  });
}

/** Builds the design in `arena` (released by the caller). */
export function buildClusterDesign(backend: Backend, arena: Arena, inp: ClusterDesignInputs): ClusterDesign {
  const n = inp.y.length;
  const nested = inp.fixef.filter((f) => isNested(f, inp.cluster));
  const crossing = inp.fixef.filter((f) => !isNested(f, inp.cluster));
  const spanned = nested.length > 0 || crossing.length === 0;
  const specs = dummySpecs(crossing, spanned, inp.clusterName);
  const dummyNames = specs.flatMap((s) => Array.from({ length: s.fe.G - s.first }, (_, l) => `${s.fe.name}::${l + s.first}`));
  const Kreg = inp.regressors.length;
  const Kall = Kreg + dummyNames.length;
  const C = Kall + 1;
  if (C * n > MAX_DESIGN_DOUBLES) {
    throw new DidwasmError(
      "BAD_OPTION",
      `the cluster bootstrap design (${n} rows x ${C} columns, including ${dummyNames.length} dummies of fixed effects not nested in the clusters) ` +
        `exceeds the 1 GiB buffer limit`,
    );
  }
  const data = arena.f64(C * n);
  inp.regressors.forEach((c, j) => data.view.set(c, j * n));
  let col = Kreg;
  for (const { fe, first } of specs) {
    const v = data.view; // zero-filled by the arena
    const feIds = fe.ids; // once: ids may be read through a getter (model/groups.ts)
    for (let i = 0; i < n; i++) {
      const l = feIds[i];
      if (l >= first) v[(col + l - first) * n + i] = 1;
    }
    col += fe.G - first;
  }
  data.view.set(inp.y, Kall * n);
  const w = inp.weights ? arena.f64From(inp.weights) : null;
  if (nested.length > 0) {
    const { iterations } = absorb(backend, arena, n, C, data, nested, w, inp.tol, inp.maxIter);
    if (iterations.some((it) => it < 0)) throw new DidwasmError("BAD_DATA", `demeaning the bootstrap design did not converge within ${inp.maxIter} sweeps`);
  }
  const M = arena.f64(C * C);
  backend.crossprod(n, C, data, w, M);
  const Mv = Float64Array.from(M.view);
  // Collinearity: the model's regressors come first (feols kept them); dummies collinear with them or
  // with each other are dropped.
  const XtX = arena.f64(Kall * Kall);
  for (let i = 0; i < Kall; i++) for (let j = 0; j < Kall; j++) XtX.view[i * Kall + j] = Mv[i * C + j];
  const keep = arena.i32(Kall);
  keep.view.fill(1);
  const L = arena.f64(Kall * Kall);
  backend.cholesky(Kall, XtX, L, keep, COLLINEAR_TOL);
  const keepFlags = Array.from(keep.view);
  for (let j = 0; j < Kreg; j++) {
    if (!keepFlags[j]) {
      throw new DidwasmError("ALL_COLLINEAR", `regressor "${inp.names[j]}" is collinear with the fixed effects in the cluster bootstrap design`);
    }
  }
  const inv = arena.f64(Kall * Kall);
  backend.cholInverse(Kall, L, keep, inv, arena.f64(Kall));
  const kept = keepFlags.flatMap((k, j) => (k ? [j] : []));
  const K = kept.length;
  const A = new Float64Array(K * K);
  const invV = inv.view;
  kept.forEach((a, i) => kept.forEach((b, j) => (A[i * K + j] = invV[a * Kall + b])));
  const idx = [...kept, Kall];
  const cross = new Float64Array((K + 1) * (K + 1));
  idx.forEach((a, i) => idx.forEach((b, j) => (cross[i * (K + 1) + j] = Mv[a * C + b])));
  if (K < Kall) {
    const v = data.view;
    idx.forEach((from, to) => {
      if (from !== to) v.copyWithin(to * n, from * n, (from + 1) * n);
    });
  }
  const allNames = [...inp.names, ...dummyNames];
  return {
    n, K, names: kept.map((j) => allNames[j]), data, cross, A,
    absorbed: nested.map((f) => f.name),
    expanded: crossing.map((f) => f.name),
  };
}
