// feols: least squares with any number of absorbed fixed effects, in fixest's formula syntax.
import { toFrame, type DataInput } from "../data/columns.js";
import { DidwasmError } from "../errors.js";
import type { Frame } from "../data/frame.js";
import { buildDesign, designVariables, type Design } from "../model/design.js";
import { parseFormula, type Formula, type FormulaOptions } from "../model/formula.js";
import { absorbsConstant } from "../model/formula-slopes.js";
import { withDerivedColumns } from "../model/transform-columns.js";
import type { SampleCache } from "../model/sample-cache.js";
import { buildSample, sampleValues, type Sample, type VariableUse } from "../model/sample.js";
import { vcovVariables } from "../model/vcov-complete.js";
import type { VcovSpec } from "../model/vcov-spec.js";
import { resolveCommon, type CommonFitOptions, type ResolvedCommon } from "./common-options.js";
import type { Fit } from "./fit.js";
import { fitDesign } from "./fit-design.js";
import { withIvVariables } from "./iv-design.js";
import { fitIvPrepared } from "./iv-feols.js";

export { DEFAULT_MAX_ITER, DEFAULT_TOL } from "./common-options.js";

/** Options of feols. `vcov` defaults to clustering by the first fixed effect when there is one (fixest's
 *  default), otherwise iid. */
export interface FeolsOptions extends CommonFitOptions {
  /** "singleton" removes observations alone in a fixed-effect group, repeatedly (reghdfe). Default "none". */
  readonly fixefRm?: "none" | "singleton";
  /** Rows a caller excludes programmatically (1 = may enter), on top of `subset`. */
  readonly rowFilter?: Uint8Array | null;
  /** Samples shared with the other models of one multiple estimation (multi-fit.ts). */
  readonly sampleCache?: SampleCache | null;
}

function defaultVcov(f: Formula): VcovSpec {
  return f.fixef.length > 0 ? { type: "cluster", vars: [...f.fixef[0].vars] } : { type: "iid" };
}

function checkOptions(o: FeolsOptions): void {
  if (o.fixefRm !== undefined && o.fixefRm !== "none" && o.fixefRm !== "singleton") {
    throw new DidwasmError("BAD_OPTION", `fixefRm must be "none" or "singleton", got "${o.fixefRm}"`);
  }
}

/** A formula model prepared for estimation: the sample and design of each group of outcomes (outcomes
 *  with the same missing rows share one). Also used by resampling, which refits variations of it. */
export interface PreparedModel {
  readonly frame: Frame;
  readonly formula: Formula;
  readonly common: ResolvedCommon;
  readonly groups: ReadonlyArray<{ readonly outcomes: readonly string[]; readonly sample: Sample; readonly design: Design }>;
}

/** `accept.iv`: the formula may have an instrumental-variables part (feols estimates it; the resampling
 *  commands, which refit the regressors' design, leave it out and so refuse it). */
export function prepareModel(data: DataInput, formula: string, options: FeolsOptions = {}, accept: FormulaOptions = {}): PreparedModel {
  checkOptions(options);
  const f = parseFormula(formula, accept);
  const input = toFrame(data);
  const common = resolveCommon(options, defaultVcov(f), input.nrow);
  // Transforms (log(x), poly(x, 2)) become columns of the frame, named as the formula names them.
  const { frame, notes: transformNotes } = withDerivedColumns(input, f, { subset: common.subset, rowFilter: options.rowFilter ?? null });
  const rhs = withIvVariables(designVariables(f), f);
  // The fit copies its outcomes and regressors into fresh memory: with kernel threads, they touch it while
  // this thread builds the sample (engine/touch-ahead.ts): the columns over every row and the fixed effects'
  // ids, about what the fit's first buffers take.
  common.engine.backend.threads?.touchHeapAhead(input.nrow * (8 * (f.outcomes.length + rhs.numeric.length) + 4 * f.fixef.length));
  // The variance's columns (clusters, panel, coordinates): rows missing one are left out, as in fixest.
  const vcovUses = vcovVariables(common.vcov, f.fixef.map((fe) => fe.name));
  const categorical: VariableUse[] = [
    ...rhs.categorical,
    ...f.fixef.flatMap((fe) => fe.vars.map((v) => ({ name: v, role: "fixed effect" }))),
    ...vcovUses.categorical,
  ];
  const byMissing = new Map<string, string[]>();
  for (const y of f.outcomes) {
    const v = frame.numeric(y, "outcome");
    let key = "";
    if (f.outcomes.length > 1) {
      const bits: number[] = [];
      for (let r = 0; r < v.length; r++) if (Number.isNaN(v[r])) bits.push(r);
      key = bits.join(",");
    }
    byMissing.set(key, [...(byMissing.get(key) ?? []), y]);
  }
  const groups = [...byMissing.values()].map((outcomes) => {
    const built = (options.sampleCache?.build ?? buildSample)(frame, {
      numeric: [...outcomes.map((y) => ({ name: y, role: "outcome" })), ...rhs.numeric, ...vcovUses.numeric],
      categorical,
      weights: common.weights,
      subset: common.subset,
      rowFilter: options.rowFilter ?? null,
      fixef: f.fixef,
      fixefRm: options.fixefRm ?? "none",
    });
    const sample: Sample = transformNotes.length ? { ...built, notes: [...(built.notes ?? []), ...transformNotes] } : built;
    // Slopes alone (fe[[x]]) absorb no constant: the model keeps its intercept, as in fixest.
    return { outcomes, sample, design: buildDesign(frame, f, sample.rows, absorbsConstant(f.fixef), options.sampleCache?.values) };
  });
  return { frame, formula: f, common, groups };
}

/** Estimates every outcome of the formula (c(y1, y2) ~ ...). Outcomes with the same missing rows share one
 *  sample and one demeaning of the regressors. */
export function feolsMulti(data: DataInput, formula: string, options: FeolsOptions = {}): Fit[] {
  const m = prepareModel(data, formula, options, { iv: true });
  return m.formula.iv ? fitIvPrepared(m, formula) : fitPrepared(m, formula);
}

/** The fits of a prepared model, one per outcome in formula order (callers that also reuse the prepared
 *  sample and design, as resampling does, prepare once). */
export function fitPrepared(m: PreparedModel, label: string): Fit[] {
  const fits = new Map<string, Fit>();
  for (const { outcomes, sample, design } of m.groups) {
    const ys = outcomes.map((y) => ({ name: y, values: sampleValues(m.frame, y, sample.rows, "outcome") }));
    const results = fitDesign({ frame: m.frame, label, outcomes: ys, sample, design, common: m.common });
    results.forEach((fit) => fits.set(fit.outcome, fit));
  }
  return m.formula.outcomes.map((y) => fits.get(y)!);
}

/** Refuses c(y1, y2) ~ ... where one fit is expected. */
export function checkSingleOutcome(formula: string): void {
  const f = parseFormula(formula, { iv: true });
  if (f.outcomes.length !== 1) {
    throw new DidwasmError("MULTIPLE_OUTCOMES", `the formula has ${f.outcomes.length} outcomes (${f.outcomes.join(", ")}): use feolsMulti, which returns one fit per outcome`);
  }
}

/** Estimates a single-outcome formula; for c(y1, y2) ~ ... use feolsMulti. */
export function feols(data: DataInput, formula: string, options: FeolsOptions = {}): Fit {
  checkSingleOutcome(formula);
  return feolsMulti(data, formula, options)[0];
}
