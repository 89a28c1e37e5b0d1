// logit: logistic regression by maximum likelihood (Newton / IRLS, see logit-core.ts), with Wald standard
// errors from the inverse information, z statistics and normal p-values, as R's glm(family = binomial)
// and Stata's logit report them.
import { toFrame, type DataInput } from "../data/columns.js";
import { info, warning, type Note } from "../notes.js";
import type { BackendName } from "../engine/backend.js";
import { defaultEngine, type Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { buildDesign, designVariables } from "../model/design.js";
import { parseFormula } from "../model/formula.js";
import { buildSample, sampleValues } from "../model/sample.js";
import { normalQuantile, tTwoSidedP } from "../stats/distributions.js";
import { checkTolMaxIter } from "./common-options.js";
import { LOGIT_MAX_ITER, LOGIT_TOL, runLogit, type LogitCore } from "./logit-core.js";
import type { TidyRow } from "./fit.js";

export { LOGIT_MAX_ITER, LOGIT_TOL } from "./logit-core.js";

export interface LogitOptions {
  /** Column of prior (case) weights, as glm's `weights`. */
  readonly weights?: string | null;
  /** Row filter, e.g. "year == 2010". */
  readonly subset?: string | null;
  /** Convergence tolerance on the relative change in deviance (default 1e-10). */
  readonly tol?: number;
  /** Cap on Newton iterations (default 50). */
  readonly maxIter?: number;
  readonly backend?: BackendName;
  readonly engine?: Engine;
}

/** A coefficient row: the same fields as a regression's (z statistic and normal p-value here). */
export type LogitRow = TidyRow;

/** The immutable result of a logit fit. */
export class LogitResult {
  readonly formula: string;
  readonly outcome: string;
  readonly coefNames: readonly string[];
  readonly nobs: number;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly logLik: number;
  readonly aic: number;
  /** McFadden's pseudo R^2, 1 - deviance / null deviance. */
  readonly pseudoR2: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly removed: readonly string[];
  readonly notes: readonly Note[];
  private readonly core: LogitCore;

  constructor(f: { formula: string; outcome: string; core: LogitCore; notes: readonly Note[] }) {
    this.formula = f.formula;
    this.outcome = f.outcome;
    this.core = f.core;
    this.coefNames = Object.freeze([...f.core.keptNames]);
    this.nobs = f.core.n;
    this.deviance = f.core.deviance;
    this.nullDeviance = f.core.nullDeviance;
    this.logLik = -f.core.deviance / 2;
    this.aic = f.core.deviance + 2 * this.coefNames.length;
    this.pseudoR2 = 1 - f.core.deviance / f.core.nullDeviance;
    this.iterations = f.core.iterations;
    this.converged = f.core.converged;
    this.removed = Object.freeze([...f.core.removed]);
    const notes = [...f.notes];
    if (f.core.removed.length) notes.push(warning("collinear_removed", `collinear regressor(s) removed: ${f.core.removed.join(", ")}`));
    if (!f.core.converged) notes.push(warning("not_converged", `the logit did not converge within ${f.core.iterations} Newton iterations`));
    this.notes = Object.freeze(notes);
    Object.freeze(this);
  }

  estimates(): Float64Array {
    return Float64Array.from(this.core.coef);
  }
  standardErrors(): Float64Array {
    const K = this.coefNames.length;
    return Float64Array.from({ length: K }, (_, i) => Math.sqrt(this.core.vcov[i * K + i]));
  }
  /** Inverse information, rows and columns in coefNames order. */
  get vcov(): number[][] {
    const K = this.coefNames.length;
    return Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => this.core.vcov[i * K + j]));
  }
  /** Linear predictor per observation of the sample. */
  linearPredictor(): Float64Array {
    return Float64Array.from(this.core.eta);
  }
  /** Fitted probabilities per observation of the sample. */
  fitted(): Float64Array {
    return Float64Array.from(this.core.fitted);
  }
  coef(name: string): number {
    return this.core.coef[this.index(name)];
  }
  se(name: string): number {
    return this.standardErrors()[this.index(name)];
  }
  private index(name: string): number {
    const i = this.coefNames.indexOf(name);
    if (i < 0) throw new DidwasmError("UNKNOWN_COEFFICIENT", `no coefficient "${name}" in the logit (it has: ${this.coefNames.join(", ")})`);
    return i;
  }

  /** Wald rows: z = b / se, p from the standard normal, intervals b -+ z_{(1+level)/2} se. */
  tidy(level = 0.95): LogitRow[] {
    const s = this.standardErrors();
    const q = normalQuantile(1 - (1 - level) / 2);
    return this.coefNames.map((term, i) => {
      const b = this.core.coef[i];
      const z = b / s[i];
      return { term, estimate: b, std_error: s[i], statistic: z, p_value: tTwoSidedP(z, Infinity), conf_low: b - q * s[i], conf_high: b + q * s[i] };
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      model: "logit",
      outcome: this.outcome,
      formula: this.formula,
      nobs: this.nobs,
      coefficients: this.tidy(),
      deviance: this.deviance,
      null_deviance: this.nullDeviance,
      log_lik: this.logLik,
      aic: this.aic,
      pseudo_r2: this.pseudoR2,
      iterations: this.iterations,
      converged: this.converged,
      removed: [...this.removed],
      notes: [...this.notes],
    };
  }
}

