// Borusyak, Jaravel and Spiess (2024), Theorem 3: the conservative clustered variance of an imputation
// estimate tau_w = sum_it v_it Y_it. The weights v are a_it on treated rows (the target's weights) and
// -z_it'(Z0'WZ0)^-1 Z1'W a on untreated rows (z: the first stage's dummies and controls), so
//   V = sum_c (sum_{it in c} w_it v_it e_it)^2,
// with e = the first-stage residual on untreated rows and e = tau_hat - tau_tilde on treated rows.
// tau_tilde averages the effects within groups (cohort x period by default, --avg-effects-by), weighted as
// did_imputation's "smart" average: row i by w_i a_i times its cluster's total weight in the group,
//   CW_cg = sum_{i in c, g} w_i a_i,  D_g = sum_c CW_cg^2,  tau_tilde_g = sum_{i in g} CW_c(i)g w_i a_i tau_hat_i / D_g.
// The leave-out version averages without the row's own cluster, which gives
//   e_i = (tau_hat_i - tau_tilde_g) D_g / (D_g - CW_cg^2),
// and is undefined when one cluster holds all of a group's weight (a cohort with a single unit).
// v on untreated rows is never formed: two-stage-variance.ts computes the same cluster sums as did2s's GMM
// meat (the targets' weights in place of the second-stage dummies, no bread), with the same solves.
import { DidwasmError } from "../../errors.js";
import { warning, type Note } from "../../notes.js";
import type { Targets } from "./imputation-targets.js";
import { gmmMeat } from "./two-stage-variance.js";
import type { UntreatedFit } from "./untreated-first-stage.js";
import { freshF64, freshI32 } from "../../engine/fresh-arrays.js";

/** A share of the group's weight in one cluster at least this large leaves nothing to average without it
 *  (did_imputation's threshold). */
const LONE_CLUSTER_SHARE = 0.99999;

export interface ImputationVarianceInput {
  readonly fit: UntreatedFit;
  readonly targets: Targets;
  /** Averaging group of each treated row (targets.rows[t]), dense from 0; `groups` of them. */
  readonly group: Int32Array;
  readonly groups: number;
  readonly cluster: Int32Array;
  readonly G: number;
  readonly leaveOut: boolean;
  /** "cohort 2005, period 2007" for an averaging group; a cluster's value; for errors. */
  readonly describeGroup: (g: number) => string;
  readonly describeCluster: (c: number) => string;
  readonly clusterName: string;
}

/** The treated rows in some target, as positions t in targets.rows, grouped by cluster and in row order
 *  within each cluster: in row order when each cluster's rows are contiguous already (a panel sorted by its
 *  unit, clustered by it), else by a counting sort on the cluster. Read in this order, a cluster's rows lie
 *  together in memory too. */
function byCluster(targets: Targets, cluster: Int32Array, G: number): Int32Array {
  const { rows, code } = targets;
  let count = 0;
  let contiguous = true;
  const seen = new Uint8Array(G);
  let last = -1;
  for (let t = 0; t < rows.length; t++) {
    if (code[t] < 0) continue;
    count++;
    const c = cluster[rows[t]];
    if (c === last) continue;
    if (seen[c]) contiguous = false;
    seen[c] = 1;
    last = c;
  }
  const order = freshI32(count);
  if (contiguous) {
    for (let t = 0, k = 0; t < rows.length; t++) if (code[t] >= 0) order[k++] = t;
    return order;
  }
  const start = new Int32Array(G + 1);
  for (let t = 0; t < rows.length; t++) if (code[t] >= 0) start[cluster[rows[t]] + 1]++;
  for (let c = 0; c < G; c++) start[c + 1] += start[c];
  for (let t = 0; t < rows.length; t++) if (code[t] >= 0) order[start[cluster[rows[t]]]++] = t;
  return order;
}

