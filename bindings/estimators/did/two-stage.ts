// Two-stage difference-in-differences (Gardner 2021), as the R package did2s:
//   1. on the untreated observations, regress y on unit and time fixed effects (and controls);
//   2. residualize y on every observation with those estimates (imputing Y(0));
//   3. regress the residualized y on the treatment (static) or on relative-time dummies (event study),
//      without intercept, on every observation.
// Variance: did2s's GMM correction for the estimated first stage, clustered:
//   V = (X2'WX2)^-1 [sum_c W_c W_c'] (X2'WX2)^-1,
//   W_c = sum_{i in c} w_i x2_i u2_i - sum_{i in c, untreated} w_i f_i u1_i,
//   f_i = x1_i (X10'WX10)^-1 X1'W x2   (x1: first-stage design, X10 its untreated rows),
// with no small-sample correction and t(n - K) p-values, as did2s reports through fixest. The solve with
// X10'WX10 is done without forming it: fixed-effect normal equations by the fixefSolve kernel, controls by
// their Schur complement (see the comments in twoStage below).
import { toFrame, type DataInput } from "../../data/columns.js";
import { DidwasmError } from "../../errors.js";
import { invertSpd, sandwich } from "../../linalg/small.js";
import type { Design } from "../../model/design.js";
import { groupIds } from "../../model/groups.js";
import { buildSample, sampleValues, type Sample } from "../../model/sample.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import type { Fit, TidyRow } from "../fit.js";
import { fitDesign } from "../fit-design.js";
import { distinctPeriods, timingFromCohort, timingFromTreatment, unitIdsOfFrame } from "./cohorts.js";
import type { EventCoefficient } from "./event-study.js";
import { TwoWaySolver, type TwoWayEncoding } from "./fixef-solver.js";
import { relativeDummies, relativeTime, type RelativeTime } from "./relative-time.js";

export interface TwoStageOptions extends Omit<CommonFitOptions, "vcov" | "ssc"> {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** 0/1 treatment: 1 from the first treated period on. Untreated observations form the first stage. */
  readonly treat: string;
  readonly controls?: readonly string[];
  /** Event study in the second stage (needs `cohort`). */
  readonly event?: boolean;
  readonly cohort?: string | null;
  readonly ref?: number;
  readonly window?: readonly [number, number] | null;
  readonly bin?: number | null;
  readonly never?: number | null;
  /** Cluster variable of the GMM variance (default: the unit). */
  readonly cluster?: string | null;
}

export interface TwoStageResult {
  readonly fit: Fit;
  readonly coefficients: ReadonlyArray<TidyRow | EventCoefficient>;
  readonly firstStage: { readonly nobs: number; readonly coefficients: Readonly<Record<string, number>>; readonly removed: readonly string[] };
  readonly notes: readonly string[];
  toJSON(): Record<string, unknown>;
}

function encodeOnUntreated(frame: ReturnType<typeof toFrame>, o: TwoStageOptions, rows: Int32Array, treated: Float64Array): TwoWayEncoding {
  const unitOfRow = unitIdsOfFrame(frame, o.unit);
  const t = sampleValues(frame, o.time, rows, "time variable");
  const periods = distinctPeriods(frame, o.time);
  const lo = periods[0];
  const periodIndex = new Int32Array(periods[periods.length - 1] - lo + 1).fill(-1);
  const unitIndex = new Int32Array(unitOfRow.G).fill(-1);
  let units = 0;
  let nPeriods = 0;
  for (let i = 0; i < rows.length; i++) {
    if (treated[i] !== 0) continue;
    const u = unitOfRow.ids[rows[i]];
    if (unitIndex[u] < 0) unitIndex[u] = units++;
    const p = t[i] - lo;
    if (periodIndex[p] < 0) periodIndex[p] = nPeriods++;
  }
  const unitId = new Int32Array(rows.length);
  const timeId = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    unitId[i] = unitIndex[unitOfRow.ids[rows[i]]];
    timeId[i] = periodIndex[t[i] - lo];
  }
  return { unitId, timeId, units, periods: nPeriods };
}

