// What every variance estimator receives and returns (one file per estimator, as in Vcov.jl).
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import type { Groups } from "../../model/groups.js";
import type { FixefEncoding } from "../../model/sample.js";
import type { Ssc } from "../../model/vcov-spec.js";

export interface VcovInputs {
  readonly backend: Backend;
  readonly arena: Arena;
  readonly n: number;
  /** Kept coefficients. */
  readonly K: number;
  /** Demeaned regressors, kept columns, n x K column-major. */
  readonly X: F64Buffer;
  readonly resid: F64Buffer;
  readonly weights: F64Buffer | null;
  /** (X'WX)^-1, K x K row-major. */
  readonly bread: Float64Array;
  /** Weighted residual sum of squares. */
  readonly rss: number;
  readonly fixef: readonly FixefEncoding[];
  /** Encodes a cluster variable (a column or a combination a^b) over the sample rows. */
  readonly clusterGroups: (name: string) => Groups;
  /** A numeric column over the sample rows (Newey-West and Driscoll-Kraay time, Conley coordinates); a
   *  missing or non-numeric value is an error naming `role`. Absent where no such variance is asked for. */
  readonly sampleNumeric?: (name: string, role: string) => Float64Array;
  readonly ssc: Ssc;
  /** Set when the fit rescaled its columns (ols-scaling.ts): X, resid, weights, bread and rss are then in
   *  the fit's internal units, where coefficient k is the data's times 2^-coefExp[k], and the variance is
   *  returned in the data's units, V_jk 2^(coefExp[j] + coefExp[k]). */
  readonly coefExp?: Int32Array | null;
}

/** What a fit keeps to recompute its variance (Fit.withVcov) when it rescaled its columns: the inputs
 *  in its internal units (see VcovInputs.coefExp); its stored X and bread are in those units too. */
export interface VarianceUnits {
  readonly resid: Float64Array;
  readonly weights: Float64Array | null;
  readonly rss: number;
  readonly coefExp: Int32Array;
}

export interface VcovResult {
  /** K x K row-major. */
  readonly vcov: Float64Array;
  /** Degrees of freedom of the t distribution for p-values and intervals. */
  readonly dfT: number;
  /** Parameters counted in the small-sample adjustment (coefficients + counted fixed effects). */
  readonly dofK: number;
  readonly clusters: ReadonlyArray<{ readonly name: string; readonly G: number }>;
  readonly notes: readonly string[];
  /** The variance as computed, every variable and the lag named (e.g. "NW(2):firm+year", "cluster:a+b" for
   *  twoway), when it says more than the request's label. */
  readonly label?: string;
  /** The same variance in the fit's internal units when its columns were rescaled (VcovInputs.coefExp):
   *  standard errors come from it, sqrt(V'_kk) 2^coefExp[k], representable even where the variance in
   *  the data's units (SE^2) is not. */
  readonly scaled?: { readonly vcov: Float64Array; readonly coefExp: Int32Array };
}
