// The bundled listed-firm panel of the demo study: about 2,000 firms located in the 284 cities of the
// smart-city panel (smart-city.ts), 2007-2020, for the seed paper's firm-level check (Table 6's last
// column: a firm's innovation subsidy on its city's pilot dummy, firm and year fixed effects).
// Deterministic: the same seeds give the same numbers anywhere (elementary functions from stats/libm.js).
//
// DATA-GENERATING PROCESS (all shocks from Xoshiro128(seed), drawn in the order of this file)
//   cities: the smart-city panel of `citySeed` gives each city its province, east, pilot cohort and its
//   2007 lngdp; did_ct = 1 when city c is a pilot and t >= its cohort (the city panel's `did`).
//   location: firms 1..284 get one city each (every city has a listed firm); the other firms draw a city
//   with probability proportional to exp(1.5 (lngdp_c,2007 - 9.6)), so big cities hold most firms.
//   listing: 70% of firms are listed before 2007 (observed every year); the others list in 2008-2016,
//   uniformly, and are observed from that year (an unbalanced panel, as listed-firm panels are).
//   z_f ~ N(0,1) (latent firm scale); firm_size = 21.5 + z_f + 0.06 t + 0.1 e (ln total assets, t = year - 2007)
//   alpha_f = 0.6 z_f + N(0, 0.5^2) (firm effect); gamma_t = 0.08 t + N(0, 0.05^2) (year effect)
//   subsidy = ln(1 + innovation subsidy in 10,000 yuan)
//           = 3 + alpha_f + gamma_t + 0.25 firm_size + SMART_CITY_FIRM_EFFECT did_ct + N(0, 0.3^2)
//   TRUE EFFECT of the city's pilot on a firm's subsidy: SMART_CITY_FIRM_EFFECT = 0.15 (log points), the
//   same for every firm and year, none before adoption. Pilot cities are bigger (smart-city.ts), and big
//   cities have more and bigger firms: firm fixed effects absorb that selection.
import { exp, pow10 } from "../../stats/libm.js";
import { Xoshiro128 } from "../../random/xoshiro.js";
import type { ColumnData } from "../columns.js";
import { SMART_CITY_CITIES, SMART_CITY_DEFAULT_SEED, SMART_CITY_FIRST_YEAR, SMART_CITY_LAST_YEAR, generateSmartCity } from "./smart-city.js";

export const SMART_CITY_FIRMS_DEFAULT_SEED = 20250306;
export const SMART_CITY_FIRMS = 2000;
/** The true effect of the city's pilot on ln(1 + innovation subsidy). */
export const SMART_CITY_FIRM_EFFECT = 0.15;
/** Share of firms listed before the panel starts; the rest list during LISTING_YEARS. */
const LISTED_BEFORE_SHARE = 0.7;
const LISTING_YEARS: readonly [first: number, last: number] = [2008, 2016];

const round = (x: number, digits: number) => {
  const f = pow10(digits);
  return Math.round(x * f) / f;
};

/** Per city (index = city id - 1): what the firm panel takes from the city panel. */
interface CityFacts {
  readonly province: number[];
  readonly east: number[];
  readonly cohort: number[];
  readonly lngdp2007: number[];
}

function cityFacts(citySeed: number): CityFacts {
  const p = generateSmartCity(citySeed);
  const out: CityFacts = { province: [], east: [], cohort: [], lngdp2007: [] };
  for (let r = 0; r < p.year.length; r++) {
    if (p.year[r] !== SMART_CITY_FIRST_YEAR) continue;
    const c = (p.city[r] as number) - 1;
    out.province[c] = p.province[r] as number;
    out.east[c] = p.east[r] as number;
    out.cohort[c] = p.cohort[r] as number;
    out.lngdp2007[c] = p.lngdp[r] as number;
  }
  return out;
}

export function generateSmartCityFirms(seed = SMART_CITY_FIRMS_DEFAULT_SEED, citySeed = SMART_CITY_DEFAULT_SEED): ColumnData {
  const city = cityFacts(citySeed);
  const g = new Xoshiro128(seed);
  const nF = SMART_CITY_FIRMS;
  const nC = SMART_CITY_CITIES;

  const weight = city.lngdp2007.map((x) => exp(1.5 * (x - 9.6)));
  const cumulative: number[] = [];
  weight.reduce((s, w, c) => (cumulative[c] = s + w), 0);
  const total = cumulative[nC - 1];
  const drawCity = () => {
    const u = g.uniform() * total;
    let c = 0;
    while (c < nC - 1 && cumulative[c] <= u) c++;
    return c;
  };
  const location = Array.from({ length: nF }, (_, f) => (f < nC ? f : drawCity()));
  const [firstListing, lastListing] = LISTING_YEARS;
  const listed = Array.from({ length: nF }, () =>
    g.uniform() < LISTED_BEFORE_SHARE ? SMART_CITY_FIRST_YEAR : firstListing + g.below(lastListing - firstListing + 1),
  );
  const z = Array.from({ length: nF }, () => g.normal());
  const alpha = z.map((zf) => 0.6 * zf + 0.5 * g.normal());
  const gamma = Array.from({ length: SMART_CITY_LAST_YEAR - SMART_CITY_FIRST_YEAR + 1 }, (_, t) => 0.08 * t + 0.05 * g.normal());

  const names = ["firm", "city", "province", "east", "year", "listed", "did", "firm_size", "subsidy"];
  const cols: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let f = 0; f < nF; f++) {
    const c = location[f];
    for (let year = listed[f]; year <= SMART_CITY_LAST_YEAR; year++) {
      const t = year - SMART_CITY_FIRST_YEAR;
      const did = city.cohort[c] > 0 && year >= city.cohort[c] ? 1 : 0;
      const size = 21.5 + z[f] + 0.06 * t + 0.1 * g.normal();
      const subsidy = 3 + alpha[f] + gamma[t] + 0.25 * size + SMART_CITY_FIRM_EFFECT * did + 0.3 * g.normal();
      const row: Record<string, number> = {
        firm: f + 1, city: c + 1, province: city.province[c], east: city.east[c], year, listed: listed[f], did,
        firm_size: round(size, 4), subsidy: round(subsidy, 5),
      };
      for (const n of names) cols[n].push(row[n]);
    }
  }
  return cols;
}
