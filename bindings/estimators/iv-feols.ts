// feols with instrumental variables (y ~ exo | fe | endo ~ inst): the prepared model's samples, the IV
// designs over them, the 2SLS job (iv-core.ts), and the fits (iv-fit.ts), one per outcome.
import { warning, type Note } from "../notes.js";
import { DidwasmError } from "../errors.js";
import type { Design } from "../model/design.js";
import { designColumns } from "../model/lazy-columns.js";
import { sampleValues } from "../model/sample.js";
import type { Frame } from "../data/frame.js";
import type { Formula } from "../model/formula.js";
import type { Sample } from "../model/sample.js";
import type { ResolvedCommon } from "./common-options.js";
import { Fit, clusterEncoder, numericEncoder, type FitFields } from "./fit.js";
import { sampleNotes } from "./fit-design.js";
import { runIv, type IvCoreResult, type IvJob, type StageFit } from "./iv-core.js";
import { ivDesigns } from "./iv-design.js";
import { IvFit } from "./iv-fit.js";
import { fixefParameters } from "./vcov/params.js";

/** The raw (not demeaned) columns behind a stage's coefficients, named as its coefficients are, for
 *  fixef() and predict() (fit-results.ts): a fitted endogenous variable stands for the ACTUAL one, so that
 *  y - u = fixed effects + E b + X c, from which fixef() gives fixest's values. Columns are read only if
 *  used (the designs' own columns may be lazy). */
function rawColumns(parts: ReadonlyArray<{ design: Design; names: readonly string[] }>): Design {
  const names = parts.flatMap((p) => p.names);
  const columns = designColumns(parts.flatMap((p) => p.names.map((_, j) => ({ make: () => p.design.columns[j], write: (out: Float64Array, at: number) => out.set(p.design.columns[j], at) }))));
  return { names, columns, intercept: false };
}

/** What feols prepared (its PreparedModel, which this module does not import: feols.ts imports it). */
export interface IvPreparedModel {
  readonly frame: Frame;
  readonly formula: Formula;
  readonly common: ResolvedCommon;
  readonly groups: ReadonlyArray<{ readonly outcomes: readonly string[]; readonly sample: Sample; readonly design: Design }>;
}

/** The IV fits of a prepared model whose formula has an IV part, one per outcome in formula order. */
export function fitIvPrepared(m: IvPreparedModel, label: string): IvFit[] {
  const fits = new Map<string, IvFit>();
  const { common, frame } = m;
  for (const { outcomes, sample, design } of m.groups) {
    const { endo, inst } = ivDesigns(frame, m.formula, sample.rows, design);
    const nFixef = fixefParameters(sample.fixef);
    const nParams = design.columns.length + inst.columns.length + nFixef;
    if (sample.rows.length <= nParams) {
      throw new DidwasmError(
        "TOO_FEW_ROWS",
        `${sample.rows.length} observation(s) for the ${nParams} parameters of the first stage (regressors, instruments` +
          (sample.fixef.length ? " and fixed-effect levels" : "") + "): more observations than parameters are needed",
        { nobs: sample.rows.length, parameters: nParams },
      );
    }
    const ys = outcomes.map((y) => ({ name: y, values: sampleValues(frame, y, sample.rows, "outcome") }));
    const job: IvJob = {
      backend: common.engine.backend, outcomes: ys, exo: design, endo, inst, weights: sample.weights, fixef: sample.fixef, tol: common.tol,
      maxIter: common.maxIter, vcov: common.vcov, ssc: common.ssc, clusterGroups: clusterEncoder(frame, sample.rows, sample.fixef),
      sampleNumeric: numericEncoder(frame, sample.rows),
    };
    const res = runIv(job);
    // Large fits did not keep their regressors: withVcov runs the job again, once, keeping them.
    let again: IvCoreResult | null = null;
    const rerun = () => (again ??= runIv({ ...job, keepDesigns: true }));
    const designOf = (s: StageFit, pick: (r: IvCoreResult) => StageFit): (() => Float64Array) => (s.X ? () => s.X! : () => pick(rerun()).X!);
    const fixefSizes: Record<string, number> = {};
    sample.fixef.forEach((fe) => (fixefSizes[fe.name] = fe.G));
    const baseNotes: Note[] = [...sampleNotes(sample), ...(sample.notes ?? []), ...res.notes];
    const fitNames = endo.names.map((e) => `fit_${e}`);
    const secondRaw = rawColumns([{ design, names: design.names }, { design: endo, names: fitNames }]);
    const firstRaw = rawColumns([{ design, names: design.names }, { design: inst, names: inst.names }]);
    const fields = (s: StageFit, notes: Note[], y: Float64Array, raw: Design, X: () => Float64Array): FitFields => ({
      formula: label, outcome: s.outcome, coefNames: s.coefNames, coef: s.coef, vcovSpec: common.vcov, ssc: common.ssc, variance: s.vcov, nobs: res.n,
      rss: s.rss, tss: s.tss, tssWithin: sample.fixef.length > 0 ? s.tssWithin : null, constant: s.constant, intercept: design.intercept, removed: s.removed,
      nobsMissing: sample.dropped.missing, singletonsRemoved: sample.dropped.singletons, fixefSizes, fixefParameters: nFixef, iterations: res.iterations,
      converged: res.converged, notes: [...notes, ...(s.removed.length ? [warning("collinear_removed", `collinear regressor(s) removed: ${s.removed.join(", ")}`)] : [])],
      weights: common.weights,
      internals: {
        frame, rows: sample.rows, X: s.X, demeanedX: X, resid: s.resid, weights: sample.weights, bread: s.bread, fixef: sample.fixef,
        engine: common.engineGiven ? common.engine : null, backendName: common.engine.backend.name, varianceUnits: s.varianceUnits, y, design: raw,
      },
    });
    const firstStages = res.firstStages.map((s, j) => ({
      endogenous: s.endogenous, fit: new Fit(fields(s.fit, [], endo.columns[j], firstRaw, designOf(s.fit, (r) => r.firstStages[j].fit))), ssr: s.ssr, ssrNoInst: s.ssrNoInst }));
    res.second.forEach((s, l) => {
      const fit = new IvFit(fields(s.fit, baseNotes, ys[l].values, secondRaw, designOf(s.fit, (r) => r.second[l].fit)), {
        endogenous: endo.names, instruments: res.instruments, firstStages, ssrFitted: s.ssrFitted, ssrNoEndo: s.ssrNoEndo, wh: s.wh,
      });
      fits.set(fit.outcome, fit);
    });
  }
  return m.formula.outcomes.map((y) => fits.get(y)!);
}
