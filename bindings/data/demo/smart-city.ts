// The bundled demo panel, shaped like the seed study (smart-city pilots and urban innovation resilience):
// 284 cities x 2007-2020, three pilot waves (2012, 2013, 2014; 100 pilot cities), outcome `ire` with a
// known effect that grows after adoption. Deterministic: the same seed gives the same numbers anywhere.
//
// DATA-GENERATING PROCESS (all shocks from Xoshiro128(seed), drawn in the order of this file)
//   size_i ~ N(0,1) (latent city size); province_i uniform over 31, east_i = province_i <= 11
//   pilot selection: the 100 cities with the highest 0.8 size_i + 0.5 east_i + logistic noise; waves of
//   36 (2012), 34 (2013), 30 (2014) in random order. cohort_i = first pilot year, 0 = never.
//   controls (t = year - 2007): lngdp = 9.6 + 0.6 size + 0.08 t + 0.04 e; lnfin = 8.1 + 0.5 size + 0.07 t
//   + 0.06 e; upg = 0.9 + 0.1 size + 0.02 t + 0.05 e; lnfis = 7.2 + 0.4 size + 0.05 t + 0.05 e;
//   fix = 0.75 - 0.05 size + 0.05 e; tra = 0.25 + 0.06 size + 0.006 t + 0.01 e  (e ~ N(0,1) each)
//   (tra is foreign-trade dependence, (imports + exports) / GDP: mean about 0.29, positive for any
//   plausible size draw)
//   TRUE EFFECT of the pilot on ire, e = year - cohort >= 0:  tau(e) = 0.010 + 0.003 e, times 1.5 in
//   east cities; 0 before adoption and for never-treated cities (no anticipation).
//   ire = 0.2575 + alpha_i + gamma_t + 0.010 lngdp + 0.008 lnfin + 0.020 upg + 0.004 lnfis - 0.010 fix
//         + 0.030 tra + 0.008 (broadband + bigdata + innov_city + ftz) + tau + N(0, 0.04^2)
//   alpha_i = 0.05 size_i + N(0, 0.03^2); gamma_t = 0.006 t + N(0, 0.004^2)
//   other policies: staggered 0/1 adoption dummies, adoption years drawn per city (some never);
//   mechanisms coop, spill, info_service, info_infra respond to the pilot with effects 0.05, 0.03, 0.02,
//   0.04 (times 1 + 0.1 e); moderators man_agg, fin_agg, human_capital, physical_capital are slowly varying.
//   Missing values: about 0.5% of lnfin and tra, 1% of coop, set at random.
// Elementary functions from stats/libm.js, so that the web tool generates the same panel in any browser.
import { Xoshiro128 } from "../../random/xoshiro.js";
import { log, pow10, tanh } from "../../stats/libm.js";
import type { ColumnData } from "../columns.js";

export const SMART_CITY_DEFAULT_SEED = 20240917;
export const SMART_CITY_CITIES = 284;
export const SMART_CITY_FIRST_YEAR = 2007;
export const SMART_CITY_LAST_YEAR = 2020;
export const SMART_CITY_WAVES: ReadonlyArray<readonly [year: number, cities: number]> = [
  [2012, 36],
  [2013, 34],
  [2014, 30],
];

/** The true effect of the pilot on ire, e periods after adoption (e >= 0). */
export function smartCityTrueEffect(e: number, east: boolean): number {
  return e < 0 ? 0 : (0.01 + 0.003 * e) * (east ? 1.5 : 1);
}

const round = (x: number, digits: number) => {
  const f = pow10(digits);
  return Math.round(x * f) / f;
};

