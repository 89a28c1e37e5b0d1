// Matching treated units to controls on the propensity score, through a sorted score index of the
// controls (binary search, then walking outwards): O((n1 + n0) log n0) for nearest-neighbour matching,
// never all n1 x n0 pairs (except the normal kernel, whose weights are positive everywhere).
//
// THE SORTED INDEX AND TIES, as MatchIt 4.5's nn_matchC_vec: controls are ordered by (score, unit order),
// unit order being the unit table's (ids ascending). A treated unit i with score s sits between the
// controls ordered before (s, i) (its "left" side) and after it (its "right" side). Nearest-neighbour
// matching takes the k nearest by walking both sides outwards and, at each pick, taking the left
// candidate when |c_left - s| <= |c_right - s|: an exact tie goes to the control with the lower score, and
// between equal scores to the one ordered just before the treated unit. A side stops at its first
// candidate farther than the caliper (|c - s| > caliper).
//
// METHODS
//   nearest, with replacement (default; MatchIt replace = TRUE, psmatch2's default): each treated unit
//     independently takes its k nearest controls; controls may serve many treated units.
//   nearest, without replacement (MatchIt replace = FALSE): k rounds; in each, treated units in
//     decreasing order of score (ties: unit order), MatchIt's m.order = "largest", take their nearest
//     still unused control. Unused controls are found through skip lists (union-find with path halving).
//   radius: every control within the caliper (psmatch2 radius); the caliper is required.
//   kernel: every control with positive kernel weight K((c - s) / h), Epanechnikov 1 - u^2 on |u| < 1
//     (psmatch2's default kernel) or normal exp(-u^2 / 2); bandwidth h (psmatch2's default 0.06); with a
//     caliper, only controls within it.
// MATCHIT 4.5.1 COMPATIBILITY (compat = "matchit-4.5.1", nearest only). MatchIt 4.5.1-4.5.3 (Debian's
// r-cran-matchit 4.5.1 among them) compare score distances as abs() of an int: the difference is
// truncated to a whole number first. Propensity-score differences all truncate to 0, so every comparison
// is a tie (the left candidate, the next lower control score, always wins) and the caliper never binds.
// That mode reproduces those versions' matches exactly; the default is true nearest-neighbour matching, as
// MatchIt before 4.5.1 and from 4.5.4 on, and psmatch2, do it.
//
// A treated unit's matches share its weight 1 equally (nearest, radius) or in proportion to the kernel;
// a control's weight is the sum of its shares (psmatch2's _weight; with k = 1 and replacement, the number
// of treated units it serves).

import { exp } from "../../stats/libm.js";

export type MatchMethod = "nearest" | "radius" | "kernel";
export type KernelType = "epan" | "normal";

export interface MatchOptions {
  readonly method: MatchMethod;
  /** Neighbours per treated unit (nearest). */
  readonly neighbors: number;
  /** Controls may be reused (nearest). */
  readonly replace: boolean;
  /** Largest |score difference| allowed, or null. */
  readonly caliper: number | null;
  readonly kernel: KernelType;
  readonly bandwidth: number;
  /** "matchit-4.5.1": reproduce MatchIt 4.5.1-4.5.3's truncated distances (see above). */
  readonly compat?: "matchit-4.5.1" | null;
}

type Dist = (a: number, b: number) => number;
const trueDistance: Dist = (a, b) => Math.abs(a - b);
/** C's abs((int)(a - b)), as MatchIt 4.5.1's nn_matchC_vec computes it. */
const truncatedDistance: Dist = (a, b) => Math.abs(Math.trunc(a - b));

export interface MatchPair {
  /** Unit indices into the unit table. */
  readonly treated: number;
  readonly control: number;
  /** The control's share of the treated unit (shares of one treated unit sum to 1). */
  readonly weight: number;
  /** |score difference|. */
  readonly distance: number;
}

export interface Matching {
  readonly pairs: readonly MatchPair[];
  /** Per unit: 1 for a treated unit with at least one match. */
  readonly treatedMatched: Uint8Array;
  /** Per unit: a control's summed shares (0 when unused). */
  readonly controlWeight: Float64Array;
  /** Eligible treated units that found no control (caliper, kernel support, exhausted controls). */
  readonly unmatched: number;
}

interface SortedControls {
  readonly score: Float64Array;
  readonly unit: Int32Array;
}

