// The numerical job behind feols: absorb the fixed effects from outcomes and regressors in one demeaning
// call, form one crossproduct of [Y X], detect collinear regressors, solve, and compute residuals and each
// outcome's variance, all on one backend arena that is released before returning. Before any of it, the
// job's memory is counted against what the backend can give (ols-memory.ts) and the columns are brought
// near 1 by powers of two (ols-scaling.ts), so that results do not depend on the data's units.
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import { info, type Note } from "../notes.js";
import type { Design } from "../model/design.js";
import { columnWriter } from "../model/lazy-columns.js";
import { writeColumnsTouchingAhead, type ColumnWrite } from "../engine/touch-ahead.js";
import { copyOut } from "../engine/threads/copy-out.js";
import type { Groups } from "../model/groups.js";
import type { FixefEncoding } from "../model/sample.js";
import type { Ssc, VcovSpec } from "../model/vcov-spec.js";
import { computeVcov, standardErrorsOf, type VarianceUnits, type VcovResult } from "./vcov/index.js";
import { absorb } from "./absorb.js";
import { columnMomentsByColumns } from "./column-split.js";
import { absorbsConstant } from "../model/formula-slopes.js";
import { crossproductOf } from "./ols-crossproduct.js";
import type { MemoryLimits } from "./ols-memory.js";
import { jobThatFits } from "./ols-staging.js";
import { fmtInt } from "../present/format.js";
import { columnScaling, lostInDataUnits, outOfRangeNote, scaleRange, timesPowerOfTwo, weightScaling } from "./ols-scaling.js";

/** A regressor is collinear with the fixed effects when demeaning leaves less than this share of its
 *  centred sum of squares: exact collinearity leaves rounding noise (~1e-30 of it), while a regressor
 *  with real within-group variation keeps far more than 1e-10 of it. */
export const COLLINEAR_WITH_FIXEF_TOL = 1e-10;
/** Cholesky drops a regressor when regressing it on the earlier kept ones leaves 1 - R^2 <= this. */
export const COLLINEAR_TOL = 1e-10;

export interface OlsJob {
  readonly backend: Backend;
  readonly outcomes: ReadonlyArray<{ readonly name: string; readonly values: Float64Array }>;
  readonly design: Design;
  readonly weights: Float64Array | null;
  readonly fixef: readonly FixefEncoding[];
  readonly tol: number;
  readonly maxIter: number;
  readonly vcov: VcovSpec;
  readonly ssc: Ssc;
  readonly clusterGroups: (name: string) => Groups;
  /** Numeric columns over the sample for the variance (see VcovInputs.sampleNumeric). */
  readonly sampleNumeric?: (name: string, role: string) => Float64Array;
  /** What the backend can give this job (default: memoryLimitsOf(backend.name)); tests lower it. */
  readonly memoryLimits?: MemoryLimits;
  /** The columns with the fixed effects already absorbed, by name (outcomes and regressors alike): several
   *  models on one sample share one demeaning of the union of their columns (multi-fit.ts). Null or
   *  absent: the job absorbs its own columns. */
  readonly absorbed?: AbsorbedColumns | null;
  /** Absorbs the fixed effects from the job's columns in place, instead of absorb() on `fixef` (stacked DID's
   *  block-diagonal fixed effects, solved one block at a time: stacked-demean.ts). Null or absent: absorb(). */
  readonly absorber?: Absorber | null;
  /** A large job's residuals (one whose demeaned regressors are recomputed on demand, see
   *  STORED_DESIGN_LIMIT) may be recomputed when first read rather than copied out at once: for Fits, whose
   *  residuals most callers never read. Absent or false: copied out at once (callers that read them). */
  readonly residualsOnDemand?: boolean;
}

/** Absorbs fixed effects from data (n rows x C columns, column-major, in the fit's units) in place, as
 *  absorb() does; returns each column's signed iteration count (negative: not converged). */
export type Absorber = (backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, w: F64Buffer | null) => ArrayLike<number>;

