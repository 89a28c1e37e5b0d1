// A Fit is the immutable result of one least-squares regression. Accessors return copies; withVcov()
// recomputes the variance from the stored bread, regressors and residuals without refitting.
import type { Frame } from "../data/frame.js";
import { info, type Note } from "../notes.js";
import { defaultEngine, type Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { combineGroups, groupIds, type Groups } from "../model/groups.js";
import type { FixefEncoding } from "../model/sample.js";
import { parseVcov, resolveSsc, vcovLabel, type Ssc, type VcovSpec } from "../model/vcov-spec.js";
import { tQuantile, tTwoSidedP } from "../stats/distributions.js";
import type { Design } from "../model/design.js";
import { computeVcov, standardErrorsOf, type VarianceUnits, type VcovResult } from "./vcov/index.js";
import { alignedToInput, fixefOfFit, waldOfFit, type FixefValues, type WaldResult } from "./fit-results.js";
import { coefIndex, matrixRows, namedValues } from "./coef-names.js";

export interface TidyRow {
  readonly term: string;
  readonly estimate: number;
  readonly std_error: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
}

/** A coefficient's row: t = estimate / se on dfT degrees of freedom, and the interval estimate -/+ q se
 *  (q: the t quantile of the interval's level, taken once by callers that make many rows). */
export function tidyRow(term: string, estimate: number, se: number, dfT: number, q: number): TidyRow {
  const t = estimate / se;
  return { term, estimate, std_error: se, statistic: t, p_value: tTwoSidedP(t, dfT), conf_low: estimate - q * se, conf_high: estimate + q * se };
}

/** What withVcov needs to recompute the variance; not part of the public surface. */
export interface FitInternals {
  readonly frame: Frame;
  readonly rows: Int32Array;
  /** Demeaned regressors, or null when they are recomputed on demand by demeanedX. */
  readonly X: Float64Array | null;
  readonly demeanedX: () => Float64Array;
  readonly resid: Float64Array;
  readonly weights: Float64Array | null;
  readonly bread: Float64Array;
  readonly fixef: readonly FixefEncoding[];
  readonly engine: Engine | null;
  readonly backendName: "wasm" | "reference";
  /** Set when the fit rescaled its columns (ols-scaling.ts): X and bread are then in its internal units,
   *  and these are the residuals, weights and RSS in the same units. */
  readonly varianceUnits?: VarianceUnits | null;
  /** The outcome over the sample rows and the regressors before demeaning, for fitted values and the
   *  fixed effects' values (fit-results.ts); absent for fits an estimator assembles otherwise. */
  readonly y?: Float64Array;
  readonly design?: Design;
}

export interface FitFields {
  readonly formula: string;
  readonly outcome: string;
  readonly coefNames: readonly string[];
  readonly coef: Float64Array;
  readonly vcovSpec: VcovSpec;
  readonly ssc: Ssc;
  readonly variance: VcovResult;
  readonly nobs: number;
  readonly rss: number;
  readonly tss: number;
  readonly tssWithin: number | null;
  readonly constant: number | null;
  readonly intercept: boolean;
  readonly removed: readonly string[];
  readonly nobsMissing: number;
  readonly singletonsRemoved: number;
  readonly fixefSizes: Readonly<Record<string, number>>;
  /** Fixed-effect parameters (vcov/params.ts), when they are not the group counts less one per fixed
   *  effect after the first (varying slopes add theirs). */
  readonly fixefParameters?: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Per demeaned column (outcome, then regressors): its sweeps or CG iterations and whether it converged;
   *  and the threads the demeaning ran on. Absent for estimators that do not report them. */
  readonly demeaning?: DemeaningReport;
  readonly notes: readonly Note[];
  readonly weights: string | null;
  readonly internals: FitInternals;
  /** Set when an estimator supplied its own variance (e.g. did2s's GMM correction): names it, and
   *  withVcov() refuses, because the stored scores would give a different, naive variance. */
  readonly customVcov?: string;
}

export interface DemeaningReport {
  readonly threads: number;
  readonly columns: Readonly<Record<string, { readonly iterations: number; readonly converged: boolean }>>;
}

export class Fit {
  readonly formula: string;
  readonly outcome: string;
  readonly coefNames: readonly string[];
  readonly nobs: number;
  readonly r2: number;
  readonly r2Within: number | null;
  readonly adjR2: number;
  readonly constant: number | null;
  readonly removed: readonly string[];
  readonly nobsMissing: number;
  readonly singletonsRemoved: number;
  readonly fixefSizes: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly converged: boolean;
  readonly demeaning: DemeaningReport | null;
  readonly notes: readonly Note[];
  readonly vcovType: string;
  readonly ssc: Ssc;
  /** Degrees of freedom of the t distribution used for p-values and intervals. */
  readonly dfT: number;
  /** Parameters counted in the variance's small-sample adjustment (coefficients + counted fixed effects). */
  readonly dofK: number;
  /** Residual degrees of freedom n - K, K counting every coefficient and fixed-effect parameter. */
  readonly dfResidual: number;
  readonly rss: number;
  readonly weights: string | null;
  readonly clusters: ReadonlyArray<{ readonly name: string; readonly G: number }>;
  private readonly fields: FitFields;

  constructor(fields: FitFields) {
    this.fields = fields;
    this.formula = fields.formula;
    this.outcome = fields.outcome;
    this.coefNames = Object.freeze([...fields.coefNames]);
    this.nobs = fields.nobs;
    this.rss = fields.rss;
    this.r2 = 1 - fields.rss / fields.tss;
    this.r2Within = fields.tssWithin === null ? null : 1 - fields.rss / fields.tssWithin;
    const kFixef = fields.fixefParameters ?? Object.values(fields.fixefSizes).reduce((s, g) => s + g, 0) - Math.max(0, Object.keys(fields.fixefSizes).length - 1);
    const kFull = fields.coefNames.length + kFixef;
    this.dfResidual = fields.nobs - kFull;
    this.adjR2 = 1 - (1 - this.r2) * ((fields.nobs - (fields.intercept || kFixef > 0 ? 1 : 0)) / this.dfResidual);
    this.constant = fields.constant;
    this.removed = Object.freeze([...fields.removed]);
    this.nobsMissing = fields.nobsMissing;
    this.singletonsRemoved = fields.singletonsRemoved;
    this.fixefSizes = Object.freeze({ ...fields.fixefSizes });
    this.iterations = fields.iterations;
    this.converged = fields.converged;
    this.demeaning = fields.demeaning ?? null;
    this.notes = Object.freeze([...fields.notes, ...fields.variance.notes.map((n) => info("method", n))]);
    this.vcovType = fields.customVcov ?? fields.variance.label ?? vcovLabel(fields.vcovSpec);
    this.ssc = fields.ssc;
    this.dfT = fields.variance.dfT;
    this.dofK = fields.variance.dofK;
    this.weights = fields.weights;
    this.clusters = fields.variance.clusters;
    // A subclass (IvFit) adds its own fields first and freezes itself.
    if (new.target === Fit) Object.freeze(this);
  }

  /** The same kind of fit with other fields (withVcov's result); IvFit also recomputes its first stages. */
  protected rebuild(fields: FitFields): Fit {
    return new Fit(fields);
  }

  private index(name: string): number {
    return coefIndex(this.coefNames, name);
  }

  private named(values: ArrayLike<number>): Record<string, number> {
    return namedValues(this.coefNames, values);
  }

  /** Variance-covariance matrix of the coefficients (rows and columns in coefNames order). */
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

  tstat(): Record<string, number>;
  tstat(name: string): number;
  tstat(name?: string): Record<string, number> | number {
    const s = this.standardErrors();
    const t = this.fields.coef.map((b, i) => b / s[i]);
    return name === undefined ? this.named(t) : t[this.index(name)];
  }

  pvalue(): Record<string, number>;
  pvalue(name: string): number;
  pvalue(name?: string): Record<string, number> | number {
    const t = this.tstat();
    const p = this.coefNames.map((n) => tTwoSidedP(t[n], this.dfT));
    return name === undefined ? this.named(p) : p[this.index(name)];
  }

  /** Confidence intervals b -+ t_{(1+level)/2, dfT} se. */
  confint(level = 0.95): Record<string, [number, number]> {
    if (!(level > 0 && level < 1)) throw new DidwasmError("BAD_OPTION", `confidence level must be between 0 and 1, got ${level}`);
    const q = tQuantile(1 - (1 - level) / 2, this.dfT);
    const s = this.standardErrors();
    const out: Record<string, [number, number]> = {};
    this.coefNames.forEach((n, i) => (out[n] = [this.fields.coef[i] - q * s[i], this.fields.coef[i] + q * s[i]]));
    return out;
  }

  tidy(level = 0.95): TidyRow[] {
    const s = this.standardErrors();
    const q = tQuantile(1 - (1 - level) / 2, this.dfT);
    return this.coefNames.map((term, i) => tidyRow(term, this.fields.coef[i], s[i], this.dfT, q));
  }

  /** The same fit with another variance estimator (and optionally other small-sample corrections). */
  withVcov(spec: string | VcovSpec, ssc?: Partial<Ssc>): Fit {
    if (this.fields.customVcov) {
      throw new DidwasmError("BAD_OPTION", `this fit's variance is ${this.fields.customVcov}; it cannot be recomputed from the second-stage scores alone`);
    }
    const vcovSpec = parseVcov(spec);
    const s = resolveSsc(ssc ?? this.ssc);
    const inn = this.fields.internals;
    const units = inn.varianceUnits ?? null;
    const weights = units ? units.weights : inn.weights;
    const engine = inn.engine ?? defaultEngine(inn.backendName);
    const backend = engine.backend;
    const arena = backend.arena();
    try {
      const n = this.nobs;
      const K = this.coefNames.length;
      const variance = computeVcov(vcovSpec, {
        backend, arena, n, K,
        X: arena.f64From(inn.X ?? inn.demeanedX()),
        resid: arena.f64From(units ? units.resid : inn.resid),
        weights: weights ? arena.f64From(weights) : null,
        bread: inn.bread,
        rss: units ? units.rss : this.rss,
        coefExp: units ? units.coefExp : null,
        fixef: inn.fixef,
        clusterGroups: clusterEncoder(inn.frame, inn.rows, inn.fixef),
        sampleNumeric: numericEncoder(inn.frame, inn.rows),
        ssc: s,
      });
      return this.rebuild({ ...this.fields, vcovSpec, ssc: s, variance });
    } finally {
      arena.release();
    }
  }

  /** Fitted values y - e (fixed effects included, as fixest's fitted()/predict()), one per row of the input
   *  data: NaN where the row is not in the estimation sample. */
  predict(): Float64Array {
    const inn = this.fields.internals;
    if (!inn.y) throw new DidwasmError("BAD_OPTION", "fitted values are not available for this estimator's fits");
    const y = inn.y;
    const resid = inn.resid; // once: a large fit recomputes its residuals on the first read
    return alignedToInput(inn.frame.nrow, inn.rows, (i) => y[i] - resid[i]);
  }

  /** Residuals y - fitted, one per row of the input data: NaN where the row is not in the sample (fixest's
   *  resid(fit, na.rm = FALSE)). */
  resid(): Float64Array {
    const inn = this.fields.internals;
    const resid = inn.resid;
    return alignedToInput(inn.frame.nrow, inn.rows, (i) => resid[i]);
  }

  /** The input rows (0-based) of the estimation sample, increasing (fixest's obs()). */
  sampleRows(): Int32Array {
    return Int32Array.from(this.fields.internals.rows);
  }

  /** The fixed effects' values, normalised as fixest's fixef() (fit-results.ts). */
  fixef(): FixefValues {
    return fixefOfFit(this.fields.internals, this.coefNames, this.fields.coef);
  }

  /** Joint Wald test that the coefficients whose names match `keep` (fixest's keep: a regular expression,
   *  "!" in front to negate) are all zero, as fixest's wald(). */
  wald(keep: string): WaldResult {
    return waldOfFit(keep, this.coefNames, this.fields.coef, this.fields.variance.vcov, this.dfResidual, this.vcovType);
  }

  /** The same point estimates with a variance computed by an estimator (see FitFields.customVcov). */
  withCustomVariance(variance: VcovResult, label: string): Fit {
    return new Fit({ ...this.fields, variance, customVcov: label });
  }

  /** The regression JSON of the conformance README (snake_case keys). */
  toJSON(): Record<string, unknown> {
    return {
      outcome: this.outcome,
      formula: this.formula,
      nobs: this.nobs,
      r2: this.r2,
      r2_within: this.r2Within,
      adj_r2: this.adjR2,
      constant: this.constant,
      removed: [...this.removed],
      vcov: this.vcovType,
      df_t: this.dfT,
      coefficients: this.tidy(),
      fixef_sizes: { ...this.fixefSizes },
      clusters: this.clusters.map((c) => ({ ...c })),
      nobs_missing: this.nobsMissing,
      singletons_removed: this.singletonsRemoved,
      iterations: this.iterations,
      converged: this.converged,
      ...(this.demeaning ? { demeaning: { threads: this.demeaning.threads, columns: structuredClone(this.demeaning.columns) } } : {}),
      notes: [...this.notes],
    };
  }
}

/** Cluster ids over the sample rows, checking that the cluster variable has no missing value there. A
 *  cluster variable that is also a fixed effect reuses that fixed effect's encoding; a combination a^b is
 *  encoded as the groups of its columns' values together. */
export function clusterEncoder(frame: Frame, rows: Int32Array, fixef: readonly FixefEncoding[] = []): (name: string) => Groups {
  const encode = (name: string): Groups => {
    const same = fixef.find((f) => f.name === name);
    if (same) return same;
    if (name.includes("^")) return name.split("^").map(encode).reduce((a, b) => combineGroups(a, b));
    const col = frame.column(name, "cluster variable");
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const missing = col.kind === "text" ? col.codes[r] < 0 : Number.isNaN(col.values[r]);
      if (missing) {
        throw new DidwasmError("BAD_DATA", `cluster variable "${name}" is missing on ${frame.describeRow(r)}, a row of the estimation sample`, {
          column: name,
          row: r,
        });
      }
    }
    return groupIds(frame, name, rows);
  };
  return encode;
}

/** A numeric column over the sample rows, for a variance (time, coordinates): a text cell or a missing value
 *  in the sample is an error naming the column, its role and the row. */
export function numericEncoder(frame: Frame, rows: Int32Array): (name: string, role: string) => Float64Array {
  return (name, role) => {
    const values = frame.numeric(name, role);
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = values[rows[i]];
      if (!Number.isFinite(v)) {
        throw new DidwasmError("BAD_DATA", `${role} "${name}" is ${Number.isNaN(v) ? "missing" : "infinite"} on ${frame.describeRow(rows[i])}, a row of the estimation sample`, {
          column: name,
          row: rows[i],
        });
      }
      out[i] = v;
    }
    return out;
  };
}
