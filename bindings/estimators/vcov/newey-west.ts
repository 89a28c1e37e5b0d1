// Panel Newey-West variance (fixest's NW; Newey and West 1987 within units): the meat sums, for every
// lag l = 0 .. L, Bartlett weight w_l times the products of the scores of the same unit l periods apart,
//   meat = sum_l w_l (G_l + G_l'),   G_l = sum_{unit u, period t} s_{u,t} s_{u,t-l}'   (w_0 halved),
// then bread meat bread, times T / (T - 1) with ssc cluster.adj (T periods) and (n - 1) / (n - K) with adj,
// K leaving out fixed effects nested in the unit or the time (dof.ts); t tests use T - 1 degrees of freedom
// (ssc t.df = "min"). A time series (NW(L):time) is a panel of one unit: periods must then be distinct,
// and the lag must be given (fixest's automatic bandwidth for time series, sandwich's bwNeweyWest, is not
// implemented).
import { DidwasmError } from "../../errors.js";
import { sandwich } from "../../linalg/small.js";
import type { Groups } from "../../model/groups.js";
import { countedParameters, tDegrees } from "./dof.js";
import { bartlettWeights, lagFor, periodsOf, type Periods } from "./hac-time.js";
import { addOuter, plusTranspose, scoresOf } from "./scores.js";
import { sampleColumn } from "./columns.js";
import type { VcovInputs, VcovResult } from "./types.js";

export function vcovNeweyWest(inp: VcovInputs, lag: number | null, vars: readonly string[]): VcovResult {
  const { n, K } = inp;
  const panel = vars.length === 2;
  const timeName = vars[vars.length - 1];
  const periods = periodsOf(sampleColumn(inp, timeName, "time variable of the Newey-West variance"));
  const T = periods.G;
  const unit: Groups = panel ? inp.clusterGroups(vars[0]) : { ids: new Int32Array(n), G: 1 };
  if (!panel && lag === null) {
    throw new DidwasmError(
      "BAD_OPTION",
      `give the lag of a time-series Newey-West variance, e.g. NW(2):${timeName} (fixest's automatic bandwidth is not implemented)`,
      { vcov: `NW():${timeName}` },
    );
  }
  const L = lagFor(lag, T, "Newey-West", timeName);
  const w = bartlettWeights(L, T);
  const order = byUnitThenPeriod(unit, periods);
  checkDistinct(order, unit, periods, vars, panel);

  const S = scoresOf(inp);
  const M = new Float64Array(K * K);
  const unitIds = unit.ids; // once: ids may be read through a getter (model/groups.ts)
  const periodIds = periods.ids;
  for (let p = 0; p < n; p++) {
    const i = order[p];
    addOuter(M, K, w[0], S, i, S, i);
    // Earlier periods of the same unit, while within the lags that enter.
    for (let q = p - 1; q >= 0; q--) {
      const j = order[q];
      if (unitIds[j] !== unitIds[i]) break;
      const l = periodIds[i] - periodIds[j];
      if (l >= w.length) break;
      addOuter(M, K, w[l], S, i, S, j);
    }
  }
  const meat = plusTranspose(M, K);
  const groupings: Groups[] = panel ? [unit, periods] : [periods];
  const dofK = countedParameters(inp, groupings);
  let factor = inp.ssc.clusterAdj ? T / (T - 1) : 1;
  if (inp.ssc.adj) factor *= (n - 1) / (n - dofK);
  const vcov = sandwich(inp.bread, meat, K).map((x) => x * factor);
  return { vcov, dfT: tDegrees(inp, dofK, T), dofK, clusters: [], notes: [], label: `NW(${L}):${vars.join("+")}` };
}

/** Sample rows ordered by unit, then period (counting sorts: both are dense ids). */
function byUnitThenPeriod(unit: Groups, periods: Periods): Int32Array {
  const n = unit.ids.length;
  const byPeriod = countingSort(periods.ids, periods.G, null);
  return countingSort(unit.ids, unit.G, byPeriod);
}

/** Positions sorted by key (stable over `within`, or over 0 .. n - 1). */
function countingSort(key: Int32Array, G: number, within: Int32Array | null): Int32Array {
  const n = key.length;
  const start = new Int32Array(G + 1);
  for (let i = 0; i < n; i++) start[key[i] + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g];
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const i = within ? within[p] : p;
    out[start[key[i]]++] = i;
  }
  return out;
}

function checkDistinct(order: Int32Array, unit: Groups, periods: Periods, vars: readonly string[], panel: boolean): void {
  let repeats = 0;
  const unitIds = unit.ids; // once: ids may be read through a getter (model/groups.ts)
  const periodIds = periods.ids;
  for (let p = 1; p < order.length; p++) {
    const i = order[p];
    const j = order[p - 1];
    if (unitIds[i] === unitIds[j] && periodIds[i] === periodIds[j]) repeats++;
  }
  if (repeats === 0) return;
  const what = panel ? `("${vars[0]}", "${vars[1]}") pairs` : `values of "${vars[0]}"`;
  throw new DidwasmError(
    "BAD_DATA",
    `the Newey-West variance needs one observation per ${panel ? "unit and period" : "period"}, but ${repeats} observation(s) repeat ${what} of ` +
      `earlier ones; ${panel ? "remove the duplicates, or use DK(L), for which they do not matter" : "give the unit too, NW(L):unit+time, or use DK(L)"}`,
    { vars: [...vars], repeats },
  );
}
