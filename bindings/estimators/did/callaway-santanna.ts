// Callaway and Sant'Anna (2021) group-time average treatment effects, unconditional (no covariates), on a
// balanced panel, as the R package did (att_gt + aggte):
//   ATT(g,t) = E[Y_t - Y_b | G = g] - E[Y_t - Y_b | C],
// b = the period before g (post periods, t >= g) or before t ("varying" base period, pre periods);
// C = never-treated units, or (control group "notyet") units not yet treated by max(t, b), excluding g.
// Each ATT(g,t) has the influence function (n units)
//   psi_i = (n / n_g) 1{G_i = g} (dY_i - mean_g dY) - (n / n_C) 1{i in C} (dY_i - mean_C dY),
// and its standard error is sqrt(sum psi^2) / n. Aggregations weight cells by group shares P(G = g) and
// add the influence of estimating those shares (did's wif):
//   simple   = sum over post cells of P(g) ATT(g,t) / sum P(g)
//   dynamic  theta(e) over cells with t - g = e, weights P(g); overall = mean of theta(e), e >= 0
//   group    theta(g) = mean of ATT(g,t), t >= g; overall = sum P(g) theta(g) / sum P(g)
//   calendar theta(t) over cells with g <= t, weights P(g); overall = mean of theta(t)
// Optional multiplier bootstrap (Rademacher weights, seeded, replicate b from stream b): bootstrap
// standard errors (interquartile range / 1.349) and uniform 95% bands for ATT(g,t) and dynamic effects.
import { quantileSorted } from "../../stats/quantile.js";
import { info, warning, type Note } from "../../notes.js";
import { toFrame, type DataInput } from "../../data/columns.js";
import { DidwasmError } from "../../errors.js";
import { groupIds } from "../../model/groups.js";
import { buildSample, sampleValues } from "../../model/sample.js";
import { Xoshiro128 } from "../../random/xoshiro.js";
import { normalQuantile } from "../../stats/distributions.js";
import { timingFromCohort } from "./cohorts.js";
import { eventVcovJson } from "./event-vcov.js";

export interface CallawaySantAnnaOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  readonly controlGroup?: "never" | "notyet";
  readonly never?: number | string | null;
  readonly subset?: string | null;
  /** Multiplier-bootstrap replicates (0 = analytic standard errors only). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Significance level of the uniform bands (default 0.05). */
  readonly alpha?: number;
}

export interface Estimate {
  readonly att: number;
  readonly std_error: number;
  readonly conf_low?: number;
  readonly conf_high?: number;
}

