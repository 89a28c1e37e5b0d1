// Two-stage difference-in-differences (Gardner 2021), as the R package did2s:
//   1. on the untreated observations, regress y on unit and time fixed effects (and controls)
//      (untreated-first-stage.ts, shared with the imputation estimator);
//   2. residualize y on every observation with those estimates (imputing Y(0));
//   3. regress the residualized y on the treatment (static) or on relative-time dummies (event study),
//      without intercept, on every observation.
// Variance: did2s's GMM correction for the estimated first stage, clustered:
//   V = (X2'WX2)^-1 [sum_c W_c W_c'] (X2'WX2)^-1,
//   W_c = sum_{i in c} w_i x2_i u2_i - sum_{i in c, untreated} w_i f_i u1_i,
//   f_i = x1_i (X10'WX10)^-1 X1'W x2   (x1: first-stage design, X10 its untreated rows),
// with no small-sample correction and t(n - K) p-values, as did2s reports through fixest. X10'WX10 is never
// formed: fixed effects are solved by fixef-solver.ts (directly through the period block when it is small),
// controls by Frisch-Waugh-Lovell (two-stage-first.ts), and the meat from cluster sums (two-stage-variance.ts).
import { toFrame, type DataInput } from "../../data/columns.js";
import { warning, type Note } from "../../notes.js";
import { DidwasmError } from "../../errors.js";
import { invertSpd, sandwich } from "../../linalg/small.js";
import type { Design } from "../../model/design.js";
import { groupIds } from "../../model/groups.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import type { Fit, TidyRow } from "../fit.js";
import { fitDesign } from "../fit-design.js";
import { timingFromCohort, timingFromTreatment } from "./cohorts.js";
import type { EventCoefficient } from "./event-study.js";
import { relativeDummies, relativeTime, type RelativeTime } from "./relative-time.js";
import { eventVcovOfTerms } from "./event-vcov.js";
import { timingTouchingAhead, withUntreatedFit } from "./untreated-first-stage.js";
import { gmmMeat } from "./two-stage-variance.js";

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
  readonly never?: number | string | null;
  /** Cluster variable of the GMM variance (default: the unit). */
  readonly cluster?: string | null;
  /** Solve the first stage's fixed effects directly when the panel allows (default); false forces the
   *  iterative solver (tests compare the two). */
  readonly directFixef?: boolean;
}