/** Demeaned columns over a job's rows, in the data's units, with their signed iteration counts (negative:
 *  not converged), as absorb() reports them. read() may return a view on the backend's memory (multi-fit.ts
 *  keeps the shared demeaning there, where it costs no fresh memory): use it at once, before anything
 *  allocates, and never keep it; the columns live only as long as the multiple estimation's loop. */
export type AbsorbedColumns = ReadonlyMap<string, { readonly read: () => Float64Array; readonly iterations: number }>;

export interface OlsOutcomeResult {
  readonly name: string;
  /** Kept coefficients, in design order. */
  readonly coef: Float64Array;
  readonly resid: Float64Array;
  readonly rss: number;
  /** Weighted total sum of squares around the weighted mean (uncentred without intercept or fixed effects). */
  readonly tss: number;
  /** Weighted sum of squares of the demeaned outcome (the within total), when fixed effects are absorbed. */
  readonly tssWithin: number;
  /** reghdfe's constant: mean(y) - mean(X)'b (weighted), when fixed effects are absorbed. */
  readonly constant: number | null;
  readonly vcov: VcovResult;
  /** The variance's inputs in the fit's internal units, when its columns were rescaled (withVcov needs
   *  them: X and bread are stored in those units); null when the fit ran in the data's units. */
  readonly varianceUnits: VarianceUnits | null;
}

export interface OlsResult {
  readonly n: number;
  readonly keptNames: readonly string[];
  readonly removed: readonly string[];
  /** Demeaned kept regressors, n x K column-major, in the fit's internal units (the data's unless an
   *  outcome's varianceUnits is set); null when large: use demeanedX(). */
  readonly X: Float64Array | null;
  /** Recomputes the demeaned kept regressors (the same units as X). */
  readonly demeanedX: () => Float64Array;
  /** (X'WX)^-1 in the units of X. */
  readonly bread: Float64Array;
  readonly outcomes: readonly OlsOutcomeResult[];
  /** Sweeps or CG iterations per demeaned column (outcomes then regressors; see absorb.ts); 0 without fixed effects. */
  readonly iterations: readonly number[];
  readonly converged: boolean;
  readonly notConverged: readonly string[];
  /** Names of the demeaned columns, in the order of `iterations`. */
  readonly columnNames: readonly string[];
  /** Precision lost to the range of f64 (kind "precision_loss", severity "warning"): a column whose values
   *  span more than one exponent can hold, or a result that cannot be represented in the data's units. */
  readonly precisionNotes: readonly Note[];
}

/** [Y X] column-major in one buffer of the arena (outcomes first, then regressors in design order).
 *  Indicator blocks are written from their codes and lazy columns by their writers, without reading
 *  (or making) them as arrays (see lazy-columns.ts). */
function fillData(arena: Arena, job: OlsJob, n: number): F64Buffer {
  const { design } = job;
  const L = job.outcomes.length;
  const K = design.columns.length;
  const data = arena.f64((L + K) * n, false);
  const writes: ColumnWrite[] = job.outcomes.map((o, l) => ({ from: l, to: l + 1, write: () => data.view.set(o.values, l * n) }));
  const fromCode = new Uint8Array(K);
  for (const b of design.indicators ?? []) {
    const base = (L + b.start) * n;
    writes.push({
      from: L + b.start,
      to: L + b.start + b.count,
      write: () => {
        const v = data.view;
        v.fill(0, base, base + b.count * n);
        for (let i = 0; i < n; i++) {
          const j = b.code[i];
          if (j >= 0) v[base + j * n + i] = 1;
        }
      },
    });
    fromCode.fill(1, b.start, b.start + b.count);
  }
  for (let j = 0; j < K; j++) {
    if (fromCode[j]) continue;
    const write = columnWriter(design.columns, j);
    const offset = (L + j) * n;
    writes.push({ from: L + j, to: L + j + 1, write: write ? () => write(data.view, offset) : () => data.view.set(design.columns[j], offset) });
  }
  writeColumnsTouchingAhead(job.backend, arena, data, n, writes);
  return data;
}

