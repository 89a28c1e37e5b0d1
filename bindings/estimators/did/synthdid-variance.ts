// Standard errors of synthetic DID, as synthdid's vcov() computes them (Arkhangelsky et al. 2021,
// Algorithms 2-4), extended to staggered designs as Stata's sdid does:
//   placebo    (Algorithm 4) the controls permuted, as many as there are treated units made pseudo-treated
//              (cohort sizes and adoption periods kept), the estimate re-solved on control-only data;
//   bootstrap  (Algorithm 2) units drawn with replacement (draws without a control or a treated unit drawn
//              again), the estimate re-solved; cohorts absent from a draw drop out of its ATT;
//   jackknife  (Algorithm 3) each unit left out in turn with the weights FIXED (omega renormalised).
// Placebo and bootstrap SE = sqrt((B-1)/B) sd(draws); jackknife SE = sqrt((n-1)/n sum (u - mean)^2).
// Replicates re-solve from the original weights with the original tuning (synthdid passes its opts), and
// replicate r draws from stream r of the seeded generator, so results do not depend on how replicates are
// split over workers or runs.
import { DidwasmError } from "../../errors.js";
import { Xoshiro128 } from "../../random/xoshiro.js";
import type { GramWorkspace } from "./synthdid-gram-fw.js";
import { gramOf, sumNormalize } from "./synthdid-solver.js";
import { GRAM_MAX_UNITS, gapSeries, tauOf, unitColumns, type BlockRun, type Matrix, type SynthMethod } from "./synthdid-block.js";
import { aggregate, fitDesign, type Cohort, type Design, type DesignFit } from "./synthdid-design.js";
import { WholeControls } from "./synthdid-whole-controls.js";

export type SynthVcov = "placebo" | "bootstrap" | "jackknife";

export interface ReplicateContext {
  readonly m: Matrix;
  readonly design: Design;
  readonly fit: DesignFit;
  readonly method: SynthMethod;
  /** Gram matrices of the controls' unit-weight columns, by T0 (built on first use; null when too large). */
  readonly grams: Map<number, Float64Array | null>;
  /** Unit labels by panel row (messages). */
  readonly units: readonly string[];
  /** The replicates' Gram submatrix, reused from one replicate to the next (each overwrites all of it and
   *  is solved before the next is built): no megabytes allocated per replicate. */
  readonly scratch: { gram: Float64Array | null };
  /** Engine buffers the unit weights are solved in (the Gram submatrix is built there); null: TypeScript. */
  readonly workspace: GramWorkspace | null;
  /** Placebo replicates' unit weights over the whole controls (synthdid-whole-controls.ts), when the
   *  workspace holds their Gram matrix. */
  readonly whole: WholeControls | null;
}

export function replicateContext(m: Matrix, design: Design, fit: DesignFit, method: SynthMethod, units: readonly string[], workspace: GramWorkspace | null = null): ReplicateContext {
  const wholeFits = workspace !== null && method !== "did" && design.controls.length <= GRAM_MAX_UNITS;
  const maxT0 = Math.max(...design.cohorts.map((c) => c.T0));
  const whole = wholeFits ? new WholeControls(m, design.controls, method === "sdid", workspace, maxT0) : null;
  return { m, design, fit, method, grams: new Map(), units, scratch: { gram: null }, workspace, whole };
}

/** Why a variance method cannot run on this design, or null. */
export function vcovRefusal(design: Design, vcov: SynthVcov): string | null {
  const N1 = design.cohorts.reduce((s, c) => s + c.treated.length, 0);
  const N0 = design.controls.length;
  if (vcov === "placebo" && N0 <= N1) return `the placebo standard error needs more control units than treated ones (${N0} never-treated, ${N1} treated); use --vcov bootstrap or jackknife`;
  if (vcov === "bootstrap" && N1 < 2) return "the bootstrap needs at least 2 treated units (with one, draws without it are discarded and the rest have no variation); use --vcov placebo";
  if (vcov === "jackknife") {
    if (N0 < 2) return "the jackknife needs at least 2 control units";
    const single = design.cohorts.find((c) => c.treated.length < 2);
    if (single) return `the jackknife needs at least 2 treated units in every cohort (as Stata's sdid), but a cohort has ${single.treated.length}; use --vcov placebo`;
  }
  return null;
}

/** The Gram submatrix of the controls at `positions` (with repeats), from the whole controls' one. */
function gramFor(ctx: ReplicateContext, T0: number, positions: Int32Array): Float64Array | null {
  if (ctx.method === "did") return null;
  if (!ctx.grams.has(T0)) {
    const n = ctx.design.controls.length;
    ctx.grams.set(T0, n <= GRAM_MAX_UNITS ? gramOf(unitColumns(ctx.m, ctx.design.controls, T0, ctx.method === "sdid"), T0, n) : null);
  }
  const full = ctx.grams.get(T0)!;
  if (!full) return null;
  const N0 = ctx.design.controls.length;
  const n = positions.length;
  let G = ctx.workspace ? ctx.workspace.gram(n) : ctx.scratch.gram;
  if (!G || G.length !== n * n) G = ctx.scratch.gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = positions[i] * N0;
    for (let j = 0; j < n; j++) G[i * n + j] = full[row + positions[j]];
  }
  return G;
}

