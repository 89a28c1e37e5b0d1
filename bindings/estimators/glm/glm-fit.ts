// A GlmFit is the immutable result of fepois or feglm: coefficients with z statistics and normal p-values
// (fixest's for the Poisson and binomial families), the deviance, log-likelihood and pseudo R², and what
// withVcov() needs to recompute the variance without refitting. Accessors return copies.
import type { Frame } from "../../data/frame.js";
import { defaultEngine, type Engine } from "../../engine/engine.js";
import { DidwasmError } from "../../errors.js";
import { info, type Note } from "../../notes.js";
import type { FixefEncoding } from "../../model/sample.js";
import { parseVcov, resolveSsc, vcovLabel, type Ssc, type VcovSpec } from "../../model/vcov-spec.js";
import { normalQuantile, tTwoSidedP } from "../../stats/distributions.js";
import { log } from "../../stats/libm.js";
import { clusterEncoder, numericEncoder, type TidyRow } from "../fit.js";
import { waldOfFit, type FixefValues, type WaldResult } from "../fit-results.js";
import { standardErrorsOf, type VcovResult } from "../vcov/index.js";
import type { FamilyName } from "./family.js";
import { glmFitted, glmFixef, glmResid, type GlmResultSource } from "./glm-results.js";
import { glmVariance } from "./glm-variance.js";
import { coefIndex, matrixRows, namedValues } from "../coef-names.js";

/** What withVcov and the results (glm-results.ts) need; not part of the public surface. */
export interface GlmInternals extends GlmResultSource {
  readonly frame: Frame;
  readonly rows: Int32Array;
  readonly Xd: Float64Array;
  readonly resid: Float64Array;
  readonly w: Float64Array;
  readonly bread: Float64Array;
  readonly fixef: readonly FixefEncoding[];
  readonly engine: Engine | null;
  readonly backendName: "wasm" | "reference";
}

/** Rows removed before estimating and why (perfect-fit groups per fixed effect, separated rows). */
export interface GlmRemovals {
  /** Fixed-effect groups removed because the outcome fits them perfectly, per fixed effect. */
  readonly perfectFitGroups: Readonly<Record<string, number>>;
  readonly perfectFitRows: number;
  /** Rows removed as separated by the regressors (Poisson, the iterative rectifier). */
  readonly separatedRows: number;
}

export interface GlmFitFields {
  readonly family: FamilyName;
  readonly formula: string;
  readonly outcome: string;
  readonly coefNames: readonly string[];
  readonly coef: Float64Array;
  readonly vcovSpec: VcovSpec;
  readonly ssc: Ssc;
  readonly variance: VcovResult;
  readonly nobs: number;
  /** Coefficients plus fixed-effect parameters (fixest's nparams). */
  readonly nparams: number;
  readonly deviance: number;
  readonly logLik: number;
  readonly logLikNull: number;
  readonly sqCor: number | null;
  readonly removed: readonly string[];
  readonly removals: GlmRemovals;
  readonly nobsMissing: number;
  readonly fixefSizes: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly converged: boolean;
  /** Threads the fixed-effect demeaning of each IRLS step ran on (estimators/thread-choice.ts). */
  readonly threads?: number;
  readonly notes: readonly Note[];
  readonly weights: string | null;
  readonly offset: string | null;
  readonly internals: GlmInternals;
}

export class GlmFit {
  readonly family: FamilyName;
  readonly formula: string;
  readonly outcome: string;
  readonly coefNames: readonly string[];
  readonly nobs: number;
  readonly nparams: number;
  readonly deviance: number;
  readonly logLik: number;
  readonly logLikNull: number;
  /** fixest's pseudo R² (r2(x, "pr2")): 1 - logLik / logLikNull. */
  readonly pseudoR2: number;
  /** fixest's adjusted pseudo R² (printed by summary): 1 - (logLik - nparams + 1) / logLikNull. */
  readonly adjPseudoR2: number;
  readonly aic: number;
  readonly bic: number;
  /** Squared correlation of the outcome and the fitted means (null when the fitted means are constant). */
  readonly sqCor: number | null;
  readonly removed: readonly string[];
  readonly removals: GlmRemovals;
  readonly nobsMissing: number;
  readonly fixefSizes: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly converged: boolean;
  readonly notes: readonly Note[];
  readonly vcovType: string;
  readonly ssc: Ssc;
  readonly dofK: number;
  readonly weights: string | null;
  readonly offset: string | null;
  readonly clusters: ReadonlyArray<{ readonly name: string; readonly G: number }>;
  private readonly fields: GlmFitFields;