/** Covariance of the targets' estimates (K x K, row-major), and notes. */
export function imputationVariance(o: ImputationVarianceInput): { vcov: Float64Array; notes: Note[] } {
  const { fit, targets, group, cluster } = o;
  const { w, ytilde } = fit;
  const { rows, code, value } = targets;
  const K = targets.names.length;
  const NG = o.groups * K; // a group of one target
  const gOf = (t: number) => code[t] * o.groups + group[t];

  // One cluster at a time, its totals CW_cg accumulate in `acc` (indexed by group, cleared after the
  // cluster): a first pass over the clusters sums D_g and A_g = sum CW w a tau_hat, a second forms the
  // residuals. Within a group, rows add up in the order they are read, row order when clusters are
  // contiguous. Reading by cluster keeps the passes sequential in memory: reading by group strides across
  // the whole panel (one row per unit), a cache miss per read.
  const order = byCluster(targets, cluster, o.G);
  const acc = new Float64Array(NG);
  const D = new Float64Array(NG);
  const A = new Float64Array(NG);
  const clusterTotals = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const t = order[k];
      acc[gOf(t)] += w ? w[rows[t]] * value[t] : value[t];
    }
  };
  const clear = (from: number, to: number) => {
    for (let k = from; k < to; k++) acc[gOf(order[k])] = 0;
  };
  const eachCluster = (visit: (from: number, to: number) => void) => {
    for (let from = 0; from < order.length; ) {
      const c = cluster[rows[order[from]]];
      let to = from + 1;
      while (to < order.length && cluster[rows[order[to]]] === c) to++;
      clusterTotals(from, to);
      visit(from, to);
      clear(from, to);
      from = to;
    }
  };
  eachCluster((from, to) => {
    for (let k = from; k < to; k++) {
      const t = order[k];
      const i = rows[t];
      const g = gOf(t);
      const p = acc[g] * (w ? w[i] : 1) * value[t];
      D[g] += p;
      A[g] += p * ytilde[i];
    }
  });
  /** The residual e of each treated row (0 outside the targets). */
  const u2 = freshF64(rows.length);
  /** A group lying in a single cluster, and its first row read (a position in rows). */
  const lone = new Map<number, number>();
  eachCluster((from, to) => {
    for (let k = from; k < to; k++) {
      const t = order[k];
      const g = gOf(t);
      const Dg = D[g];
      if (!(Dg > 0)) continue; // a group of zero weight: its rows do not enter the sums
      let r = ytilde[rows[t]] - A[g] / Dg;
      const cw = acc[g];
      const share = (cw * cw) / Dg;
      if (share > LONE_CLUSTER_SHARE) {
        if (!lone.has(g)) lone.set(g, t);
      } else if (o.leaveOut) r *= Dg / (Dg - cw * cw);
      u2[t] = r;
    }
  });
  const notes: Note[] = [];
  if (lone.size) {
    const groups = [...lone.keys()].sort((a, b) => a - b);
    if (o.leaveOut) {
      const t = lone.get(groups[0])!;
      throw new DidwasmError(
        "BAD_DATA",
        `leave-out standard errors of ${targets.names[code[t]]}: every treated observation of ${o.describeGroup(group[t])} is in one cluster ` +
          `(${o.clusterName} ${o.describeCluster(cluster[rows[t]])}), so its effect cannot be averaged leaving that cluster out; a cohort with a single unit does this. ` +
          "Average effects over larger groups with --avg-effects-by cohort, horizon or treated (or leave the cohort out); " +
          "--no-leave-out would give standard errors biased downward for the same reason",
        { option: "avgEffectsBy" },
      );
    }
    const some = groups.slice(0, 3).map((g) => `${targets.names[Math.floor(g / o.groups)]}: ${o.describeGroup(g % o.groups)}`);
    notes.push(warning("method", `${lone.size} averaging group(s) lie in a single cluster (${some.join("; ")}${lone.size > 3 ? "; ..." : ""}): their residuals sum to 0 within the cluster, so the standard errors understate the uncertainty; --avg-effects-by with larger groups avoids this`));
  }
  const { first } = fit;
  const vcov = gmmMeat({
    n: fit.n, w, untreated: fit.untreated, enc: fit.enc, solver: fit.solver, X: first.keptControls.map((k) => fit.X[k]), B: first.B, XcInv: first.XcInv,
    u1: ytilde, u2, K2: K, x2: [], code, codeValue: value, codeRows: rows, cluster, G: o.G,
  });
  return { vcov, notes };
}
