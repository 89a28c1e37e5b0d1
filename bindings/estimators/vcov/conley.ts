// Conley's spatial variance (Conley 1999), as fixest 0.12.2's vcov_conley computes it (its R and C++ code,
// read for the rule): a uniform kernel, every pair of observations closer than the cutoff counts fully,
//   meat = sum_{i, j: d_ij <= cutoff} s_i s_j'   (each observation with itself included),
// then bread meat bread times (n - 1) / (n - K) with ssc adj (no cluster adjustment; fixed effects nested in
// the latitude or the longitude left out of K under "nested"); t tests use n - K degrees of freedom.
// fixest's details, kept so the numbers agree:
//   - latitudes may be given in [-90, 90], [0, 180] or [-180, 0], longitudes in [-180, 180], [0, 360] or
//     [-360, 0]; the second and third ranges are shifted (by 90 or 180 degrees) before use;
//   - scores are first summed over identical coordinates; locations are sorted by latitude;
//   - distance "triangular" (fixest's default): the flat approximation
//     d^2 = dlat^2 + (cos(mean latitude) dlon)^2 in radians, against (cutoff / 111 km) degrees;
//     "spherical": the great-circle (haversine) distance on a sphere of radius 6376 km;
//   - pairs are first screened by latitude (cutoff / 111 degrees) and longitude (that over the cosine of
//     the mean latitude), with fixest's constants (pi taken as 3.14159 there, 111 km per degree).
import { DidwasmError } from "../../errors.js";
import { sandwich } from "../../linalg/small.js";
import type { Groups } from "../../model/groups.js";
import { cos, sin } from "../../stats/libm.js";
import { countedParameters, tDegrees } from "./dof.js";
import { addOuter, plusTranspose, scoresOf } from "./scores.js";
import { sampleColumn } from "./columns.js";
import type { VcovInputs, VcovResult } from "./types.js";

/** fixest's constants (vcov_related.cpp): its degrees-to-radians uses pi = 3.14159, a degree of latitude is
 *  111 km, and the earth's diameter is 12752 km. */
const PI_FIXEST = 3.14159;
const KM_PER_DEGREE = 111;
const EARTH_DIAMETER_KM = 12752;

export interface ConleyRequest {
  readonly cutoffKm: number;
  readonly cutoffText: string;
  readonly distance: "triangular" | "spherical";
}

export function vcovConley(inp: VcovInputs, req: ConleyRequest, vars: readonly string[]): VcovResult {
  const { n, K } = inp;
  const lat = shifted(sampleColumn(inp, vars[0], "latitude"), vars[0], "latitude", 90);
  const lon = shifted(sampleColumn(inp, vars[1], "longitude"), vars[1], "longitude", 180);
  const locations = locationsOf(lat, lon);
  const S = scoresOf(inp);
  const L = locations.count;
  const sums = new Float64Array(L * K);
  const locationIds = locations.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < n; i++) {
    const g = locationIds[i];
    for (let k = 0; k < K; k++) sums[g * K + k] += S[i * K + k];
  }
  const near = neighbourSums(sums, K, locations.lat, locations.lon, req);
  const M = new Float64Array(K * K);
  for (let g = 0; g < L; g++) addOuter(M, K, 1, sums, g, near, g);
  const meat = plusTranspose(M, K);

  const dofK = countedParameters(inp, [valueGroups(lat), valueGroups(lon)]);
  const factor = inp.ssc.adj ? (n - 1) / (n - dofK) : 1;
  const vcov = sandwich(inp.bread, meat, K).map((x) => x * factor);
  const label = `conley(${req.cutoffText}${req.distance === "spherical" ? ", spherical" : ""}):${vars.join("+")}`;
  return { vcov, dfT: tDegrees(inp, dofK, null), dofK, clusters: [], notes: [], label };
}

/** The coordinates in degrees, checked against fixest's accepted ranges and shifted into the usual one
 *  (`half`: 90 for latitudes, 180 for longitudes). */