export interface CallawaySantAnnaResult {
  readonly attGt: ReadonlyArray<Estimate & { readonly group: number; readonly time: number }>;
  readonly dynamic: ReadonlyArray<Estimate & { readonly e: number }>;
  readonly group: ReadonlyArray<Estimate & { readonly group: number }>;
  readonly calendar: ReadonlyArray<Estimate & { readonly time: number }>;
  readonly overall: { readonly simple: Estimate; readonly dynamic: Estimate; readonly group: Estimate; readonly calendar: Estimate };
  readonly units: number;
  readonly controlGroup: "never" | "notyet";
  readonly bootstrap: { readonly reps: number; readonly seed: number; readonly criticalValue: { readonly attGt: number; readonly dynamic: number } } | null;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

/** An estimate with its influence function over the n units. */
interface Param {
  readonly att: number;
  readonly inf: Float64Array;
}

const se = (inf: Float64Array) => {
  let s = 0;
  for (let i = 0; i < inf.length; i++) s += inf[i] * inf[i];
  return Math.sqrt(s) / inf.length;
};

/** sum_j w_j theta_j with w_j = P(g_j) / S, plus the influence of estimating the P(g_j):
 *    d w_j = (1{G = g_j} - p_j) / S - p_j / S^2 sum_k (1{G = g_k} - p_k),
 *  summed against theta_j in closed form: with A_g = sum of theta_j over items of group g,
 *  B = sum_j p_j theta_j, P = sum_j p_j and m_g = number of items of group g, unit i adds
 *    A_{G_i} / S - B / S - (m_{G_i} - P) B / S^2,
 *  which costs O(units + items) instead of O(units x items). */
function weightedByGroupShare(items: ReadonlyArray<Param & { readonly g: number }>, unitGroup: Float64Array, share: ReadonlyMap<number, number>): Param {
  const n = unitGroup.length;
  let S = 0;
  let B = 0;
  const A = new Map<number, number>();
  const m = new Map<number, number>();
  for (const it of items) {
    const p = share.get(it.g)!;
    S += p;
    B += p * it.att;
    A.set(it.g, (A.get(it.g) ?? 0) + it.att);
    m.set(it.g, (m.get(it.g) ?? 0) + 1);
  }
  const P = S;
  let att = 0;
  const inf = new Float64Array(n);
  for (const it of items) {
    const w = share.get(it.g)! / S;
    att += w * it.att;
    const f = it.inf;
    for (let i = 0; i < n; i++) inf[i] += w * f[i];
  }
  for (let i = 0; i < n; i++) {
    const gi = unitGroup[i];
    const ag = A.get(gi) ?? 0;
    const mg = m.get(gi) ?? 0;
    inf[i] += ag / S - B / S - ((mg - P) * B) / (S * S);
  }
  return { att, inf };
}

function simpleMean(items: readonly Param[]): Param {
  const n = items[0].inf.length;
  const inf = new Float64Array(n);
  let att = 0;
  for (const it of items) {
    att += it.att / items.length;
    for (let i = 0; i < n; i++) inf[i] += it.inf[i] / items.length;
  }
  return { att, inf };
}

export function callawaySantAnna(data: DataInput, o: CallawaySantAnnaOptions): CallawaySantAnnaResult {
  const frame = toFrame(data);
  const controlGroup = o.controlGroup ?? "never";
  if (controlGroup !== "never" && controlGroup !== "notyet") throw new DidwasmError("BAD_OPTION", `control group must be "never" or "notyet", got "${controlGroup}"`);
  const timing = timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
  const notes: Note[] = [];
  const sample = buildSample(frame, {
    numeric: [{ name: o.y, role: "outcome" }, { name: o.time, role: "time variable" }],
    categorical: [{ name: o.unit, role: "unit variable" }],
    subset: o.subset ?? null, fixef: [], fixefRm: "none",
  });
  const unit = groupIds(frame, o.unit, sample.rows);
  const time = sampleValues(frame, o.time, sample.rows, "time variable");
  const y = sampleValues(frame, o.y, sample.rows, "outcome");
  const periods = [...new Set(time)].sort((a, b) => a - b);
  const T = periods.length;
  const pIndex = new Map(periods.map((p, k) => [p, k]));
  // Unit x period outcomes; units missing a period are dropped (balanced panel, as did does).
  const Y = new Float64Array(unit.G * T).fill(NaN);
  const seen = new Int32Array(unit.G);
  const cohortOfUnit = new Float64Array(unit.G);
  sample.rows.forEach((r, i) => {
    const k = unit.ids[i] * T + pIndex.get(time[i])!;
    if (!Number.isNaN(Y[k])) throw new DidwasmError("BAD_DATA", `unit ${frame.cellText(o.unit, r)} appears twice in period ${time[i]}`);
    Y[k] = y[i];
    seen[unit.ids[i]]++;
    cohortOfUnit[unit.ids[i]] = timing.cohortOfRow[r];
  });
  const first = periods[0];
  const keepUnit: number[] = [];
  let unbalanced = 0;
  let always = 0;
  for (let u = 0; u < unit.G; u++) {
    if (seen[u] !== T) unbalanced++;
    else if (Number.isFinite(cohortOfUnit[u]) && cohortOfUnit[u] <= first) always++;
    else keepUnit.push(u);
  }
  if (unbalanced) notes.push(info("data", `${unbalanced} unit(s) not observed in every period dropped (balanced panel)`));
  if (always) notes.push(info("data", `${always} unit(s) already treated in the first period dropped, as the did package does`));
  const n = keepUnit.length;
  const G = Float64Array.from(keepUnit, (u) => cohortOfUnit[u]);
  // Balanced outcomes of the kept units, unit-major.
  const Yk = new Float64Array(keepUnit.length * T);
  keepUnit.forEach((u, i) => Yk.set(Y.subarray(u * T, (u + 1) * T), i * T));
  const groups = [...new Set(G)].filter(Number.isFinite).sort((a, b) => a - b);
  if (groups.length === 0) throw new DidwasmError("BAD_DATA", "no treated cohort starts inside the panel");
  const neverCount = G.filter((g) => g === Infinity).length;
  if (controlGroup === "never" && neverCount === 0) {
    throw new DidwasmError("BAD_DATA", 'no never-treated units: use the not-yet-treated control group (--control-group notyet)');
  }
  if (controlGroup === "notyet" && neverCount === 0 && groups.length < 2) {
    throw new DidwasmError("BAD_DATA", "no never-treated and no not-yet-treated units to serve as controls: every unit starts treatment at the same time");
  }
  const share = new Map(groups.map((g) => [g, G.filter((x) => x === g).length / n]));

  // Group-time effects.
  const cells: Array<Param & { g: number; t: number }> = [];
  for (const g of groups) {
    const gk = periods.findIndex((p) => p >= g);
    for (let tk = 1; tk < T; tk++) {
      const t = periods[tk];
      const bk = t >= g ? gk - 1 : tk - 1;
      if (bk < 0) continue;
      const later = Math.max(t, periods[bk]);
      const inC = (gi: number) => gi === Infinity || (controlGroup === "notyet" && gi > later && gi !== g);
      let sumG = 0, nG = 0, sumC = 0, nC = 0;
      for (let i = 0; i < n; i++) {
        const dy = Yk[i * T + tk] - Yk[i * T + bk];
        if (G[i] === g) {
          sumG += dy;
          nG++;
        } else if (inC(G[i])) {
          sumC += dy;
          nC++;
        }
      }
      if (nG === 0 || nC === 0) {
        notes.push(warning("data", `ATT(${g},${t}) not estimable: no ${nG === 0 ? "treated" : "control"} units`));
        continue;
      }
      const mG = sumG / nG;
      const mC = sumC / nC;
      const inf = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const dy = Yk[i * T + tk] - Yk[i * T + bk];
        if (G[i] === g) inf[i] = (n / nG) * (dy - mG);
        else if (inC(G[i])) inf[i] = -(n / nC) * (dy - mC);
      }
      cells.push({ g, t, att: mG - mC, inf });
    }
  }