/** Absorbs the fixed effects from every column of data in place (column c in the fit's units, 2^-exp[c]
 *  times the data's), or takes them from job.absorbed; returns the signed iteration counts. */
function demeanData(arena: Arena, job: OlsJob, data: F64Buffer, w: F64Buffer | null, n: number, C: number, exp: Int32Array): number[] {
  const done = job.absorbed;
  if (!done) {
    // The solver's ids, cells and scratch go to an arena of their own, released at once: the residuals and
    // the variance's buffers then reuse that memory, already touched (fresh memory costs ~3 ms/MB to touch
    // on some machines, more than the kernels' passes over it).
    const own = job.backend.arena();
    try {
      const iterations = job.absorber
        ? job.absorber(job.backend, own, n, C, data, w)
        : absorb(job.backend, own, n, C, data, job.fixef, w, job.tol, job.maxIter).iterations;
      return Array.from(iterations);
    } finally {
      own.release();
    }
  }
  return [...job.outcomes.map((o) => o.name), ...job.design.names].map((name, c) => {
    const col = done.get(name);
    const values = col?.read();
    if (!col || !values || values.length !== n) throw new Error(`internal: column "${name}" was not absorbed over this sample`);
    data.view.set(values, c * n);
    scaleRange(data.view, c * n, (c + 1) * n, exp[c]);
    return col.iterations;
  });
}

/** How the fit's columns were rescaled: column c of [Y X] was multiplied by 2^-exp[c], the weights by
 *  2^-weightExp (all 0 when the data's units were used). */
interface Scaling {
  readonly exp: Int32Array;
  readonly weightExp: number;
}

/** [Y X] and the weights in the arena, in the fit's internal units. */
function scaledData(arena: Arena, job: OlsJob, n: number, s: Scaling): { data: F64Buffer; w: F64Buffer | null } {
  const data = fillData(arena, job, n);
  s.exp.forEach((e, c) => scaleRange(data.view, c * n, (c + 1) * n, e));
  const w = job.weights ? arena.f64From(job.weights) : null;
  if (w) scaleRange(w.view, 0, n, s.weightExp);
  return { data, w };
}

/** Fits keep their demeaned regressors for withVcov() when they take at most this many doubles (8 MB);
 *  larger ones recompute them when first asked (the same demeaning call, so the same numbers) and keep
 *  them from then on. A copy out of the kernels' memory is fresh memory, whose first touch costs ~3 ms per
 *  MB on a virtual machine: a third of a 1M-row, 4-regressor fit's time, for a design most fits never
 *  read again (only withVcov does). */
export const STORED_DESIGN_LIMIT = 1_048_576;

/** The demeaned kept regressors (n x K) and, given each outcome's kept coefficients (`coefs`, internal
 *  units), its residuals, recomputed exactly as runOls computed them: the same columns through the same
 *  demeaning and residual kernels (whose numbers do not depend on the thread count). */
function demeanedAgain(
  job: OlsJob, keptIdx: readonly number[], n: number, scaling: Scaling, wantX: boolean, coefs: readonly Float64Array[] | null,
): { X: Float64Array | null; resid: Float64Array[] | null } {
  const L = job.outcomes.length;
  const C = L + job.design.columns.length;
  const K = keptIdx.length;
  const arena = job.backend.arena();
  try {
    const { data, w } = scaledData(arena, job, n, scaling);
    if (job.fixef.length > 0) demeanData(arena, job, data, w, n, C, scaling.exp);
    // Kept regressors compacted in place, as runOls compacts them before its residuals.
    keptIdx.forEach((j, k) => {
      if (j !== k) data.view.copyWithin((L + k) * n, (L + j) * n, (L + j + 1) * n);
    });
    const X = arena.f64Part(data, L * n, K * n);
    const outX = wantX ? copyOut(X.view) : null;
    if (!coefs) return { X: outX, resid: null };
    const coefBuf = arena.f64(Math.max(1, K));
    const resid = coefs.map((b, l) => {
      coefBuf.view.set(b);
      const e = arena.f64Part(data, l * n, n);
      job.backend.residuals(n, K, X, coefBuf, e, e);
      return copyOut(e.view);
    });
    return { X: outX, resid };
  } finally {
    arena.release();
  }
}

