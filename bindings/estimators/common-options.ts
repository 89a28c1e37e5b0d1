// Options every regression-based estimator accepts, and how they resolve to an engine and settings.
import type { BackendName } from "../engine/backend.js";
import { defaultEngine, type Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { parseVcov, resolveSsc, type Ssc, type VcovSpec } from "../model/vcov-spec.js";

/** Default demeaning tolerance (see the stopping rule in assembly/demean.ts). */
export const DEFAULT_TOL = 1e-8;
/** Default cap on demeaning sweeps per column. */
export const DEFAULT_MAX_ITER = 10_000;

export interface CommonFitOptions {
  readonly vcov?: string | VcovSpec;
  readonly ssc?: Partial<Ssc>;
  /** Column of analytic weights. */
  readonly weights?: string | null;
  /** Row filter, e.g. "east == 1 & year != 2008". */
  readonly subset?: string | null;
  readonly tol?: number;
  readonly maxIter?: number;
  readonly backend?: BackendName;
  /** An engine to run on; default: the shared engine of `backend`. */
  readonly engine?: Engine;
}

export interface ResolvedCommon {
  readonly vcov: VcovSpec;
  readonly ssc: Ssc;
  readonly engine: Engine;
  readonly engineGiven: boolean;
  readonly tol: number;
  readonly maxIter: number;
  readonly weights: string | null;
  readonly subset: string | null;
}

/** The convergence options every iterative estimator takes. */
export function checkTolMaxIter(o: { readonly tol?: number; readonly maxIter?: number }): void {
  if (o.tol !== undefined && !(o.tol > 0 && o.tol < 1)) throw new DidwasmError("BAD_OPTION", `tol must be in (0, 1), got ${o.tol}`);
  if (o.maxIter !== undefined && !(Number.isInteger(o.maxIter) && o.maxIter >= 1)) {
    throw new DidwasmError("BAD_OPTION", `maxIter must be a positive integer, got ${o.maxIter}`);
  }
}

export function resolveCommon(o: CommonFitOptions, defaultVcov: VcovSpec): ResolvedCommon {
  checkTolMaxIter(o);
  return {
    vcov: o.vcov === undefined ? defaultVcov : parseVcov(o.vcov),
    ssc: resolveSsc(o.ssc),
    engine: o.engine ?? defaultEngine(o.backend ?? "wasm"),
    engineGiven: o.engine !== undefined,
    tol: o.tol ?? DEFAULT_TOL,
    maxIter: o.maxIter ?? DEFAULT_MAX_ITER,
    weights: o.weights ?? null,
    subset: o.subset ?? null,
  };
}
