import type { VcovSpec } from "../../model/vcov-spec.js";
import { timesPowerOfTwo } from "../ols-scaling.js";
import { vcovCluster } from "./cluster.js";
import { vcovHetero } from "./hetero.js";
import { vcovIid } from "./iid.js";
import type { VcovInputs, VcovResult } from "./types.js";

export type { VarianceUnits, VcovInputs, VcovResult } from "./types.js";

export function computeVcov(spec: VcovSpec, inp: VcovInputs): VcovResult {
  const v = varianceOf(spec, inp);
  return inp.coefExp ? { ...v, vcov: vcovInDataUnits(v.vcov, inp.coefExp), scaled: { vcov: v.vcov, coefExp: inp.coefExp } } : v;
}

/** Standard errors of the K coefficients: sqrt of the variance's diagonal, taken in the fit's internal
 *  units when it has them (the same bits wherever the variance itself is representable). */
export function standardErrorsOf(v: VcovResult, K: number): Float64Array {
  const s = v.scaled;
  return Float64Array.from({ length: K }, (_, k) =>
    s ? timesPowerOfTwo(Math.sqrt(s.vcov[k * K + k]), s.coefExp[k]) : Math.sqrt(v.vcov[k * K + k]),
  );
}

function varianceOf(spec: VcovSpec, inp: VcovInputs): VcovResult {
  switch (spec.type) {
    case "iid":
      return vcovIid(inp);
    case "hetero":
      return vcovHetero(inp);
    case "cluster":
      return vcovCluster(inp, spec.vars);
  }
}

/** A variance of coefficients in a fit's internal units taken to the data's (see VcovInputs.coefExp). */
function vcovInDataUnits(vcov: Float64Array, coefExp: Int32Array): Float64Array {
  const K = coefExp.length;
  return vcov.map((x, i) => timesPowerOfTwo(x, coefExp[Math.floor(i / K)] + coefExp[i % K]));
}
