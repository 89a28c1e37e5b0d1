// feols: least squares with any number of absorbed fixed effects, in fixest's formula syntax.
import { toFrame, type DataInput } from "../data/columns.js";
import type { BackendName } from "../engine/backend.js";
import { defaultEngine, type Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { buildDesign, designVariables } from "../model/design.js";
import { parseFormula, type Formula } from "../model/formula.js";
import { buildSample, type VariableUse } from "../model/sample.js";
import { parseVcov, resolveSsc, type Ssc, type VcovSpec } from "../model/vcov-spec.js";
import { Fit, clusterEncoder } from "./fit.js";
import { runOls } from "./ols-core.js";

/** Default demeaning tolerance (see the stopping rule in assembly/demean.ts). */
export const DEFAULT_TOL = 1e-8;
/** Default cap on demeaning sweeps per column. */
export const DEFAULT_MAX_ITER = 10_000;

export interface FeolsOptions {
  /** "iid", "hetero", "cluster:VAR" or "cluster:A+B". Default: clustered by the first fixed effect when
   *  there is one (fixest's default), otherwise iid. */
  readonly vcov?: string | VcovSpec;
  readonly ssc?: Partial<Ssc>;
  /** Column of analytic weights. */
  readonly weights?: string | null;
  /** Row filter, e.g. "east == 1 & year != 2008". */
  readonly subset?: string | null;
  /** "singleton" removes observations alone in a fixed-effect group, repeatedly (reghdfe). Default "none". */
  readonly fixefRm?: "none" | "singleton";
  readonly tol?: number;
  readonly maxIter?: number;
  readonly backend?: BackendName;
  /** An engine to run on; default: the shared engine of `backend`. */
  readonly engine?: Engine;
}

function defaultVcov(f: Formula): VcovSpec {
  return f.fixef.length > 0 ? { type: "cluster", vars: [...f.fixef[0].vars] } : { type: "iid" };
}

function checkOptions(o: FeolsOptions): void {
  if (o.tol !== undefined && !(o.tol > 0 && o.tol < 1)) throw new DidwasmError("BAD_OPTION", `tol must be in (0, 1), got ${o.tol}`);
  if (o.maxIter !== undefined && !(Number.isInteger(o.maxIter) && o.maxIter >= 1)) {
    throw new DidwasmError("BAD_OPTION", `maxIter must be a positive integer, got ${o.maxIter}`);
  }
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
  const vcov = options.vcov === undefined ? defaultVcov(f) : parseVcov(options.vcov);
  const ssc = resolveSsc(options.ssc);
  const engine = options.engine ?? defaultEngine(options.backend ?? "wasm");
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
      weights: options.weights ?? null,
      subset: options.subset ?? null,
      fixef: f.fixef,
      fixefRm: options.fixefRm ?? "none",
    });
    const design = buildDesign(frame, f, sample.rows, f.fixef.length > 0);
    const nParams = design.columns.length + sample.fixef.reduce((s, fe) => s + fe.G, 0) - Math.max(0, f.fixef.length - 1);
    if (sample.rows.length <= nParams) {
      throw new DidwasmError(
        "TOO_FEW_ROWS",
        `${sample.rows.length} observation(s) for ${nParams} parameters (${design.columns.length} coefficient(s)` +
          (f.fixef.length ? ` and ${nParams - design.columns.length} fixed-effect levels` : "") +
          "): more observations than parameters are needed",
        { nobs: sample.rows.length, parameters: nParams },
      );
    }
    const ys = outcomes.map((y) => {
      const v = frame.numeric(y, "outcome");
      return { name: y, values: Float64Array.from(sample.rows, (r) => v[r]) };
    });
    const clusterGroups = clusterEncoder(frame, sample.rows);
    const res = runOls({
      backend: engine.backend, outcomes: ys, design, weights: sample.weights, fixef: sample.fixef,
      tol: options.tol ?? DEFAULT_TOL, maxIter: options.maxIter ?? DEFAULT_MAX_ITER, vcov, ssc, clusterGroups,
    });
    const notes: string[] = [];
    if (sample.dropped.missing) notes.push(`${sample.dropped.missing} observation(s) removed because of missing values`);
    if (sample.dropped.zeroWeight) notes.push(`${sample.dropped.zeroWeight} observation(s) with zero weight removed`);
    if (sample.dropped.singletons) notes.push(`${sample.dropped.singletons} singleton observation(s) removed`);
    if (res.removed.length) notes.push(`collinear regressor(s) removed: ${res.removed.join(", ")}`);
    if (!res.converged) {
      notes.push(
        `demeaning did not converge within ${options.maxIter ?? DEFAULT_MAX_ITER} sweeps (tol ${options.tol ?? DEFAULT_TOL}) for: ${res.notConverged.join(", ")}`,
      );
    }
    const fixefSizes: Record<string, number> = {};
    sample.fixef.forEach((fe) => (fixefSizes[fe.name] = fe.G));
    for (const o of res.outcomes) {
      fits.set(
        o.name,
        new Fit({
          formula,
          outcome: o.name,
          coefNames: res.keptNames,
          coef: o.coef,
          vcovSpec: vcov,
          ssc,
          variance: o.vcov,
          nobs: res.n,
          rss: o.rss,
          tss: o.tss,
          tssWithin: f.fixef.length > 0 ? o.tssWithin : null,
          constant: o.constant,
          intercept: design.intercept,
          removed: res.removed,
          nobsMissing: sample.dropped.missing,
          singletonsRemoved: sample.dropped.singletons,
          fixefSizes,
          iterations: Math.max(0, ...res.iterations),
          converged: res.converged,
          notes,
          weights: options.weights ?? null,
          internals: {
            frame, rows: sample.rows, X: res.X, resid: o.resid, weights: sample.weights, bread: res.bread, fixef: sample.fixef,
            engine: options.engine ?? null, backendName: engine.backend.name,
          },
        }),
      );
    }
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
