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
  /** Encodes a cluster variable over the sample rows. */
  readonly clusterGroups: (name: string) => Groups;
  readonly ssc: Ssc;
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
}