export interface TwoStageResult {
  readonly fit: Fit;
  readonly coefficients: ReadonlyArray<TidyRow | EventCoefficient>;
  readonly firstStage: { readonly nobs: number; readonly coefficients: Readonly<Record<string, number>>; readonly removed: readonly string[] };
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

export function twoStage(data: DataInput, o: TwoStageOptions): TwoStageResult {
  const frame = toFrame(data);
  const cluster = o.cluster ?? o.unit;
  const common = resolveCommon({ ...o, vcov: "iid" }, { type: "iid" }, frame.nrow);
  const timing = timingTouchingAhead(common.engine.backend.threads, frame.nrow, (o.controls ?? []).length, 0, () =>
    timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat }));
  if (timing.cohorts.length === 0) throw new DidwasmError("BAD_DATA", `no treated observations: "${o.treat}" is 0 everywhere`);
  let rt: RelativeTime | null = null;
  if (o.event) {
    if (!o.cohort) throw new DidwasmError("BAD_OPTION", "an event-study second stage needs the cohort column (--cohort)");
    const cohortTiming = timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
    rt = relativeTime(frame, cohortTiming, o.time, { window: o.window, bin: o.bin, ref: o.ref ?? -1 });
  }
  const controls = o.controls ?? [];
  const notes: Note[] = [...(rt?.notes ?? []), ...common.threadNotes];

  return withUntreatedFit(
    frame, { y: o.y, unit: o.unit, time: o.time, treat: o.treat, controls, categorical: [{ name: cluster, role: "cluster variable" }], rowFilter: rt?.keep ?? null, directFixef: o.directFixef },
    common, notes,
    ({ sample, rows, n, treated, enc, untreated, w, X, first, solver, ytilde }) => {
    const { keptControls, beta } = first;
    // Second stage on every observation.
    let design: Design;
    let code: Int32Array | null = null;
    let relTimes: ReadonlyMap<string, number> | null = null;
    if (rt) {
      const d = relativeDummies(rt, rows);
      code = d.code;
      relTimes = new Map(d.names.map((nm, j) => [nm, d.periods[j]]));
      design = { names: d.names, columns: d.columns, intercept: false, indicators: [{ start: 0, count: d.names.length, code: d.code }] };
    } else {
      design = { names: [o.treat], columns: [Float64Array.from(treated)], intercept: false };
    }
    const label = `did2s: ${o.y} ~ ${rt ? "rel-time dummies" : o.treat} | first stage ${[...controls, `${o.unit} + ${o.time}`].join(" + ")} on untreated`;
    let [fit] = fitDesign({
      frame, label, outcomes: [{ name: o.y, values: ytilde }], design, common,
      sample: { rows, fixef: [], weights: w, dropped: sample.dropped },
    });

    // GMM variance.
    const K2 = fit.coefNames.length;
    const keptIdx = fit.coefNames.map((nm) => design.names.indexOf(nm));
    // Indicator regressors are used through their code: their dense columns are never made.
    const x2 = code ? [] : keptIdx.map((j) => design.columns[j]);
    const coef2 = fit.estimates();
    if (code && keptIdx.some((j, k) => j !== k)) code = recode(code, keptIdx, design.names.length);
    const u2 = Float64Array.from(ytilde);
    if (code) {
      // indicators: row i carries only the coefficient of its own column
      for (let i = 0; i < n; i++) if (code[i] >= 0) u2[i] -= coef2[code[i]];
    } else {
      x2.forEach((col, j) => {
        const b = coef2[j];
        for (let i = 0; i < n; i++) u2[i] -= col[i] * b;
      });
    }
    const cl = groupIds(frame, cluster, rows);
    const meat = gmmMeat({
      n, w, untreated, enc, solver, X: keptControls.map((k) => X[k]), B: first.B, XcInv: first.XcInv,
      u1: ytilde, u2, K2, x2, code, cluster: cl.ids, G: cl.G,
    });
    if (solver.notConverged) notes.push(warning("not_converged", `${solver.notConverged} fixed-effect solve(s) did not converge within ${common.maxIter} sweeps`));
    const gram2 = new Float64Array(K2 * K2);
    if (code) {
      // indicators of one block never overlap: a diagonal of weight sums
      for (let i = 0; i < n; i++) if (code[i] >= 0) gram2[code[i] * (K2 + 1)] += w ? w[i] : 1;
    } else {
      for (let a = 0; a < K2; a++) for (let b = 0; b <= a; b++) {
        let s = 0;
        const xa = x2[a];
        const xb = x2[b];
        for (let i = 0; i < n; i++) s += (w ? w[i] : 1) * xa[i] * xb[i];
        gram2[a * K2 + b] = s;
        gram2[b * K2 + a] = s;
      }
    }
    const bread = invertSpd(gram2, K2);
    if (!bread) throw new DidwasmError("ALL_COLLINEAR", "the second-stage regressors are collinear");
    const vcov = sandwich(bread, meat, K2);
    fit = fit.withCustomVariance(
      { vcov, dfT: n - K2, dofK: K2, clusters: [{ name: cluster, G: cl.G }], notes: [] },
      `two-stage GMM, clustered by ${cluster}`,
    );
    return twoStageResult(fit, relTimes, notes, {
      nobs: untreated.length,
      coefficients: Object.fromEntries(keptControls.map((k, a) => [controls[k], beta[a]])),
      removed: controls.filter((_, k) => !keptControls.includes(k)),
    });
  });
}

/** `relTimes`: each event-study dummy's relative period, as the design made it (null for a static effect). */
function twoStageResult(fit: Fit, relTimes: ReadonlyMap<string, number> | null, notes: Note[], firstStage: TwoStageResult["firstStage"]): TwoStageResult {
  const tidy = fit.tidy();
  const coefficients = relTimes ? tidy.map((r) => ({ ...r, rel_time: relTimes.get(r.term)! })) : tidy;
  if (firstStage.removed.length) notes.push(warning("collinear_removed", `first stage: control(s) collinear with the fixed effects removed: ${firstStage.removed.join(", ")}`));
  const allNotes = [...notes, ...fit.notes];
  return {
    fit, coefficients, firstStage, notes: allNotes,
    toJSON() {
      const base = fit.toJSON();
      // The event study's covariance (for honestdid --from); a static effect has none.
      const eventVcov = relTimes ? eventVcovOfTerms(fit, tidy.filter((r) => relTimes.has(r.term)).map((r) => ({ ...r, rel_time: relTimes.get(r.term)! }))) : null;
      return { ...base, coefficients, ...(eventVcov ? { event_vcov: eventVcov } : {}), first_stage: firstStage, notes: allNotes };
    },
  };
}

/** The one-hot code renumbered to the kept columns (a dropped indicator's rows get -1). */
function recode(code: Int32Array, keptIdx: number[], total: number): Int32Array {
  const map = new Int32Array(total).fill(-1);
  keptIdx.forEach((j, k) => (map[j] = k));
  return code.map((c) => (c < 0 ? -1 : map[c]));
}