  constructor(fields: GlmFitFields) {
    this.fields = fields;
    this.family = fields.family;
    this.formula = fields.formula;
    this.outcome = fields.outcome;
    this.coefNames = Object.freeze([...fields.coefNames]);
    this.nobs = fields.nobs;
    this.nparams = fields.nparams;
    this.deviance = fields.deviance;
    this.logLik = fields.logLik;
    this.logLikNull = fields.logLikNull;
    this.pseudoR2 = 1 - fields.logLik / fields.logLikNull;
    this.adjPseudoR2 = 1 - (fields.logLik - fields.nparams + 1) / fields.logLikNull;
    this.aic = -2 * fields.logLik + 2 * fields.nparams;
    this.bic = -2 * fields.logLik + fields.nparams * log(fields.nobs);
    this.sqCor = fields.sqCor;
    this.removed = Object.freeze([...fields.removed]);
    this.removals = fields.removals;
    this.nobsMissing = fields.nobsMissing;
    this.fixefSizes = Object.freeze({ ...fields.fixefSizes });
    this.iterations = fields.iterations;
    this.converged = fields.converged;
    this.notes = Object.freeze([...fields.notes, ...fields.variance.notes.map((n) => info("method", n))]);
    this.vcovType = fields.variance.label ?? vcovLabel(fields.vcovSpec);
    this.ssc = fields.ssc;
    this.dofK = fields.variance.dofK;
    this.weights = fields.weights;
    this.offset = fields.offset;
    this.clusters = fields.variance.clusters;
    Object.freeze(this);
  }

  private index(name: string): number {
    return coefIndex(this.coefNames, name);
  }

  private named(values: ArrayLike<number>): Record<string, number> {
    return namedValues(this.coefNames, values);
  }

  /** Variance-covariance matrix of the coefficients (coefNames order). */
  get vcov(): number[][] {
    return matrixRows(this.fields.variance.vcov, this.coefNames.length);
  }

  estimates(): Float64Array {
    return Float64Array.from(this.fields.coef);
  }
  standardErrors(): Float64Array {
    return standardErrorsOf(this.fields.variance, this.coefNames.length);
  }

  coef(): Record<string, number>;
  coef(name: string): number;
  coef(name?: string): Record<string, number> | number {
    return name === undefined ? this.named(this.fields.coef) : this.fields.coef[this.index(name)];
  }

  se(): Record<string, number>;
  se(name: string): number;
  se(name?: string): Record<string, number> | number {
    const s = this.standardErrors();
    return name === undefined ? this.named(s) : s[this.index(name)];
  }

  /** z statistics b / se. */
  zstat(): Record<string, number>;
  zstat(name: string): number;
  zstat(name?: string): Record<string, number> | number {
    const s = this.standardErrors();
    const z = this.fields.coef.map((b, i) => b / s[i]);
    return name === undefined ? this.named(z) : z[this.index(name)];
  }

  /** Two-sided p-values from the standard normal. */
  pvalue(): Record<string, number>;
  pvalue(name: string): number;
  pvalue(name?: string): Record<string, number> | number {
    const z = this.zstat();
    const p = this.coefNames.map((n) => tTwoSidedP(z[n], Infinity));
    return name === undefined ? this.named(p) : p[this.index(name)];
  }

  /** Confidence intervals b -+ z_{(1+level)/2} se. */
  confint(level = 0.95): Record<string, [number, number]> {
    const out: Record<string, [number, number]> = {};
    for (const r of this.tidy(level)) out[r.term] = [r.conf_low, r.conf_high];
    return out;
  }

