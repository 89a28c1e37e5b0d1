// The Goodman-Bacon decomposition with time-varying controls (Goodman-Bacon 2021, section 5; computed as
// bacondecomp does). The treatment residualized on the controls and both fixed effects, d, splits into
// a within-timing-group part d_ikt = d - d_i - (d_kt - d_k) and a between part d_kt - d_k - (d_t - d),
// (bars = means by unit i, timing group k, period t, group-period kt). Then
//   Omega = Var(within part) / Var(two-way demeaned d),  beta_within = Cov(y, within part) / Var(within part),
// and each pair of timing groups (k, l) gives a between comparison on all periods of the two groups, from
// the group-period means of the controls (g_x) and of the treatment's fitted values (g_p):
//   VD = Var(two-way demeaned D); R2 of that residual on the demeaned g_x; Vdp = Var(fit - demeaned g_p);
//   BD = coefficient of D in y ~ D + g_x | unit + time; Bb = coefficient of dp in y ~ dp | unit + time;
//   weight  s = N^2 ((1 - R2) VD + Vdp)            (then rescaled to sum to one)
//   estimate  = ((1 - R2) VD BD + Vdp Bb) / ((1 - R2) VD + Vdp).
// Variances are population variances (divided by N).
import type { Engine } from "../../engine/engine.js";
import { DidwasmError } from "../../errors.js";
import { renumber } from "../../model/groups.js";
import { demeanColumns } from "../demean-columns.js";
import type { BaconPair, BaconPanel } from "./bacon-types.js";
import { smallOls } from "./small-ols.js";

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function popVar(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / x.length;
}

function popCov(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mx) * (y[i] - my);
  return s / x.length;
}

/** Mean of v within each cell of `key`, returned per row. */
function cellMeans(v: ArrayLike<number>, key: ArrayLike<number | string>): Float64Array {
  const sums = new Map<number | string, [number, number]>();
  for (let i = 0; i < v.length; i++) {
    const s = sums.get(key[i]) ?? [0, 0];
    s[0] += v[i];
    s[1]++;
    sums.set(key[i], s);
  }
  return Float64Array.from({ length: v.length }, (_, i) => {
    const s = sums.get(key[i])!;
    return s[0] / s[1];
  });
}

export function baconControlled(engine: Engine, p: BaconPanel, controls: Float64Array[]): { omega: number; betaWithin: number; pairs: BaconPair[] } {
  const n = p.rows.length;
  const fe = [p.unit, p.period];
  const ctrl = controls.map((values, k) => ({ name: `x${k}`, values }));
  // Treatment on controls and both fixed effects: fitted values p and residuals d.
  const fwl = smallOls(engine, p.d, ctrl, fe);
  const d = fwl.resid;
  const pHat = fwl.fitted;
  const groupKey = Array.from(p.group, (g) => String(g));
  const gtKey = Array.from(p.group, (g, i) => `${g}|${p.time[i]}`);
  const dI = cellMeans(d, p.unit.ids);
  const dT = cellMeans(d, p.period.ids);
  const dBar = mean(d);
  const dKT = cellMeans(d, gtKey);
  const dK = cellMeans(d, groupKey);
  const dTwoWay = Float64Array.from(d, (v, i) => v - dI[i] - dT[i] + dBar);
  const dWithin = Float64Array.from(d, (v, i) => v - dI[i] - (dKT[i] - dK[i]));
  const omega = popVar(dWithin) / popVar(dTwoWay);
  const betaWithin = popCov(p.y, dWithin) / popVar(dWithin);

  const gX = controls.map((x) => cellMeans(x, gtKey));
  const gP = cellMeans(pHat, gtKey);
  const groups = [...new Set(p.group)].sort((a, b) => a - b);
  const raw: Array<Omit<BaconPair, "weight"> & { w: number }> = [];
  for (const k of groups) {
    if (k === Infinity) continue;
    for (const l of groups) {
      if (!(l > k)) continue;
      const idx: number[] = [];
      for (let i = 0; i < n; i++) if (p.group[i] === k || p.group[i] === l) idx.push(i);
      const sub = (v: ArrayLike<number>) => Float64Array.from(idx, (i) => v[i]);
      const feSub = fe.map((f) => ({ ...renumber(f, Int32Array.from(idx)), name: f.name }));
      const N = idx.length;
      const [Dtilde, ptilde, ...pgX] = demeanColumns(engine, [sub(p.d), sub(gP), ...gX.map(sub)], feSub).columns;
      const VD = popVar(Dtilde);
      const aux = smallOls(engine, Dtilde, pgX.map((values, j) => ({ name: `pgx${j}`, values })), []);
      const Rsq = aux.r2;
      const dp = Float64Array.from(aux.fitted, (v, i) => v - ptilde[i]);
      const Vdp = popVar(dp);
      const BD = smallOls(engine, sub(p.y), [{ name: "D", values: sub(p.d) }, ...gX.map((x, j) => ({ name: `gx${j}`, values: sub(x) }))], feSub).coef.get("D");
      const Bb = smallOls(engine, sub(p.y), [{ name: "dp", values: dp }], feSub).coef.get("dp");
      if (BD === undefined || Bb === undefined) {
        throw new DidwasmError("ALL_COLLINEAR", `the comparison of cohorts ${k} and ${l === Infinity ? "never treated" : l} cannot be estimated with these controls`);
      }
      const within = (1 - Rsq) * VD;
      const type = l === Infinity ? "Treated vs Untreated" : k === p.firstPeriod || l === p.firstPeriod ? "Later vs Always Treated" : "Both Treated";
      raw.push({ treated: k, untreated: l === Infinity ? null : l, type, estimate: (within * BD + Vdp * Bb) / (within + Vdp), w: N * N * (within + Vdp) });
    }
  }
  const total = raw.reduce((s, r) => s + r.w, 0);
  return { omega, betaWithin, pairs: raw.map(({ w, ...r }) => ({ ...r, weight: w / total })) };
}