export function twoStage(data: DataInput, o: TwoStageOptions): TwoStageResult {
  let frame = toFrame(data);
  const cluster = o.cluster ?? o.unit;
  const common = resolveCommon({ ...o, vcov: "iid" }, { type: "iid" });
  const timing = timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat });
  if (timing.cohorts.length === 0) throw new DidwasmError("BAD_DATA", `no treated observations: "${o.treat}" is 0 everywhere`);
  let rt: RelativeTime | null = null;
  if (o.event) {
    if (!o.cohort) throw new DidwasmError("BAD_OPTION", "an event-study second stage needs the cohort column (--cohort)");
    const cohortTiming = timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
    rt = relativeTime(frame, cohortTiming, o.time, { window: o.window, bin: o.bin, ref: o.ref ?? -1 });
  }
  const controls = o.controls ?? [];
  const notes: string[] = [...(rt?.notes ?? [])];

  let sample: Sample = buildSample(frame, {
    numeric: [
      { name: o.y, role: "outcome" }, { name: o.treat, role: "treatment variable" }, { name: o.time, role: "time variable" },
      ...controls.map((c) => ({ name: c, role: "control" })),
    ],
    categorical: [{ name: o.unit, role: "unit variable" }, { name: cluster, role: "cluster variable" }],
    weights: common.weights, subset: common.subset, rowFilter: rt?.keep ?? null, fixef: [], fixefRm: "none",
  });
  let treated = sampleValues(frame, o.treat, sample.rows, "treatment variable");
  let enc = encodeOnUntreated(frame, o, sample.rows, treated);
  // Rows whose unit or period never appears untreated cannot be imputed (did2s: NA, dropped).
  const imputable = new Uint8Array(enc.unitId.length);
  let lost = 0;
  for (let i = 0; i < imputable.length; i++) {
    imputable[i] = enc.unitId[i] >= 0 && enc.timeId[i] >= 0 ? 1 : 0;
    lost += 1 - imputable[i];
  }
  if (lost > 0) {
    notes.push(`${lost} treated observation(s) dropped: their unit or period has no untreated observation to impute Y(0) from`);
    const rows = sample.rows.filter((_, i) => imputable[i] === 1);
    sample = { ...sample, rows, weights: sample.weights ? sample.weights.filter((_, i) => imputable[i] === 1) : null };
    treated = sampleValues(frame, o.treat, rows, "treatment variable");
    enc = encodeOnUntreated(frame, o, rows, treated);
  }
  const rows = sample.rows;
  const n = rows.length;
  const w = sample.weights;
  let nU = 0;
  for (let i = 0; i < n; i++) if (treated[i] === 0) nU++;
  const untreated = new Int32Array(nU);
  for (let i = 0, k = 0; i < n; i++) if (treated[i] === 0) untreated[k++] = i;
  if (untreated.length === 0) throw new DidwasmError("BAD_DATA", "no untreated observations for the first stage");
  if (untreated.length === n) throw new DidwasmError("BAD_DATA", "no treated observations left in the sample");

  // Weights as an array even when unweighted (x 1 is exact), so the loops below have one shape.
  const wt = w ?? new Float64Array(n).fill(1);
  const y = sampleValues(frame, o.y, rows, "outcome");
  const X = controls.map((c) => sampleValues(frame, c, rows, "control"));
  const backend = common.engine.backend;
  const arena = backend.arena();
  let ytilde: Float64Array;
  let u1: Float64Array;
  let beta: Float64Array;
  let keptControls: number[];
  let Xcheck: Float64Array[];
  let XcInv: Float64Array | null = null;
  let solver: TwoWaySolver;
  try {
    solver = new TwoWaySolver(backend, arena, enc, untreated, w, common.tol, common.maxIter);
    // First stage. Controls: X-check_k = X_k minus its fixed-effect fit on the untreated rows (for every
    // row); beta = (X-check'WX-check)^-1 X-check'Wy over the untreated rows (Frisch-Waugh-Lovell).
    const cX = X.map((x) => solver.fitOf(x));
    Xcheck = X.map((x, k) => solver.minusFitted(x, cX[k]));
    keptControls = [];
    const centred = X.map((x) => {
      let m = 0;
      let sw = 0;
      for (let u = 0; u < nU; u++) {
        const i = untreated[u];
        m += wt[i] * x[i];
        sw += wt[i];
      }
      m /= sw;
      let ss = 0;
      for (let u = 0; u < nU; u++) {
        const i = untreated[u];
        ss += wt[i] * (x[i] - m) ** 2;
      }
      return ss;
    });
    // Keep controls with within variation, dropping later ones collinear with earlier ones.
    for (let k = 0; k < X.length; k++) {
      let within = 0;
      const xc = Xcheck[k];
      for (let u = 0; u < nU; u++) {
        const i = untreated[u];
        within += wt[i] * xc[i] * xc[i];
      }
      if (!(within > 1e-10 * centred[k])) continue;
      const trial = [...keptControls, k];
      const A = gram(Xcheck, trial, untreated, w);
      if (invertSpd(A, trial.length) !== null && conditionOk(A, trial.length)) keptControls.push(k);
    }
    const K1 = keptControls.length;
    beta = new Float64Array(K1);
    if (K1 > 0) {
      XcInv = invertSpd(gram(Xcheck, keptControls, untreated, w), K1)!;
      const xy = keptControls.map((k) => {
        let s = 0;
        const xc = Xcheck[k];
        for (let u = 0; u < nU; u++) {
          const i = untreated[u];
          s += wt[i] * xc[i] * y[i];
        }
        return s;
      });
      for (let a = 0; a < K1; a++) for (let b = 0; b < K1; b++) beta[a] += XcInv[a * K1 + b] * xy[b];
    }
    const resid0 = Float64Array.from(y);
    keptControls.forEach((k, a) => {
      const x = X[k];
      const b = beta[a];
      for (let i = 0; i < n; i++) resid0[i] -= x[i] * b;
    });
    ytilde = solver.minusFitted(resid0, solver.fitOf(resid0));
    u1 = new Float64Array(n);
    for (let i = 0; i < n; i++) if (treated[i] === 0) u1[i] = ytilde[i];
  } catch (e) {
    arena.release();
    throw e;
  }

  // Second stage on every observation.
  let design: Design;
  if (rt) {
    const d = relativeDummies(rt, rows);
    design = { names: d.names, columns: d.columns, intercept: false, indicators: [{ start: 0, count: d.names.length, code: d.code }] };
  } else {
    design = { names: [o.treat], columns: [Float64Array.from(treated)], intercept: false };
  }
  const label = `did2s: ${o.y} ~ ${rt ? "rel-time dummies" : o.treat} | first stage ${[...controls, `${o.unit} + ${o.time}`].join(" + ")} on untreated`;
  let fit: Fit;
  try {
    [fit] = fitDesign({
      frame, label, outcomes: [{ name: o.y, values: ytilde }], design, common,
      sample: { rows, fixef: [], weights: w, dropped: sample.dropped },
    });

    // GMM variance.
    const K2 = fit.coefNames.length;
    const x2 = fit.coefNames.map((nm) => design.columns[design.names.indexOf(nm)]);
    const coef2 = fit.estimates();
    const u2 = Float64Array.from(ytilde);
    x2.forEach((col, j) => {
      const b = coef2[j];
      for (let i = 0; i < n; i++) u2[i] -= col[i] * b;
    });
    const K1 = keptControls.length;
    const S = arena.f64(n * K2);
    for (let j = 0; j < K2; j++) {
      // h_j = (X10'WX10)^-1 X1'W x2_j, split into fixed effects and controls:
      //   a = (D'WD)^- b_D; hX = (X-check'WX-check)^-1 (b_X - X'W D a) on untreated rows;
      //   f = D a + X-check hX on every row.
      const bD = new Float64Array(enc.units + enc.periods);
      const x = x2[j];
      for (let i = 0; i < n; i++) {
        const v = wt[i] * x[i];
        bD[enc.unitId[i]] += v;
        bD[enc.units + enc.timeId[i]] += v;
      }
      const a = solver.solve(bD);
      const f = solver.fittedAll(a);
      if (K1 > 0) {
        const rhs = keptControls.map((k) => {
          const xk = X[k];
          let bX = 0;
          for (let i = 0; i < n; i++) bX += wt[i] * xk[i] * x[i];
          let m = 0;
          for (let u = 0; u < nU; u++) {
            const i = untreated[u];
            m += wt[i] * xk[i] * f[i];
          }
          return bX - m;
        });
        const hX = new Float64Array(K1);
        for (let p = 0; p < K1; p++) for (let q = 0; q < K1; q++) hX[p] += XcInv![p * K1 + q] * rhs[q];
        for (let p = 0; p < K1; p++) {
          const xc = Xcheck[keptControls[p]];
          const h = hX[p];
          for (let i = 0; i < n; i++) f[i] += h * xc[i];
        }
      }
      const Sv = S.view;
      const off = j * n;
      for (let i = 0; i < n; i++) Sv[off + i] = wt[i] * (x[i] * u2[i] - (treated[i] === 0 ? f[i] * u1[i] : 0));
    }
    if (solver.notConverged) notes.push(`${solver.notConverged} fixed-effect solve(s) did not converge within ${common.maxIter} sweeps`);
    const cl = groupIds(frame, cluster, rows);
    const clBuf = arena.i32From(cl.ids);
    const ones = arena.f64From(new Float64Array(n).fill(1));
    const SG = arena.f64(cl.G * K2);
    const meat = arena.f64(K2 * K2);
    backend.meatCluster(n, K2, S, ones, null, clBuf, cl.G, SG, meat);
    const gram2 = new Float64Array(K2 * K2);
    for (let a = 0; a < K2; a++) for (let b = 0; b < K2; b++) {
      let s = 0;
      const xa = x2[a];
      const xb = x2[b];
      for (let i = 0; i < n; i++) s += wt[i] * xa[i] * xb[i];
      gram2[a * K2 + b] = s;
    }
    const bread = invertSpd(gram2, K2);
    if (!bread) throw new DidwasmError("ALL_COLLINEAR", "the second-stage regressors are collinear");
    const vcov = sandwich(bread, Float64Array.from(meat.view), K2);
    fit = fit.withCustomVariance(
      { vcov, dfT: n - K2, dofK: K2, clusters: [{ name: cluster, G: cl.G }], notes: [] },
      `two-stage GMM, clustered by ${cluster}`,
    );
  } finally {
    arena.release();
  }

  const tidy = fit.tidy();
  const coefficients = rt ? tidy.map((r) => ({ ...r, rel_time: Number(r.term.slice(5)) })) : tidy;
  const firstStage = {
    nobs: untreated.length,
    coefficients: Object.fromEntries(keptControls.map((k, a) => [controls[k], beta[a]])),
    removed: controls.filter((_, k) => !keptControls.includes(k)),
  };
  if (firstStage.removed.length) notes.push(`first stage: control(s) collinear with the fixed effects removed: ${firstStage.removed.join(", ")}`);
  const allNotes = [...notes, ...fit.notes];
  return {
    fit, coefficients, firstStage, notes: allNotes,
    toJSON() {
      const base = fit.toJSON();
      return { ...base, coefficients, first_stage: firstStage, notes: allNotes };
    },
  };
}

function gram(cols: Float64Array[], idx: number[], rows: Int32Array, w: Float64Array | null): Float64Array {
  const K = idx.length;
  const A = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b <= a; b++) {
    let s = 0;
    const ca = cols[idx[a]];
    const cb = cols[idx[b]];
    for (let u = 0; u < rows.length; u++) {
      const i = rows[u];
      s += (w ? w[i] : 1) * ca[i] * cb[i];
    }
    A[a * K + b] = s;
    A[b * K + a] = s;
  }
  return A;
}

/** The last column is not (nearly) collinear with the others: its Schur complement keeps > 1e-10 of it. */
function conditionOk(A: Float64Array, K: number): boolean {
  if (K === 1) return A[0] > 0;
  const inv = invertSpd(A, K);
  if (!inv) return false;
  // 1 / inv[last,last] is the residual sum of squares of the last column on the others.
  return 1 / inv[(K - 1) * K + (K - 1)] > 1e-10 * A[(K - 1) * K + (K - 1)];
}