function sortControls(score: Float64Array, isControl: (u: number) => boolean): SortedControls {
  const idx: number[] = [];
  for (let u = 0; u < score.length; u++) if (isControl(u)) idx.push(u);
  idx.sort((a, b) => score[a] - score[b] || a - b);
  return { score: Float64Array.from(idx, (u) => score[u]), unit: Int32Array.from(idx) };
}

/** Number of controls ordered before (s, u): score < s, or score == s and unit order < u. */
function position(c: SortedControls, s: number, u: number): number {
  let lo = 0;
  let hi = c.score.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cs = c.score[mid];
    if (cs < s || (cs === s && c.unit[mid] < u)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const outside = (d: number, caliper: number | null) => caliper !== null && d > caliper;

/** The k nearest controls of score s (positions in the sorted index), nearest first. */
function nearestK(c: SortedControls, s: number, p: number, k: number, caliper: number | null, dist: Dist): number[] {
  const picks: number[] = [];
  let L = p - 1;
  let R = p;
  let leftOpen = L >= 0;
  let rightOpen = R < c.score.length;
  while (picks.length < k) {
    if (leftOpen && outside(dist(s, c.score[L]), caliper)) leftOpen = false;
    if (rightOpen && outside(dist(s, c.score[R]), caliper)) rightOpen = false;
    if (leftOpen && rightOpen) {
      if (dist(c.score[L], s) <= dist(c.score[R], s)) picks.push(L--);
      else picks.push(R++);
    } else if (leftOpen) picks.push(L--);
    else if (rightOpen) picks.push(R++);
    else break;
    leftOpen = leftOpen && L >= 0;
    rightOpen = rightOpen && R < c.score.length;
  }
  return picks;
}

/** Skip lists over sorted positions: the nearest unused position at or left (right) of p. */
class Available {
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  constructor(n: number) {
    // left[p + 1] / right[p] point at p while p is unused; sentinels at 0 (left) and n (right).
    this.left = Int32Array.from({ length: n + 1 }, (_, i) => i);
    this.right = Int32Array.from({ length: n + 1 }, (_, i) => i);
  }
  /** Nearest unused position <= p, or -1. */
  atOrLeft(p: number): number {
    const a = this.left;
    let x = p + 1;
    while (a[x] !== x) {
      a[x] = a[a[x]];
      x = a[x];
    }
    return x - 1;
  }
  /** Nearest unused position >= p, or n. */
  atOrRight(p: number): number {
    const a = this.right;
    let x = p;
    while (a[x] !== x) {
      a[x] = a[a[x]];
      x = a[x];
    }
    return x;
  }
  use(p: number): void {
    this.left[p + 1] = p;
    this.right[p] = p + 1;
  }
}

function nearestWithoutReplacement(
  c: SortedControls, score: Float64Array, treatedUnits: number[], k: number, caliper: number | null, dist: Dist,
): Map<number, number[]> {
  const order = [...treatedUnits].sort((a, b) => score[b] - score[a] || a - b);
  const pos = new Map(order.map((u) => [u, position(c, score[u], u)]));
  const picks = new Map<number, number[]>(order.map((u) => [u, []]));
  const avail = new Available(c.score.length);
  let left = c.score.length;
  for (let r = 0; r < k && left > 0; r++) {
    for (const u of order) {
      if (left === 0) break;
      const s = score[u];
      const p = pos.get(u)!;
      const L = avail.atOrLeft(p - 1);
      const R = avail.atOrRight(p);
      const lOk = L >= 0 && !outside(dist(s, c.score[L]), caliper);
      const rOk = R < c.score.length && !outside(dist(s, c.score[R]), caliper);
      let q: number;
      if (lOk && rOk) q = dist(c.score[L], s) <= dist(c.score[R], s) ? L : R;
      else if (lOk) q = L;
      else if (rOk) q = R;
      else continue;
      picks.get(u)!.push(q);
      avail.use(q);
      left--;
    }
  }
  return picks;
}

function withinRadius(c: SortedControls, s: number, p: number, radius: number): number[] {
  const picks: number[] = [];
  for (let L = p - 1; L >= 0 && !(Math.abs(c.score[L] - s) > radius); L--) picks.push(L);
  for (let R = p; R < c.score.length && !(Math.abs(c.score[R] - s) > radius); R++) picks.push(R);
  return picks.sort((a, b) => Math.abs(c.score[a] - s) - Math.abs(c.score[b] - s) || a - b);
}

function kernelWeights(c: SortedControls, s: number, p: number, o: MatchOptions): Array<[number, number]> {
  const h = o.bandwidth;
  const out: Array<[number, number]> = [];
  const K = (d: number) => {
    const u = d / h;
    return o.kernel === "epan" ? (Math.abs(u) < 1 ? 1 - u * u : 0) : exp(-0.5 * u * u);
  };
  const reach = o.kernel === "epan" ? h : Infinity;
  const limit = Math.min(reach, o.caliper ?? Infinity);
  const take = (q: number) => {
    const d = c.score[q] - s;
    if (outside(Math.abs(d), o.caliper)) return false;
    const k = K(d);
    if (k > 0) out.push([q, k]);
    return true;
  };
  for (let L = p - 1; L >= 0 && !(Math.abs(c.score[L] - s) > limit); L--) take(L);
  for (let R = p; R < c.score.length && !(Math.abs(c.score[R] - s) > limit); R++) take(R);
  return out.sort((a, b) => Math.abs(c.score[a[0]] - s) - Math.abs(c.score[b[0]] - s) || a[0] - b[0]);
}

/** Matches eligible treated units (treated[u] = 1, eligible[u] = 1) to eligible controls (treated[u] = 0,
 *  eligible[u] = 1) on score. Units are indices of the unit table; their order breaks ties. */
export function matchOnScore(score: Float64Array, treated: Uint8Array, eligible: Uint8Array, o: MatchOptions): Matching {
  const U = score.length;
  const controls = sortControls(score, (u) => eligible[u] === 1 && treated[u] === 0);
  const treatedUnits: number[] = [];
  for (let u = 0; u < U; u++) if (eligible[u] === 1 && treated[u] === 1) treatedUnits.push(u);
  const pairs: MatchPair[] = [];
  const treatedMatched = new Uint8Array(U);
  const controlWeight = new Float64Array(U);
  let unmatched = 0;
  const record = (u: number, picks: Array<[number, number]>) => {
    const total = picks.reduce((s, [, w]) => s + w, 0);
    if (picks.length === 0 || !(total > 0)) {
      unmatched++;
      return;
    }
    treatedMatched[u] = 1;
    for (const [q, w] of picks) {
      const share = w / total;
      const cu = controls.unit[q];
      controlWeight[cu] += share;
      pairs.push({ treated: u, control: cu, weight: share, distance: Math.abs(controls.score[q] - score[u]) });
    }
  };
  const dist = o.compat === "matchit-4.5.1" ? truncatedDistance : trueDistance;
  if (o.method === "nearest" && !o.replace) {
    const picks = nearestWithoutReplacement(controls, score, treatedUnits, o.neighbors, o.caliper, dist);
    for (const u of treatedUnits) record(u, picks.get(u)!.map((q) => [q, 1]));
    return { pairs, treatedMatched, controlWeight, unmatched };
  }
  for (const u of treatedUnits) {
    const s = score[u];
    const p = position(controls, s, u);
    if (o.method === "nearest") record(u, nearestK(controls, s, p, o.neighbors, o.caliper, dist).map((q) => [q, 1]));
    else if (o.method === "radius") record(u, withinRadius(controls, s, p, o.caliper!).map((q) => [q, 1]));
    else record(u, kernelWeights(controls, s, p, o));
  }
  return { pairs, treatedMatched, controlWeight, unmatched };
}

/** Common support (psmatch2's `common`, MatchIt's discard = "treated"): treated units whose score lies
 *  outside [min, max] of the eligible controls' scores are dropped. Returns the new eligibility and the
 *  number dropped. */
export function commonSupport(score: Float64Array, treated: Uint8Array, eligible: Uint8Array): { eligible: Uint8Array; offSupport: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let u = 0; u < score.length; u++) {
    if (!eligible[u] || treated[u]) continue;
    lo = Math.min(lo, score[u]);
    hi = Math.max(hi, score[u]);
  }
  const out = Uint8Array.from(eligible);
  let offSupport = 0;
  for (let u = 0; u < score.length; u++) {
    if (eligible[u] && treated[u] && (score[u] < lo || score[u] > hi)) {
      out[u] = 0;
      offSupport++;
    }
  }
  return { eligible: out, offSupport };
}