  tidy(level = 0.95): TidyRow[] {
    if (!(level > 0 && level < 1)) throw new DidwasmError("BAD_OPTION", `confidence level must be between 0 and 1, got ${level}`);
    const s = this.standardErrors();
    const q = normalQuantile(1 - (1 - level) / 2);
    return this.coefNames.map((term, i) => {
      const b = this.fields.coef[i];
      const z = b / s[i];
      return { term, estimate: b, std_error: s[i], statistic: z, p_value: tTwoSidedP(z, Infinity), conf_low: b - q * s[i], conf_high: b + q * s[i] };
    });
  }

  /** The same fit with another variance estimator (and optionally other small-sample corrections). */
  withVcov(spec: string | VcovSpec, ssc?: string | Partial<Ssc>): GlmFit {
    const vcovSpec = parseVcov(spec);
    const inn = this.fields.internals;
    const engine = inn.engine ?? defaultEngine(inn.backendName);
    const variance = glmVariance(vcovSpec, {
      backend: engine.backend, n: this.nobs, K: this.coefNames.length, Xd: inn.Xd, resid: inn.resid, w: inn.w, bread: inn.bread, fixef: inn.fixef,
      clusterGroups: clusterEncoder(inn.frame, inn.rows, inn.fixef), sampleNumeric: numericEncoder(inn.frame, inn.rows), ssc: resolveSsc(ssc ?? this.ssc),
    });
    return new GlmFit({ ...this.fields, vcovSpec, ssc: resolveSsc(ssc ?? this.ssc), variance });
  }

  /** Fitted means (fixest's fitted()/predict(), type "response"), one per row of the input data: NaN where
   *  the row is not in the estimation sample. */
  predict(): Float64Array {
    return glmFitted(this.fields.internals);
  }

  /** Response residuals y - mu (fixest's resid(), type "response"), one per row of the input data: NaN where
   *  the row is not in the sample. */
  resid(): Float64Array {
    return glmResid(this.fields.internals);
  }

  /** The fixed effects' values on the link scale, normalised as fixest's fixef(). */
  fixef(): FixefValues {
    return glmFixef(this.fields.internals, this.coefNames, this.fields.coef);
  }

  /** Joint Wald test that the coefficients matching `keep` (a regular expression, "!" in front negates) are
   *  all zero, as fixest's wald(): an F statistic on (tested, nobs - nparams) degrees of freedom. */
  wald(keep: string): WaldResult {
    return waldOfFit(keep, this.coefNames, this.fields.coef, this.fields.variance.vcov, this.nobs - this.nparams, this.vcovType);
  }

  toJSON(): Record<string, unknown> {
    return {
      model: this.family === "poisson" ? "fepois" : "feglm",
      family: this.family,
      outcome: this.outcome,
      formula: this.formula,
      nobs: this.nobs,
      vcov: this.vcovType,
      distribution: "normal",
      coefficients: this.tidy(),
      deviance: this.deviance,
      log_lik: this.logLik,
      log_lik_null: this.logLikNull,
      pseudo_r2: this.pseudoR2,
      adj_pseudo_r2: this.adjPseudoR2,
      sq_cor: this.sqCor,
      aic: this.aic,
      bic: this.bic,
      nparams: this.nparams,
      removed: [...this.removed],
      fixef_sizes: { ...this.fixefSizes },
      clusters: this.clusters.map((c) => ({ ...c })),
      nobs_missing: this.nobsMissing,
      perfect_fit_removed: { groups: { ...this.removals.perfectFitGroups }, observations: this.removals.perfectFitRows },
      separated_removed: this.removals.separatedRows,
      offset: this.offset,
      weights: this.weights,
      iterations: this.iterations,
      converged: this.converged,
      ...(this.fields.threads !== undefined ? { demeaning: { threads: this.fields.threads } } : {}),
      notes: [...this.notes],
    };
  }
}