/** The estimate on a resampled design: controls at `positions` (among the original controls; `distinct`
 *  when none repeats, as in the placebo), cohorts mapped to the original cohort whose tuning and weights
 *  they start from. */
function refit(ctx: ReplicateContext, positions: Int32Array, cohorts: readonly Cohort[], original: readonly number[], distinct = false): number {
  const controls = Int32Array.from(positions, (p) => ctx.design.controls[p]);
  const fit = fitDesign(ctx.m, { controls, cohorts }, ctx.method, (k): BlockRun => {
    const o = ctx.fit.blocks[original[k]];
    const start = { tuning: o.tuning, lambda: o.lambda, omega: sumNormalize(Float64Array.from(positions, (p) => o.omega[p])) };
    if (distinct && ctx.whole) return { ...start, omegaSolver: ctx.whole.solver(cohorts[k].T0, positions) };
    return { ...start, gram: gramFor(ctx, cohorts[k].T0, positions), workspace: ctx.workspace ?? undefined };
  });
  return fit.att;
}

function shuffle(rng: Xoshiro128, n: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

export function placeboDraw(ctx: ReplicateContext, seed: number, r: number): number {
  const rng = new Xoshiro128(seed, r);
  const N0 = ctx.design.controls.length;
  const perm = shuffle(rng, N0);
  const N1 = ctx.design.cohorts.reduce((s, c) => s + c.treated.length, 0);
  const keep = N0 - N1;
  let next = keep;
  const cohorts = ctx.design.cohorts.map((c) => {
    const treated = Int32Array.from(perm.subarray(next, next + c.treated.length), (p) => ctx.design.controls[p]);
    next += c.treated.length;
    return { T0: c.T0, treated };
  });
  return refit(ctx, perm.slice(0, keep), cohorts, cohorts.map((_, k) => k), true);
}

export function bootstrapDraw(ctx: ReplicateContext, seed: number, r: number): number {
  const rng = new Xoshiro128(seed, r);
  const { design } = ctx;
  const N0 = design.controls.length;
  const cohortOf: number[] = [];
  design.cohorts.forEach((c, k) => c.treated.forEach(() => cohortOf.push(k)));
  const N = N0 + cohortOf.length;
  const treatedUnit = design.cohorts.flatMap((c) => Array.from(c.treated));
  for (;;) {
    const draw = new Int32Array(N);
    for (let i = 0; i < N; i++) draw[i] = rng.below(N);
    draw.sort();
    let controls = 0;
    while (controls < N && draw[controls] < N0) controls++;
    if (controls === 0 || controls === N) continue;
    const members = design.cohorts.map(() => [] as number[]);
    for (let i = controls; i < N; i++) members[cohortOf[draw[i] - N0]].push(treatedUnit[draw[i] - N0]);
    const present = design.cohorts.map((_, k) => k).filter((k) => members[k].length > 0);
    const cohorts = present.map((k) => ({ T0: design.cohorts[k].T0, treated: Int32Array.from(members[k]) }));
    return refit(ctx, draw.slice(0, controls), cohorts, present);
  }
}

/** sqrt((B-1)/B) * sd: the root mean square deviation. */
export function drawSe(draws: ArrayLike<number>): number {
  const B = draws.length;
  let mean = 0;
  for (let i = 0; i < B; i++) mean += draws[i];
  mean /= B;
  let ss = 0;
  for (let i = 0; i < B; i++) ss += (draws[i] - mean) * (draws[i] - mean);
  return Math.sqrt(ss / B);
}

/** What the leave-one-out loops read, and their scratch (gap: T, taus: K). */
interface LeaveOneOut {
  readonly Y: Float64Array;
  readonly T: number;
  readonly K: number;
  /** Per cohort: treated mean and gap series (whole sample), unit and time weights, pre-periods. */
  readonly means: readonly Float64Array[];
  readonly gaps: readonly Float64Array[];
  readonly omegas: readonly Float64Array[];
  readonly lambdas: readonly Float64Array[];
  readonly T0s: readonly number[];
  readonly taus: Float64Array;
  readonly gap: Float64Array;
}

// The leave-one-out loops are small functions of their own, in typed arrays and plain loops (no callback
// per unit): each runs once per process over tens of thousands of units, and V8 optimises a loop by
// compiling its whole function (in the background while the loop goes on in the slower tier), which a
// small function gets sooner.

/** Each control left out (its weight removed and the others rescaled, in every cohort): the ATT into u[j]. */
function controlsLeftOut(o: LeaveOneOut, controls: Int32Array, shares: readonly number[], u: Float64Array): void {
  const { Y, T, K, means, gaps, omegas, lambdas, T0s, taus, gap } = o;
  for (let j = 0; j < controls.length; j++) {
    const row = controls[j] * T;
    for (let k = 0; k < K; k++) {
      const w = omegas[k][j];
      const mk = means[k];
      const gk = gaps[k];
      for (let t = 0; t < T; t++) {
        const synth = mk[t] - gk[t];
        gap[t] = mk[t] - (synth - w * Y[row + t]) / (1 - w);
      }
      taus[k] = tauOf(gap, lambdas[k], T0s[k]);
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += shares[k] * taus[k];
    u[j] = s;
  }
}

/** Each treated unit of cohort k left out (the cohort's mean without it; `without`: the cohort shares with
 *  one unit fewer in k; other cohorts keep their estimates `tau`): the ATT into u[q]. */
function treatedLeftOut(o: LeaveOneOut, k: number, treated: Int32Array, without: readonly number[], tau: readonly number[], u: Float64Array): void {
  const { Y, T, K, means, gaps, lambdas, T0s, taus, gap } = o;
  const n = treated.length;
  const mk = means[k];
  const gk = gaps[k];
  for (let q = 0; q < n; q++) {
    const row = treated[q] * T;
    for (let t = 0; t < T; t++) gap[t] = gk[t] + ((mk[t] * n - Y[row + t]) / (n - 1) - mk[t]);
    for (let kk = 0; kk < K; kk++) taus[kk] = kk === k ? tauOf(gap, lambdas[kk], T0s[k]) : tau[kk];
    let s = 0;
    for (let kk = 0; kk < K; kk++) s += without[kk] * taus[kk];
    u[q] = s;
  }
}

/** The fixed-weights jackknife: every unit left out once, in closed form (O(T) per unit and cohort). */
export function jackknifeSe(ctx: ReplicateContext): number {
  const { m, design, fit } = ctx;
  const { Y, T } = m;
  for (const b of fit.blocks) {
    let nonzero = -1;
    let count = 0;
    for (let j = 0; j < b.omega.length; j++) {
      if (b.omega[j] !== 0) {
        count++;
        nonzero = j;
      }
    }
    if (count === 1) {
      throw new DidwasmError("BAD_OPTION", `the jackknife with fixed weights is undefined here: the unit weights put everything on one control (unit ${ctx.units[design.controls[nonzero]]}); use --vcov placebo or bootstrap`);
    }
  }
  const K = design.cohorts.length;
  const means = design.cohorts.map((c) => {
    const out = new Float64Array(T);
    for (const u of c.treated) for (let t = 0; t < T; t++) out[t] += Y[u * T + t] / c.treated.length;
    return out;
  });
  const gaps = design.cohorts.map((c, k) => gapSeries(m, { controls: design.controls, treated: c.treated, T0: c.T0 }, fit.blocks[k].omega));
  // The ATT's cohort shares: of the whole design, and with one unit fewer in cohort k (computed once; the
  // loops below allocate nothing per unit: 50,000 units on the 1M-row panel).
  const shares = aggregate(m, design.cohorts, fit.blocks.map((b) => b.tau)).shares;
  const sharesWithout = design.cohorts.map((_, k) => aggregate(m, design.cohorts.map((cc, kk) => (kk === k ? { T0: cc.T0, treated: cc.treated.subarray(1) } : cc)), fit.blocks.map((b) => b.tau)).shares);
  const N0 = design.controls.length;
  const loo: LeaveOneOut = {
    Y, T, K, means, gaps, omegas: fit.blocks.map((b) => b.omega), lambdas: fit.blocks.map((b) => b.lambda), T0s: design.cohorts.map((c) => c.T0),
    taus: new Float64Array(K), gap: new Float64Array(T),
  };
  const u = new Float64Array(N0 + design.cohorts.reduce((s, c) => s + c.treated.length, 0));
  controlsLeftOut(loo, design.controls, shares, u);
  let next = N0;
  for (let k = 0; k < K; k++) {
    treatedLeftOut(loo, k, design.cohorts[k].treated, sharesWithout[k], fit.blocks.map((b) => b.tau), u.subarray(next));
    next += design.cohorts[k].treated.length;
  }
  const n = u.length;
  let mean = 0;
  for (let q = 0; q < n; q++) mean += u[q] / n;
  let ss = 0;
  for (let q = 0; q < n; q++) ss += (u[q] - mean) * (u[q] - mean);
  return Math.sqrt(((n - 1) / n) * ss);
}