export function generateSmartCity(seed = SMART_CITY_DEFAULT_SEED): ColumnData {
  const g = new Xoshiro128(seed);
  const nC = SMART_CITY_CITIES;
  const years = Array.from({ length: SMART_CITY_LAST_YEAR - SMART_CITY_FIRST_YEAR + 1 }, (_, k) => SMART_CITY_FIRST_YEAR + k);
  const T = years.length;

  const size = Array.from({ length: nC }, () => g.normal());
  const province = Array.from({ length: nC }, () => 1 + g.below(31));
  const east = province.map((p) => (p <= 11 ? 1 : 0));
  const score = size.map((z, i) => {
    const u = Math.min(Math.max(g.uniform(), 1e-12), 1 - 1e-12);
    return 0.8 * z + 0.5 * east[i] + log(u / (1 - u));
  });
  const ranked = score.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  const pilots = ranked.slice(0, SMART_CITY_WAVES.reduce((s, [, k]) => s + k, 0));
  for (let i = pilots.length - 1; i > 0; i--) {
    const j = g.below(i + 1);
    [pilots[i], pilots[j]] = [pilots[j], pilots[i]];
  }
  const cohort = new Array(nC).fill(0);
  let at = 0;
  for (const [year, k] of SMART_CITY_WAVES) for (let j = 0; j < k; j++) cohort[pilots[at++]] = year;

  const alpha = size.map((z) => 0.05 * z + 0.03 * g.normal());
  const gamma = years.map((_, t) => 0.006 * t + 0.004 * g.normal());
  const adoption = (p: number, first: number, span: number) =>
    Array.from({ length: nC }, (_, i) => (g.uniform() < p + 0.1 * tanh(size[i]) ? first + g.below(span) : 0));
  const broadbandYear = adoption(0.35, 2014, 3);
  const bigdataYear = adoption(0.12, 2016, 1);
  const innovYear = adoption(0.2, 2008, 6);
  const ftzYear = adoption(0.08, 2013, 7);
  const manBase = size.map((z) => 1 + 0.3 * z + 0.2 * g.normal());
  const finBase = size.map((z) => 0.9 + 0.25 * z + 0.2 * g.normal());
  const hcBase = size.map((z) => 2 + 0.5 * z + 0.3 * g.normal());
  const pcBase = size.map((z) => 10 + 0.8 * z + 0.4 * g.normal());
  const ipr = size.map((z) => (g.uniform() < 0.25 + 0.15 * tanh(z) ? 1 : 0));

  const cols: Record<string, Array<number | null>> = {};
  const names = [
    "city", "province", "year", "cohort", "treat", "post", "did", "ire", "lngdp", "lnfin", "upg", "lnfis", "fix", "tra",
    "man_agg", "fin_agg", "east", "ipr_city", "human_capital", "physical_capital", "broadband", "bigdata", "innov_city", "ftz",
    "coop", "spill", "info_service", "info_infra",
  ];
  for (const n of names) cols[n] = [];
  const push = (n: string, v: number | null) => cols[n].push(v);

  for (let i = 0; i < nC; i++) {
    for (let t = 0; t < T; t++) {
      const year = years[t];
      const treated = cohort[i] > 0;
      const post = treated && year >= cohort[i] ? 1 : 0;
      const e = year - cohort[i];
      const tau = treated ? smartCityTrueEffect(e, east[i] === 1) : 0;
      const lngdp = 9.6 + 0.6 * size[i] + 0.08 * t + 0.04 * g.normal();
      const lnfin = 8.1 + 0.5 * size[i] + 0.07 * t + 0.06 * g.normal();
      const upg = 0.9 + 0.1 * size[i] + 0.02 * t + 0.05 * g.normal();
      const lnfis = 7.2 + 0.4 * size[i] + 0.05 * t + 0.05 * g.normal();
      const fix = 0.75 - 0.05 * size[i] + 0.05 * g.normal();
      // A share of GDP. Its term in ire (0.03 tra, intercept 0.2575) equals the earlier 0.006 x (2.5 + 0.3
      // size + 0.03 t + 0.05 e) with intercept 0.25: ire and the estimates other than tra's keep their values
      // (up to a last-digit rounding of a few ire cells).
      const tra = 0.25 + 0.06 * size[i] + 0.006 * t + 0.01 * g.normal();
      const on = (y: number) => (y > 0 && year >= y ? 1 : 0);
      const policies = on(broadbandYear[i]) + on(bigdataYear[i]) + on(innovYear[i]) + on(ftzYear[i]);
      const ire =
        0.2575 + alpha[i] + gamma[t] + 0.01 * lngdp + 0.008 * lnfin + 0.02 * upg + 0.004 * lnfis - 0.01 * fix + 0.03 * tra +
        0.008 * policies + tau + 0.04 * g.normal();
      const mech = (base: number, effect: number, noise: number) =>
        base + 0.3 * alpha[i] + 0.5 * gamma[t] + (post ? effect * (1 + 0.1 * e) : 0) + noise * g.normal();
      const coop = mech(0.4 + 0.02 * lngdp, 0.05, 0.03);
      const spill = mech(0.3 + 0.01 * lnfin, 0.03, 0.03);
      const infoService = mech(0.05 + 0.005 * t, 0.02, 0.01);
      const infoInfra = mech(0.5 + 0.02 * t, 0.04, 0.04);

      push("city", i + 1);
      push("province", province[i]);
      push("year", year);
      push("cohort", cohort[i]);
      push("treat", treated ? 1 : 0);
      push("post", post);
      push("did", post);
      push("ire", round(ire, 6));
      push("lngdp", round(lngdp, 5));
      push("lnfin", g.uniform() < 0.005 ? null : round(lnfin, 5));
      push("upg", round(upg, 5));
      push("lnfis", round(lnfis, 5));
      push("fix", round(fix, 5));
      push("tra", g.uniform() < 0.005 ? null : round(tra, 6));
      push("man_agg", round(manBase[i] + 0.01 * t + 0.03 * g.normal(), 5));
      push("fin_agg", round(finBase[i] + 0.015 * t + 0.03 * g.normal(), 5));
      push("east", east[i]);
      push("ipr_city", ipr[i]);
      push("human_capital", round(hcBase[i] + 0.03 * t + 0.05 * g.normal(), 5));
      push("physical_capital", round(pcBase[i] + 0.05 * t + 0.05 * g.normal(), 5));
      push("broadband", on(broadbandYear[i]));
      push("bigdata", on(bigdataYear[i]));
      push("innov_city", on(innovYear[i]));
      push("ftz", on(ftzYear[i]));
      push("coop", g.uniform() < 0.01 ? null : round(coop, 6));
      push("spill", round(spill, 6));
      push("info_service", round(infoService, 6));
      push("info_infra", round(infoInfra, 6));
    }
  }
  return cols;
}
