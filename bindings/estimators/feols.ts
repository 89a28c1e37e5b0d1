// feols: least squares with any number of absorbed fixed effects, in fixest's formula syntax.
import { toFrame, type DataInput } from "../data/columns.js";
import { DidwasmError } from "../errors.js";
import { buildDesign, designVariables } from "../model/design.js";
import { parseFormula, type Formula } from "../model/formula.js";
import { buildSample, sampleValues, type VariableUse } from "../model/sample.js";
import type { VcovSpec } from "../model/vcov-spec.js";
import { resolveCommon, type CommonFitOptions } from "./common-options.js";
import type { Fit } from "./fit.js";
import { fitDesign } from "./fit-design.js";

export { DEFAULT_MAX_ITER, DEFAULT_TOL } from "./common-options.js";

/** Options of feols. `vcov` defaults to clustering by the first fixed effect when there is one (fixest's
 *  default), otherwise iid. */
export interface FeolsOptions extends CommonFitOptions {
  /** "singleton" removes observations alone in a fixed-effect group, repeatedly (reghdfe). Default "none". */
  readonly fixefRm?: "none" | "singleton";
}

function defaultVcov(f: Formula): VcovSpec {
  return f.fixef.length > 0 ? { type: "cluster", vars: [...f.fixef[0].vars] } : { type: "iid" };
}

function checkOptions(o: FeolsOptions): void {
  if (o.fixefRm !== undefined && o.fixefRm !== "none" && o.fixefRm !== "singleton") {
    throw new DidwasmError("BAD_OPTION", `fixefRm must be "none" or "singleton", got "${o.fixefRm}"`);
  }
}

/** Estimates every outcome of the formula (c(y1, y2) ~ ...). Outcomes with the same missing rows share one
 *  sample and one demeaning of the regressors. */
export function feolsMulti(data: DataInput, formula: string, options: FeolsOptions = {}): Fit[] {
  checkOptions(options);
  const frame = toFrame(data);
  const f = parseFormula(formula);
  const common = resolveCommon(options, defaultVcov(f));
  const vcov = common.vcov;
  const rhs = designVariables(f);
  const categorical: VariableUse[] = [
    ...rhs.categorical,
    ...f.fixef.flatMap((fe) => fe.vars.map((v) => ({ name: v, role: "fixed effect" }))),
    ...(vcov.type === "cluster" ? vcov.vars.map((v) => ({ name: v, role: "cluster variable" })) : []),
  ];

  // Group outcomes by their missing rows.
  const groups = new Map<string, string[]>();
  for (const y of f.outcomes) {
    const v = frame.numeric(y, "outcome");
    let key = "";
    if (f.outcomes.length > 1) {
      const bits: number[] = [];
      for (let r = 0; r < v.length; r++) if (Number.isNaN(v[r])) bits.push(r);
      key = bits.join(",");
    }
    groups.set(key, [...(groups.get(key) ?? []), y]);
  }

  const fits = new Map<string, Fit>();
  for (const outcomes of groups.values()) {
    const sample = buildSample(frame, {
      numeric: [...outcomes.map((y) => ({ name: y, role: "outcome" })), ...rhs.numeric],
      categorical,
      weights: common.weights,
      subset: common.subset,
      fixef: f.fixef,
      fixefRm: options.fixefRm ?? "none",
    });
    const design = buildDesign(frame, f, sample.rows, f.fixef.length > 0);
    const ys = outcomes.map((y) => ({ name: y, values: sampleValues(frame, y, sample.rows, "outcome") }));
    const results = fitDesign({ frame, label: formula, outcomes: ys, sample, design, common });
    results.forEach((fit) => fits.set(fit.outcome, fit));
  }
  return f.outcomes.map((y) => fits.get(y)!);
}

/** Estimates a single-outcome formula; for c(y1, y2) ~ ... use feolsMulti. */
export function feols(data: DataInput, formula: string, options: FeolsOptions = {}): Fit {
  const f = parseFormula(formula);
  if (f.outcomes.length !== 1) {
    throw new DidwasmError("MULTIPLE_OUTCOMES", `the formula has ${f.outcomes.length} outcomes (${f.outcomes.join(", ")}): use feolsMulti, which returns one fit per outcome`);
  }
  return feolsMulti(data, formula, options)[0];
}
