// A sensitivity analysis of an event study to violations of parallel trends (Rambachan and Roth 2023), as
// HonestDiD 0.2.8's createSensitivityResults (smoothness, Delta^SD) and
// createSensitivityResults_relativeMagnitudes (relative magnitudes, Delta^RM) compute it: for each bound M
// (or Mbar) a confidence set for theta = l'tau_post, next to the original interval under exact parallel
// trends, and the breakdown value: the first bound whose set contains 0.
//
// Methods, with HonestDiD's defaults: Delta^RM by the conditional-least-favourable hybrid ("C-LF", first
// stage of size kappa = alpha / 10) or the plain conditional test ("ARP", HonestDiD's "Conditional");
// Delta^SD by the fixed-length interval ("FLCI", the default) or either conditional test.
import type { Highs } from "highs";
import { type Note, warning } from "../../notes.js";
import { DidwasmError } from "../../errors.js";
import { normalQuantile } from "../../stats/distributions.js";
import { dot, quad } from "./dense.js";
import { relativeMagnitudeSet, targetStdError, type GridOptions } from "./delta-rm.js";
import { smoothnessConditionalSet } from "./delta-sd.js";
import { FlciSolver } from "./flci.js";
import { inHighs, loadHighs } from "./highs-solver.js";
import { preCovariance } from "./event-study-input.js";
import type { CvCache, EventStudy, GridSet } from "./test-inversion.js";

export type DeltaKind = "rm" | "sd";
export type SensitivityMethod = "c-lf" | "arp" | "flci";

export interface SensitivityOptions {
  readonly delta: DeltaKind;
  /** The bounds M (SD) or Mbar (RM); default: HonestDiD's (RM 0.5, 1, 1.5, 2; SD ten values from 0 to an
   *  upper bound the pre-periods support). */
  readonly m?: readonly number[] | null;
  /** Default: c-lf for RM, flci for SD. */
  readonly method?: SensitivityMethod | null;
  readonly alpha?: number;
  /** Points of the theta grid the conditional tests are inverted on (HonestDiD: 1,000). */
  readonly gridPoints?: number;
}

export interface RobustInterval {
  readonly delta: "RM" | "SD";
  readonly m: number;
  /** null: no value of theta was accepted on the grid (an empty set). */
  readonly lb: number | null;
  readonly ub: number | null;
  readonly method: "C-LF" | "ARP" | "FLCI";
}

export interface SensitivityResult {
  readonly original: { readonly estimate: number; readonly std_error: number; readonly lb: number; readonly ub: number };
  readonly robust: readonly RobustInterval[];
  /** The smallest bound whose set contains 0, and the largest bound below it whose set excludes 0 (null
   *  when none of the bounds given has that property). */
  readonly breakdown: { readonly m: number | null; readonly significant_up_to: number | null };
  readonly method: "C-LF" | "ARP" | "FLCI";
  readonly alpha: number;
  readonly notes: readonly Note[];
}

const HONESTDID_MBAR = [0.5, 1, 1.5, 2];
const DEFAULT_GRID_POINTS = 1000;
const METHOD_NAME = { "c-lf": "C-LF", arp: "ARP", flci: "FLCI" } as const;

/** HonestDiD's default M grid for Delta^SD: ten values from 0 to the largest one-sided upper confidence
 *  bound (level 95%) of a pre-period second difference, the reference period counted as 0; with one
 *  pre-period, up to its standard error. */
export function defaultSmoothnessBounds(es: EventStudy): number[] {
  const p = es.numPre;
  let top: number;
  if (p === 1) {
    top = Math.sqrt(es.sigma.data[0]);
  } else {
    const S = preCovariance(es);
    const z = normalQuantile(0.95);
    top = -Infinity;
    for (let r = 0; r < p - 1; r++) {
      const a = new Float64Array(p);
      a[r] = 1;
      a[r + 1] = -2;
      if (r + 2 < p) a[r + 2] = 1; // else the third point is the reference period, 0
      const diff = dot(a, es.betahat.subarray(0, p));
      const se = Math.sqrt(quad(S, a));
      top = Math.max(top, diff + z * se, -diff + z * se);
    }
  }
  return Array.from({ length: 10 }, (_, i) => (i === 9 ? top : (top * i) / 9));
}

