// The design of a Callaway-Sant'Anna nuisance model on one group-time cell's observations.

/** Row-major n x k covariate matrix whose first column is the intercept. */
export interface Design {
  readonly x: Float64Array;
  readonly n: number;
  readonly k: number;
}