function shifted(values: Float64Array, name: string, what: string, half: number): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo < -2 * half || hi > 2 * half || hi - lo > 2 * half) {
    throw new DidwasmError(
      "BAD_DATA",
      `${what} "${name}" must lie in [-${half}, ${half}], [0, ${2 * half}] or [-${2 * half}, 0] degrees; the sample's values span [${lo}, ${hi}]`,
      { column: name },
    );
  }
  const shift = hi > half ? -half : lo < -half ? half : 0;
  return shift === 0 ? values : values.map((v) => v + shift);
}

/** Distinct (latitude, longitude) pairs sorted by latitude then longitude, in radians, and each row's. */
function locationsOf(lat: Float64Array, lon: Float64Array): { count: number; ids: Int32Array; lat: Float64Array; lon: Float64Array } {
  const n = lat.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => lat[a] - lat[b] || lon[a] - lon[b]);
  const ids = new Int32Array(n);
  const latRad: number[] = [];
  const lonRad: number[] = [];
  order.forEach((i, p) => {
    const j = p > 0 ? order[p - 1] : -1;
    if (j < 0 || lat[i] !== lat[j] || lon[i] !== lon[j]) {
      latRad.push((lat[i] / 180) * Math.PI);
      lonRad.push((lon[i] / 180) * Math.PI);
    }
    ids[i] = latRad.length - 1;
  });
  return { count: latRad.length, ids, lat: Float64Array.from(latRad), lon: Float64Array.from(lonRad) };
}

/** For each location g: half its own score sum plus the score sums of the later locations (in latitude
 *  order) within the cutoff. Summed against the location's own scores and added to its transpose, this
 *  counts every pair within the cutoff once in each direction and each location with itself once. */
function neighbourSums(sums: Float64Array, K: number, lat: Float64Array, lon: Float64Array, req: ConleyRequest): Float64Array {
  const L = lat.length;
  const near = sums.map((x) => 0.5 * x);
  const cosLat = lat.map((x) => cos(x));
  const cutoff = req.cutoffKm;
  const latCutoff = ((cutoff / KM_PER_DEGREE) * PI_FIXEST) / 180;
  const radSq = ((cutoff * PI_FIXEST) / 180 / KM_PER_DEGREE) ** 2;
  // Great circle: 12752 asin(min(1, sqrt(a))) <= cutoff, i.e. min(1, sqrt(a)) <= sin(cutoff / 12752) while
  // that angle is below pi/2 (asin is increasing), and always beyond.
  const angle = cutoff / EARTH_DIAMETER_KM;
  const sinMax = angle >= Math.PI / 2 ? Infinity : sin(angle);
  for (let i = 0; i < L; i++) {
    for (let j = i + 1; j < L; j++) {
      const dLat = Math.abs(lat[j] - lat[i]);
      if (dLat > latCutoff) break;
      const raw = Math.abs(lon[j] - lon[i]);
      const dLon = raw < PI_FIXEST ? raw : 2 * PI_FIXEST - raw;
      const cosMean = cos((lat[i] + lat[j]) / 2);
      if (dLon > latCutoff / cosMean) continue;
      let ok: boolean;
      if (req.distance === "spherical") {
        const a = sin(dLat / 2) ** 2 + cosLat[i] * cosLat[j] * sin((lon[j] - lon[i]) / 2) ** 2;
        ok = Math.min(1, Math.sqrt(a)) <= sinMax;
      } else {
        ok = dLat * dLat + (cosMean * dLon) ** 2 <= radSq;
      }
      if (ok) addRow(near, sums, i, j, K);
    }
  }
  return near;
}

function addRow(out: Float64Array, src: Float64Array, i: number, j: number, K: number): void {
  for (let k = 0; k < K; k++) out[i * K + k] += src[j * K + k];
}

/** Groups of equal values (for nesting: a fixed effect whose groups each have one latitude is nested in it). */
function valueGroups(values: Float64Array): Groups {
  const map = new Map<number, number>();
  const ids = Int32Array.from(values, (v) => {
    let g = map.get(v);
    if (g === undefined) map.set(v, (g = map.size));
    return g;
  });
  return { ids, G: map.size };
}
