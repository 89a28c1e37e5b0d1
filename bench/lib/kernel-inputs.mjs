// Kernel inputs built from the benchmark panel, allocated in a backend's own arena (wasm memory for the
// wasm backend, plain typed arrays for the reference backend), so both backends run on identical numbers.
import { demeanScratchLength } from "../../dist/bindings/engine/backend.js";

/** Dense 0-based ids of an integer-valued column (the panel's unit and year), and the group count. */
export function denseIds(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isInteger(v)) throw new Error("denseIds: expected integer ids");
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const map = new Int32Array(hi - lo + 1).fill(-1);
  const ids = new Int32Array(values.length);
  let G = 0;
  for (let i = 0; i < values.length; i++) {
    const k = values[i] - lo;
    if (map[k] < 0) map[k] = G++;
    ids[i] = map[k];
  }
  return { ids, G };
}

/** Host-side arrays shared by both backends: C = 7 columns [y, x1..x6] column-major, the unit and year
 *  ids, and a second, weakly connected pair of fixed effects over the same rows (unit u is seen in
 *  periods u..u+19 of a ring of 1000 periods: a long chain, so demeaning converges slowly and a sweep cap
 *  is what stops it; used to measure the cost of one sweep). */
export function hostInputs(frame) {
  const names = ["y", "x1", "x2", "x3", "x4", "x5", "x6"];
  const N = frame.nrow;
  const C = names.length;
  const data = new Float64Array(C * N);
  names.forEach((nm, c) => data.set(frame.numeric(nm), c * N));
  const unit = denseIds(frame.numeric("unit"));
  const year = denseIds(frame.numeric("year"));
  const fePanel = new Int32Array(2 * N);
  fePanel.set(unit.ids, 0);
  fePanel.set(year.ids, N);
  const P = 1000;
  const feChain = new Int32Array(2 * N);
  feChain.set(unit.ids, 0);
  for (let i = 0; i < N; i++) feChain[N + i] = (unit.ids[i] + year.ids[i]) % P;
  return { N, C, data, fePanel, GPanel: [unit.G, year.G], feChain, GChain: [unit.G, Math.min(P, unit.G + year.G - 1)], clusterIds: unit.ids, Gcluster: unit.G };
}

/** The same inputs copied into `backend`'s arena, plus the kernels as zero-argument closures. */
export function backendJob(backend, h) {
  const a = backend.arena();
  const { N, C } = h;
  const K = C - 1;
  const input = a.f64From(h.data);
  const out = a.f64(C * N);
  const fePanel = a.i32From(h.fePanel);
  const GPanel = a.i32From(h.GPanel);
  const feChain = a.i32From(h.feChain);
  const GChain = a.i32From(h.GChain);
  const scratchPanel = a.f64(demeanScratchLength(h.GPanel[0] + h.GPanel[1]));
  const scratchChain = a.f64(demeanScratchLength(h.GChain[0] + h.GChain[1]));
  const iter = a.i32(C);
  const XtX = a.f64(C * C);
  // Meat inputs: regressors x1..x6 and a residual-like vector (y), clustered by unit.
  const X = a.f64From(h.data.subarray(N, C * N));
  const e = a.f64From(h.data.subarray(0, N));
  const cl = a.i32From(h.clusterIds);
  const S = a.f64(h.Gcluster * K);
  const meat = a.f64(K * K);
  const sweeps = () => Array.from(iter.view);
  return {
    release: () => a.release(),
    sweeps,
    demeanPanel: () => backend.demean(N, C, 2, input, out, fePanel, GPanel, null, 1e-8, 10_000, scratchPanel, iter),
    demeanChain20: () => backend.demean(N, C, 2, input, out, feChain, GChain, null, 1e-8, 20, scratchChain, iter),
    crossprod: () => backend.crossprod(N, C, input, null, XtX),
    meatCluster: () => backend.meatCluster(N, K, X, e, null, cl, h.Gcluster, S, meat),
    results: () => ({ XtX: Float64Array.from(XtX.view), meat: Float64Array.from(meat.view), out: out.view }),
  };
}
