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

/** A share of the group's weight in one cluster at least this large leaves nothing to average without it
 *  (did_imputation's threshold). */
const LONE_CLUSTER_SHARE = 0.99999;

export interface ImputationVarianceInput {
  readonly fit: UntreatedFit;
  readonly targets: Targets;
  /** Averaging group of each sample row (meaningful on treated rows), dense from 0; `groups` of them. */
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

/** Covariance of the targets' estimates (K x K, row-major), and notes. */
export function imputationVariance(o: ImputationVarianceInput): { vcov: Float64Array; notes: Note[] } {
  const { fit, targets, group, cluster } = o;
  const { n, wt, ytilde } = fit;
  const { code, value } = targets;
  const K = targets.names.length;
  const NG = o.groups * K; // a group of one target
  const gOf = (i: number) => code[i] * o.groups + group[i];

  // Rows bucketed by group (counting sort), so each group's cluster totals CW_cg accumulate in one array
  // indexed by cluster, cleared through the group's rows after it.
  const start = new Int32Array(NG + 1);
  for (let i = 0; i < n; i++) if (code[i] >= 0) start[gOf(i) + 1]++;
  for (let g = 0; g < NG; g++) start[g + 1] += start[g];
  const order = new Int32Array(start[NG]);
  const fill = start.slice(0, NG);
  for (let i = 0; i < n; i++) if (code[i] >= 0) order[fill[gOf(i)]++] = i;
  const acc = new Float64Array(o.G);
  const u2 = new Float64Array(n);
  const notes: Note[] = [];
  const lone = new Set<number>();
  for (let g = 0; g < NG; g++) {
    for (let k = start[g]; k < start[g + 1]; k++) {
      const i = order[k];
      acc[cluster[i]] += wt[i] * value[i];
    }
    let D = 0;
    let A = 0;
    for (let k = start[g]; k < start[g + 1]; k++) {
      const i = order[k];
      const p = acc[cluster[i]] * wt[i] * value[i];
      D += p;
      A += p * ytilde[i];
    }
    if (D > 0) {
      for (let k = start[g]; k < start[g + 1]; k++) {
        const i = order[k];
        let r = ytilde[i] - A / D;
        const cw = acc[cluster[i]];
        const share = (cw * cw) / D;
        if (share > LONE_CLUSTER_SHARE) {
          if (o.leaveOut) {
            throw new DidwasmError(
              "BAD_DATA",
              `leave-out standard errors of ${targets.names[code[i]]}: every treated observation of ${o.describeGroup(group[i])} is in one cluster ` +
                `(${o.clusterName} ${o.describeCluster(cluster[i])}), so its effect cannot be averaged leaving that cluster out; a cohort with a single unit does this. ` +
                "Average effects over larger groups with --avg-effects-by cohort, horizon or treated (or leave the cohort out); " +
                "--no-leave-out would give standard errors biased downward for the same reason",
              { option: "avgEffectsBy" },
            );
          }
          lone.add(g);
        } else if (o.leaveOut) r *= D / (D - cw * cw);
        u2[i] = r;
      }
    } // a group of zero weight: its rows do not enter the sums
    for (let k = start[g]; k < start[g + 1]; k++) acc[cluster[order[k]]] = 0;
  }
  if (lone.size) {
    const some = [...lone].slice(0, 3).map((g) => `${targets.names[Math.floor(g / o.groups)]}: ${o.describeGroup(g % o.groups)}`);
    notes.push(warning("method", `${lone.size} averaging group(s) lie in a single cluster (${some.join("; ")}${lone.size > 3 ? "; ..." : ""}): their residuals sum to 0 within the cluster, so the standard errors understate the uncertainty; --avg-effects-by with larger groups avoids this`));
  }
  const { first } = fit;
  const vcov = gmmMeat({
    n, wt, untreated: fit.untreated, enc: fit.enc, solver: fit.solver, X: first.keptControls.map((k) => fit.X[k]), B: first.B, XcInv: first.XcInv,
    u1: ytilde, u2, K2: K, x2: [], code, codeValue: value, cluster, G: o.G,
  });
  return { vcov, notes };
}