  const post = cells.filter((c) => c.t >= c.g);
  if (post.length === 0) throw new DidwasmError("BAD_DATA", "no post-treatment group-time effect could be estimated");
  const simple = weightedByGroupShare(post, G, share);
  const es = [...new Set(cells.map((c) => c.t - c.g))].sort((a, b) => a - b);
  const dynamicParams = es.map((e) => ({ e, ...weightedByGroupShare(cells.filter((c) => c.t - c.g === e), G, share) }));
  const dynamicOverall = simpleMean(dynamicParams.filter((d) => d.e >= 0));
  const groupParams = groups
    .map((g) => ({ g, items: post.filter((c) => c.g === g) }))
    .filter((x) => x.items.length > 0)
    .map(({ g, items }) => ({ g, ...simpleMean(items) }));
  const groupOverall = weightedByGroupShare(groupParams, G, share);
  const calTimes = [...new Set(post.map((c) => c.t))].sort((a, b) => a - b);
  const calendarParams = calTimes.map((t) => ({ t, ...weightedByGroupShare(post.filter((c) => c.t === t), G, share) }));
  const calendarOverall = simpleMean(calendarParams);

  // Multiplier bootstrap.
  const reps = o.bootstrap ?? 0;
  let boot: CallawaySantAnnaResult["bootstrap"] = null;
  const bootSe = new Map<Param, number>();
  const alpha = o.alpha ?? 0.05;
  if (reps > 0) {
    if (!Number.isInteger(reps) || reps > 1_000_000) throw new DidwasmError("BAD_OPTION", `bootstrap replicates must be a whole number up to 1,000,000, got ${reps}`);
    const seed = o.seed ?? 1;
    const params: Param[] = [...cells, ...dynamicParams, simple, dynamicOverall, groupOverall, calendarOverall, ...groupParams, ...calendarParams];
    const draws = params.map(() => new Float64Array(reps));
    const v = new Float64Array(n);
    for (let b = 0; b < reps; b++) {
      const rng = new Xoshiro128(seed, b);
      for (let i = 0; i < n; i++) v[i] = rng.u32() & 1 ? 1 : -1;
      params.forEach((p, k) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += v[i] * p.inf[i];
        draws[k][b] = s / n;
      });
    }
    const iqrScale = normalQuantile(0.75) - normalQuantile(0.25);
    params.forEach((p, k) => {
      const sorted = Float64Array.from(draws[k]).sort();
      bootSe.set(p, (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / iqrScale);
    });
    const critical = (ps: Param[]) => {
      const ks = ps.map((p) => params.indexOf(p));
      const maxT = new Float64Array(reps);
      for (let b = 0; b < reps; b++) {
        let m = 0;
        for (const k of ks) {
          const s = bootSe.get(params[k])!;
          if (s > 0) m = Math.max(m, Math.abs(draws[k][b]) / s);
        }
        maxT[b] = m;
      }
      return quantileSorted(maxT.sort(), 1 - alpha);
    };
    boot = { reps, seed, criticalValue: { attGt: critical(cells), dynamic: critical(dynamicParams) } };
  }
  const z = normalQuantile(1 - alpha / 2);
  const est = (p: Param, c?: number): Estimate => {
    const s = bootSe.get(p) ?? se(p.inf);
    const crit = c ?? z;
    return { att: p.att, std_error: s, conf_low: p.att - crit * s, conf_high: p.att + crit * s };
  };
  const attGt = cells.map((c) => ({ group: c.g, time: c.t, ...est(c, boot?.criticalValue.attGt) }));
  const dynamic = dynamicParams.map((d) => ({ e: d.e, ...est(d, boot?.criticalValue.dynamic) }));
  const group = groupParams.map((g) => ({ group: g.g, ...est(g) }));
  const calendar = calendarParams.map((c) => ({ time: c.t, ...est(c) }));
  const overall = { simple: est(simple), dynamic: est(dynamicOverall), group: est(groupOverall), calendar: est(calendarOverall) };
  return {
    attGt, dynamic, group, calendar, overall, units: n, controlGroup, bootstrap: boot, notes,
    toJSON() {
      return {
        control_group: controlGroup, units: n, att_gt: attGt, dynamic, group, calendar, overall,
        // The dynamic effects' covariance from their influence functions (sum psi_a psi_b / n^2, analytic
        // even with the bootstrap), for honestdid --from. Pre-periods use the varying base period.
        event_vcov: {
          ...eventVcovJson(dynamicParams.map((d) => ({ rel_time: d.e, estimate: d.att })), (a, b) => {
            const ia = dynamicParams[a].inf;
            const ib = dynamicParams[b].inf;
            let s = 0;
            for (let i = 0; i < n; i++) s += ia[i] * ib[i];
            return s / (n * n);
          }),
          base_period: "varying",
        },
        standard_errors: boot ? `multiplier bootstrap (${boot.reps} Rademacher replicates, seed ${boot.seed}); uniform ${Math.round((1 - alpha) * 100)}% bands` : "analytic (influence functions); pointwise intervals",
        bootstrap: boot ? { reps: boot.reps, seed: boot.seed, critical_value: { att_gt: boot.criticalValue.attGt, dynamic: boot.criticalValue.dynamic } } : null,
        notes,
      };
    },
  };
}