/** Residuals recomputed when first read (OlsJob.residualsOnDemand), then kept; a recomputation of the
 *  demeaned regressors for withVcov() hands them over too, so that it demeans once. */
class ResidualsOnDemand {
  private residuals: Float64Array[] | null = null;
  constructor(private readonly recompute: () => Float64Array[]) {}
  of(l: number): Float64Array {
    return (this.residuals ??= this.recompute())[l];
  }
  offer(residuals: Float64Array[] | null): void {
    this.residuals ??= residuals;
  }
  get pending(): boolean {
    return this.residuals === null;
  }
}

/** fixest refuses a constant outcome when there is an intercept or a fixed effect to absorb it
 *  (`absorbed`): every coefficient would be 0 with a standard error of 0. Also used by iv-core.ts. */
export function refuseConstantOutcomes(outcomes: ReadonlyArray<{ readonly name: string; readonly values: Float64Array }>, absorbed: boolean): void {
  if (!absorbed) return;
  for (const o of outcomes) {
    const v = o.values;
    let i = 1;
    while (i < v.length && v[i] === v[0]) i++;
    if (i === v.length) {
      throw new DidwasmError("NO_VARIANCE", `outcome "${o.name}" is constant (every observation of the sample is ${v[0]}): there is nothing to estimate`, {
        column: o.name,
      });
    }
  }
}

export function runOls(job: OlsJob): OlsResult {
  const n = job.outcomes[0].values.length;
  if (job.design.columns.length === 0) throw new DidwasmError("NO_REGRESSORS", "the formula has no regressor to estimate");
  refuseConstantOutcomes(job.outcomes, job.fixef.length > 0 || job.design.intercept);
  // Cluster encodings are needed to count the variance's memory: encode each once for the whole job.
  const encoded = new Map<string, Groups>();
  const clusterGroups = (name: string): Groups => {
    let g = encoded.get(name);
    if (!g) encoded.set(name, (g = job.clusterGroups(name)));
    return g;
  };
  // Too large for one WebAssembly heap: streamed through it (ols-staging.ts).
  const sized = jobThatFits(job, n, clusterGroups);
  try {
    const res = fitInArena(sized, n, clusterGroups);
    if (sized === job) return res;
    const how = `the job (${fmtInt(n)} rows) is larger than one WebAssembly heap: its kernels ran on blocks of it streamed through the heap`;
    return { ...res, precisionNotes: [...res.precisionNotes, info("method", how)] };
  } catch (e) {
    // The reference backend's buffers are typed arrays: past the machine's memory, V8 refuses them.
    if (e instanceof RangeError && /allocation failed/i.test(e.message)) {
      throw new DidwasmError("TOO_LARGE", `the machine could not provide the memory this fit needs (${e.message}): use a subset of the ${fmtInt(n)} rows or fewer regressors`);
    }
    throw e;
  }
}