export async function honestSensitivity(es: EventStudy, o: SensitivityOptions, highsRuntime?: Highs): Promise<SensitivityResult> {
  const alpha = o.alpha ?? 0.05;
  const method = o.method ?? (o.delta === "rm" ? "c-lf" : "flci");
  if (o.delta === "rm" && method === "flci") {
    throw new DidwasmError("BAD_OPTION", "method flci applies only with delta sd (the fixed-length interval is built for smoothness bounds); use c-lf or arp with delta rm", { option: "method" });
  }
  const bounds = o.m ?? (o.delta === "rm" ? HONESTDID_MBAR : defaultSmoothnessBounds(es));
  if (bounds.length === 0) throw new DidwasmError("BAD_OPTION", "give at least one bound M", { option: o.delta === "rm" ? "mbar" : "m" });
  bounds.forEach((m) => {
    if (!(m >= 0) || !Number.isFinite(m)) throw new DidwasmError("BAD_OPTION", `the bounds must be finite and nonnegative, got ${m}`, { option: o.delta === "rm" ? "mbar" : "m" });
  });
  const notes: Note[] = [];
  const delta = o.delta === "rm" ? "RM" : "SD";
  const name = METHOD_NAME[method];
  const grid: GridOptions = { alpha, hybrid: method === "c-lf" ? "lf" : "arp", kappa: alpha / 10, gridPoints: o.gridPoints ?? DEFAULT_GRID_POINTS };
  const cache: CvCache = new Map();
  const needsHighs = o.delta === "sd";
  const highs = needsHighs ? (highsRuntime ?? (await loadHighs())) : null;
  const robust: RobustInterval[] = [];
  let lpFailures = 0;
  const openAt: number[] = [];
  const everyBound = () => {
    const flci = method === "flci" ? new FlciSolver(highs!, es, alpha) : null;
    try {
      for (const m of bounds) {
        if (flci) {
          const r = flci.at(m);
          robust.push({ delta, m, lb: r.lb, ub: r.ub, method: name });
          continue;
        }
        const set: GridSet = o.delta === "rm" ? relativeMagnitudeSet(es, m, grid, cache) : smoothnessConditionalSet(highs!, es, m, grid, cache);
        lpFailures += set.lpFailures;
        if (set.open) openAt.push(m);
        robust.push({ delta, m, lb: set.lb, ub: set.ub, method: name });
      }
    } finally {
      flci?.dispose();
    }
  };
  // With HiGHS, the bounds are one stretch of calls into it (highs-solver.ts), not one per solve.
  if (highs) inHighs(everyBound);
  else everyBound();
  if (openAt.length) {
    notes.push(warning("unbounded_interval", `the confidence set for ${delta === "RM" ? "Mbar" : "M"} = ${openAt.join(", ")} reaches the end of the grid of theta values (20 standard errors out), so it may extend beyond the interval reported (as in HonestDiD)`));
  }
  if (lpFailures) notes.push(warning("not_converged", `${lpFailures} test(s) had a linear program without an optimum and were counted as not rejecting (HonestDiD's rule)`));
  if (robust.some((r) => r.lb === null)) notes.push(warning("method", "no value of theta was accepted on the grid for some bound: the confidence set is empty there (the pre-periods reject the restriction)"));

  const se = targetStdError(es);
  const estimate = dot(es.l, es.betahat.subarray(es.numPre));
  const z = normalQuantile(1 - alpha / 2);
  const original = { estimate, std_error: se, lb: estimate - z * se, ub: estimate + z * se };
  return { original, robust, breakdown: breakdownOf(robust), method: name, alpha, notes };
}

/** The first bound (in increasing order) whose set contains 0, and the largest bound below it. */
export function breakdownOf(robust: readonly RobustInterval[]): SensitivityResult["breakdown"] {
  const sorted = [...robust].sort((a, b) => a.m - b.m);
  const first = sorted.find((r) => r.lb !== null && r.ub !== null && r.lb <= 0 && 0 <= r.ub);
  const before = sorted.filter((r) => (first ? r.m < first.m : true) && r.lb !== null);
  return { m: first ? first.m : null, significant_up_to: before.length ? before[before.length - 1].m : null };
}
