// Options every regression-based estimator accepts, and how they resolve to an engine and settings.
import type { BackendName } from "../engine/backend.js";
import type { Engine } from "../engine/engine.js";
import type { Note } from "../notes.js";
import { chooseThreads, type ThreadsOption } from "./thread-choice.js";
import { DidwasmError } from "../errors.js";
import { withVcovColumns, type VcovColumns } from "../model/vcov-complete.js";
import { parseVcov, resolveSsc, type Ssc, type VcovSpec } from "../model/vcov-spec.js";

/** Default demeaning tolerance (see the stopping rule in assembly/demean.ts). */
export const DEFAULT_TOL = 1e-8;
/** Default cap on demeaning sweeps per column. */
export const DEFAULT_MAX_ITER = 10_000;

export interface CommonFitOptions extends VcovColumns {
  readonly vcov?: string | VcovSpec;
  /** fixest's ssc(): an object, or its text "adj=false,fixef.K=full" (model/ssc.ts). */
  readonly ssc?: string | Partial<Ssc>;
  /** Column of analytic weights. */
  readonly weights?: string | null;
  /** Row filter, e.g. "east == 1 & year != 2008". */
  readonly subset?: string | null;
  readonly tol?: number;
  readonly maxIter?: number;
  readonly backend?: BackendName;
  /** An engine to run on; default: the shared engine of `backend` (with `threads` threads). */
  readonly engine?: Engine;
  /** Threads the demeaning runs on: a count, or "auto" (default: every core for large data; see
   *  thread-choice.ts). Results are the same for any count. */
  readonly threads?: ThreadsOption;
}

export interface ResolvedCommon {
  readonly vcov: VcovSpec;
  readonly ssc: Ssc;
  readonly engine: Engine;
  readonly engineGiven: boolean;
  /** Threads the engine's demeaning runs on, and notes on the choice (a fallback to one thread says why). */
  readonly threads: number;
  readonly threadNotes: readonly Note[];
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

/** `rows`: the data's row count, for threads "auto" (0 when unknown: one thread). */
export function resolveCommon(o: CommonFitOptions, defaultVcov: VcovSpec, rows = 0): ResolvedCommon {
  checkTolMaxIter(o);
  const choice = o.engine ? null : chooseThreads(o.threads, o.backend ?? "wasm", rows);
  return {
    vcov: withVcovColumns(o.vcov === undefined ? defaultVcov : parseVcov(o.vcov), o),
    ssc: resolveSsc(o.ssc),
    engine: o.engine ?? choice!.engine,
    engineGiven: o.engine !== undefined,
    threads: choice?.threads ?? o.engine?.backend.threads?.threads ?? 1,
    threadNotes: choice?.notes ?? [],
    tol: o.tol ?? DEFAULT_TOL,
    maxIter: o.maxIter ?? DEFAULT_MAX_ITER,
    weights: o.weights ?? null,
    subset: o.subset ?? null,
  };
}