function fitInArena(job: OlsJob, n: number, clusterGroups: (name: string) => Groups): OlsResult {
  const { backend, design, weights, fixef } = job;
  const L = job.outcomes.length;
  const Kall = design.columns.length;
  const C = L + Kall;
  const Q = fixef.length;
  const colNames = [...job.outcomes.map((o) => o.name), ...design.names];
  const labels = colNames.map((nm, c) => `${c < L ? "outcome" : "regressor"} "${nm}"`);
  const arena = backend.arena();
  try {
    const data = fillData(arena, job, n);
    const w = weights ? arena.f64From(weights) : null;
    const wScaling = weights ? weightScaling(weights, "the weights") : { exp: 0, spread: n, notes: [] };
    if (w) scaleRange(w.view, 0, n, wScaling.exp);
    let sumW = n;
    if (w) {
      sumW = 0;
      // One view for the loop: the view getter reads memory.buffer on every call, tens of nanoseconds each,
      // ~50 ms per million rows.
      const wv = w.view;
      for (let i = 0; i < n; i++) sumW += wv[i];
    }

    // Moments of the raw columns, before demeaning overwrites them; they also tell which columns need
    // rescaling (ols-scaling.ts), after which they are taken again.
    const meansBuf = arena.f64(C);
    const ssBuf = arena.f64(C);
    columnMomentsByColumns(backend, arena, n, C, data, w, meansBuf, ssBuf);
    const cScaling = columnScaling(data.view, n, labels, meansBuf.view, ssBuf.view, sumW, wScaling.spread);
    if (cScaling.exp.some((e) => e !== 0)) {
      cScaling.exp.forEach((e, c) => scaleRange(data.view, c * n, (c + 1) * n, e));
      columnMomentsByColumns(backend, arena, n, C, data, w, meansBuf, ssBuf);
    }
    const scaling: Scaling = { exp: cScaling.exp, weightExp: wScaling.exp };
    const rescaled = scaling.weightExp !== 0 || scaling.exp.some((e) => e !== 0);
    const precisionNotes: Note[] = [...wScaling.notes, ...cScaling.notes];
    const means = meansBuf.view.slice();
    const centredSS = ssBuf.view.slice();
    const yMeans = job.outcomes.map((_, l) => means[l]);
    const hasCentre = Q > 0 || design.intercept;
    // Without intercept or fixed effects the total sum of squares is uncentred, as R's lm.
    const tss = job.outcomes.map((_, l) => (hasCentre ? centredSS[l] : centredSS[l] + sumW * means[l] * means[l]));
    const xMeans = design.names.map((_, j) => means[L + j]);
    // Slopes alone (fe[[x]]) absorb no constant: a regressor's variation is then measured around 0 (the
    // intercept column keeps all of it), not around its mean.
    const aroundZero = Q > 0 && !absorbsConstant(fixef);
    const xCentredSS = design.names.map((_, j) => centredSS[L + j] + (aroundZero ? sumW * means[L + j] * means[L + j] : 0));

    let iterations: number[] = new Array(C).fill(0);
    const notConverged: string[] = [];
    if (Q > 0) {
      iterations = demeanData(arena, job, data, w, n, C, scaling.exp);
      iterations.forEach((it, c) => {
        if (it < 0) notConverged.push(colNames[c]);
      });
      iterations = iterations.map(Math.abs);
    }

    const Av = crossproductOf(backend, arena, data, w, n, C, L, design.indicators ?? []);
    if (Q > 0) {
      // An outcome constant within the fixed effects keeps only rounding noise after demeaning (the same
      // test as a regressor collinear with them): fixest finds no variation left to explain either.
      job.outcomes.forEach((o, l) => {
        if (Av[l * C + l] > COLLINEAR_WITH_FIXEF_TOL * centredSS[l]) return;
        throw new DidwasmError(
          "NO_VARIANCE",
          `outcome "${o.name}" is constant within the fixed effects (${fixef.map((f) => f.name).join(", ")}): they explain all of its variation, nothing is left to estimate`,
          { column: o.name },
        );
      });
    }
    const XtX = arena.f64(Kall * Kall);
    for (let j = 0; j < Kall; j++) for (let k = 0; k < Kall; k++) XtX.view[j * Kall + k] = Av[(L + j) * C + (L + k)];
    const keep = arena.i32(Kall);
    for (let j = 0; j < Kall; j++) {
      const within = Av[(L + j) * C + (L + j)];
      keep.view[j] = Q > 0 && !(within > COLLINEAR_WITH_FIXEF_TOL * xCentredSS[j]) ? 0 : 1;
    }
    const Lfac = arena.f64(Kall * Kall);
    const rank = backend.cholesky(Kall, XtX, Lfac, keep, COLLINEAR_TOL);
    const keepFlags = Array.from(keep.view);
    const keptIdx = keepFlags.flatMap((k, j) => (k ? [j] : []));
    const removed = design.names.filter((_, j) => !keepFlags[j]);
    if (rank === 0) {
      throw new DidwasmError(
        "ALL_COLLINEAR",
        `every regressor is collinear${Q > 0 ? " with the fixed effects" : ""} or has no variation: ${design.names.join(", ")}`,
        { removed },
      );
    }

    const inv = arena.f64(Kall * Kall);
    const work = arena.f64(Kall);
    backend.cholInverse(Kall, Lfac, keep, inv, work);
    const K = keptIdx.length;
    const invV = inv.view;
    const bread = new Float64Array(K * K);
    keptIdx.forEach((a, i) => keptIdx.forEach((b, j) => (bread[i * K + j] = invV[a * Kall + b])));

    // Kept regressors, compacted in place for the meats (their crossproduct is taken: the dropped
    // columns are not read again, and column j moves only to a position k <= j).
    keptIdx.forEach((j, k) => {
      if (j !== k) data.view.copyWithin((L + k) * n, (L + j) * n, (L + j + 1) * n);
    });
    const X = arena.f64Part(data, L * n, K * n);
    const rhs = arena.f64(Kall);
    const sol = arena.f64(Kall);
    const coefBuf = arena.f64(Math.max(1, keptIdx.length));
    const rssBuf = arena.f64(1);
    const internalWeights = rescaled && w ? w.view.slice() : null;
    const recomputable = job.absorbed ? { ...job, absorbed: null } : job;
    // A large fit's residuals: n doubles of fresh memory per outcome, whose first touch (~3 ms per MB on a
    // virtual machine) costs more than the fit's passes over them, for residuals most callers never read.
    const designStored = K * n <= STORED_DESIGN_LIMIT && !job.absorbed && !job.absorber;
    const coefsInternal: Float64Array[] = [];
    // demeanedX()'s recomputation, kept once made (withVcov may ask again)
    let recomputedX: Float64Array | null = null;
    const onDemand = job.residualsOnDemand && !rescaled && K * n > STORED_DESIGN_LIMIT
      ? new ResidualsOnDemand(() => demeanedAgain(recomputable, keptIdx, n, scaling, false, coefsInternal).resid!)
      : null;

    const outcomes: OlsOutcomeResult[] = job.outcomes.map((o, l) => {
      for (let j = 0; j < Kall; j++) rhs.view[j] = Av[(L + j) * C + l];
      backend.cholSolve(Kall, Lfac, keep, rhs, sol);
      const coefInternal = Float64Array.from(keptIdx, (j) => sol.view[j]);
      coefBuf.view.set(coefInternal);
      // The residuals overwrite the outcome's demeaned column, which nothing reads again (its crossproducts
      // are taken): no fresh n-long buffer to touch.
      const resid = arena.f64Part(data, l * n, n);
      backend.residuals(n, K, X, coefBuf, resid, resid);
      backend.crossprodAB(n, 1, resid, 1, resid, w, rssBuf);
      const rssInternal = rssBuf.view[0];
      coefsInternal.push(coefInternal);
      // Copied now (unless recomputed on demand): the variance may grow memory and detach views.
      const residInternal = onDemand ? null : copyOut(resid.view);
      let constant: number | null = null;
      if (Q > 0) {
        constant = yMeans[l];
        keptIdx.forEach((j, k) => (constant! -= xMeans[j] * coefInternal[k]));
      }
      const ey = scaling.exp[l];
      const coefExp = rescaled ? Int32Array.from(keptIdx, (j) => ey - scaling.exp[L + j]) : null;
      const vcov = computeVcov(job.vcov, {
        backend, arena: arena as Arena, n, K, X, resid: resid as F64Buffer, weights: w, bread, rss: rssInternal, fixef,
        clusterGroups, sampleNumeric: job.sampleNumeric, ssc: job.ssc, coefExp,
      });
      if (!coefExp) {
        const fields = { name: o.name, coef: coefInternal, rss: rssInternal, tss: tss[l], tssWithin: Av[l * C + l], constant, vcov, varianceUnits: null };
        return onDemand ? { ...fields, get resid() { return onDemand.of(l); } } : { ...fields, resid: residInternal! };
      }
      // Back to the data's units: b_k = b'_k s_y / s_k, residuals times s_y, sums of squares times s_y^2 s_w
      // (the variance is taken back by computeVcov).
      const ss = 2 * ey + scaling.weightExp;
      const coef = coefInternal.map((b, k) => timesPowerOfTwo(b, coefExp[k]));
      const residual = Float64Array.from(residInternal!);
      scaleRange(residual, 0, n, -ey);
      const sums = { rss: rssInternal, tss: tss[l], tssWithin: Av[l * C + l] };
      const real = { rss: timesPowerOfTwo(sums.rss, ss), tss: timesPowerOfTwo(sums.tss, ss), tssWithin: timesPowerOfTwo(sums.tssWithin, ss) };
      const se = standardErrorsOf(vcov, K);
      keptIdx.forEach((j, k) => {
        const term = `"${design.names[j]}" (outcome "${o.name}")`;
        const internalVar = vcov.scaled!.vcov[k * K + k];
        if (lostInDataUnits(coefInternal[k], coef[k])) {
          precisionNotes.push(outOfRangeNote(`the coefficient of ${term}`, coefInternal[k], coefExp[k], "it is reported as Infinity, 0 or a subnormal number with fewer digits"));
        }
        if (lostInDataUnits(Math.sqrt(internalVar), se[k])) {
          precisionNotes.push(outOfRangeNote(`the standard error of ${term}`, Math.sqrt(internalVar), coefExp[k], "it is reported as Infinity, 0 or a subnormal number with fewer digits"));
        } else if (lostInDataUnits(internalVar, vcov.vcov[k * K + k])) {
          precisionNotes.push(
            outOfRangeNote(`the variance of ${term}`, internalVar, 2 * coefExp[k], "the variance matrix holds Infinity or 0 there (its standard error is exact; tests built on the matrix are not)"),
          );
        }
      });
      const sumNames = { rss: "residual", tss: "total", tssWithin: "within" } as const;
      const lostSum = (["rss", "tss", "tssWithin"] as const).find((key) => lostInDataUnits(sums[key], real[key]));
      if (lostSum) {
        precisionNotes.push(
          outOfRangeNote(`the ${sumNames[lostSum]} sum of squares of outcome "${o.name}"`, sums[lostSum], ss, "the sums of squares are reported as Infinity or 0 and R² is not available"),
        );
      }
      return {
        name: o.name, coef, resid: residual, ...real, constant: constant === null ? null : timesPowerOfTwo(constant, ey), vcov,
        varianceUnits: { resid: residInternal!, weights: internalWeights, rss: rssInternal, coefExp },
      };
    });

    return {
      n,
      keptNames: keptIdx.map((j) => design.names[j]),
      removed,
      // With job.absorbed (the models of a multiple estimation sharing one demeaning), demeanedX() demeans
      // the model's own columns again (each column's demeaning is independent of the others, so the numbers
      // are the same): a stored copy per model would cost csw(x1, x2, x3) six more n-long arrays, and the
      // shared columns are gone once the multiple estimation returns.
      // A custom absorber's fits (stacked DID's two models) likewise recompute them on demand.
      X: designStored ? copyOut(X.view) : null,
      demeanedX: () => {
        if (recomputedX) return recomputedX;
        const again = demeanedAgain(recomputable, keptIdx, n, scaling, true, onDemand?.pending ? coefsInternal : null);
        onDemand?.offer(again.resid);
        return (recomputedX = again.X!);
      },
      bread,
      outcomes,
      iterations,
      converged: notConverged.length === 0,
      notConverged,
      columnNames: colNames,
      precisionNotes,
    };
  } finally {
    arena.release();
  }
}