/** Logistic regression of a 0/1 outcome on the formula's regressors ("y ~ x1 + x2", i() dummies and
 *  products allowed; an intercept unless "- 1"; no fixed effects). */
export function logit(data: DataInput, formula: string, options: LogitOptions = {}): LogitResult {
  checkTolMaxIter(options);
  const frame = toFrame(data);
  const f = parseFormula(formula);
  if (f.outcomes.length !== 1) throw new DidwasmError("MULTIPLE_OUTCOMES", `a logit has one outcome; the formula has ${f.outcomes.length}`);
  if (f.fixef.length > 0) {
    throw new DidwasmError("BAD_OPTION", `a logit here takes no fixed effects ("| ${f.fixef.map((x) => x.name).join(" + ")}"): enter them as i(${f.fixef[0].name}) dummies`);
  }
  const rhs = designVariables(f);
  const sample = buildSample(frame, {
    numeric: [{ name: f.outcomes[0], role: "outcome" }, ...rhs.numeric],
    categorical: rhs.categorical,
    weights: options.weights ?? null,
    subset: options.subset ?? null,
    fixef: [],
    fixefRm: "none",
  });
  const design = buildDesign(frame, f, sample.rows, false);
  const y = sampleValues(frame, f.outcomes[0], sample.rows, "outcome");
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) {
      throw new DidwasmError("BAD_DATA", `outcome "${f.outcomes[0]}" must be 0 or 1 for a logit, but ${frame.describeRow(sample.rows[i])} has ${y[i]}`, {
        column: f.outcomes[0], row: sample.rows[i],
      });
    }
  }
  if (sample.rows.length <= design.columns.length) {
    throw new DidwasmError("TOO_FEW_ROWS", `${sample.rows.length} observation(s) for ${design.columns.length} coefficient(s): more observations than coefficients are needed`);
  }
  const engine = options.engine ?? defaultEngine(options.backend ?? "wasm");
  const core = runLogit({
    backend: engine.backend, names: design.names, columns: design.columns, intercept: design.intercept, y, weights: sample.weights,
    tol: options.tol ?? LOGIT_TOL, maxIter: options.maxIter ?? LOGIT_MAX_ITER, outcomeLabel: `outcome "${f.outcomes[0]}"`,
  });
  const notes: Note[] = [];
  if (sample.dropped.missing) notes.push(info("missing_dropped", `${sample.dropped.missing} observation(s) removed because of missing values`));
  if (sample.dropped.zeroWeight) notes.push(info("zero_weight_dropped", `${sample.dropped.zeroWeight} observation(s) with zero weight removed`));
  return new LogitResult({ formula, outcome: f.outcomes[0], core, notes });
}
