import { clipNegativeEigenvalues } from "../../linalg/small.js";
import { completeVcov } from "../../model/vcov-complete.js";
import type { VcovSpec } from "../../model/vcov-spec.js";
import { timesPowerOfTwo } from "../ols-scaling.js";
import { PSD_REPAIR_FLOOR, vcovCluster } from "./cluster.js";
import { vcovConley } from "./conley.js";
import { vcovDriscollKraay } from "./driscoll-kraay.js";
import { vcovHetero } from "./hetero.js";
import { vcovIid } from "./iid.js";
import { vcovNeweyWest } from "./newey-west.js";
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

function varianceOf(request: VcovSpec, inp: VcovInputs): VcovResult {
  // Variables left out of the request (twoway, NW(L) without unit and time) come from the fixed effects.
  const spec = completeVcov(request, inp.fixef.map((f) => f.name));
  switch (spec.type) {
    case "iid":
      return vcovIid(inp);
    case "hetero":
      return vcovHetero(inp);
    case "cluster": {
      const v = vcovCluster(inp, spec.vars);
      return request.type === "cluster" ? v : { ...v, label: `cluster:${spec.vars.join("+")}` };
    }
    case "nw":
      return repaired(vcovNeweyWest(inp, spec.lag, spec.vars!));
    case "dk":
      return repaired(vcovDriscollKraay(inp, spec.lag, spec.vars![0]));
    case "conley":
      return repaired(vcovConley(inp, spec, spec.vars!));
    case "fixefCluster":
      throw new Error("completeVcov leaves no fixefCluster");
  }
}

/** As fixest (vcov_fix): a variance with a negative diagonal element gets its eigenvalues below 1e-10
 *  raised to it, and a note says so. Newey-West, Driscoll-Kraay and Conley meats need not be positive. */
function repaired(v: VcovResult): VcovResult {
  const K = Math.round(Math.sqrt(v.vcov.length));
  let negative = false;
  for (let i = 0; i < K; i++) if (v.vcov[i * K + i] < 0) negative = true;
  if (!negative) return v;
  const fixed = clipNegativeEigenvalues(v.vcov, K, PSD_REPAIR_FLOOR);
  const note = `the ${v.label ?? "variance"} had a negative diagonal element: ${fixed.clipped} eigenvalue(s) below ${PSD_REPAIR_FLOOR} raised to it (as fixest)`;
  return { ...v, vcov: fixed.matrix, notes: [...v.notes, note] };
}

/** A variance of coefficients in a fit's internal units taken to the data's (see VcovInputs.coefExp). */
function vcovInDataUnits(vcov: Float64Array, coefExp: Int32Array): Float64Array {
  const K = coefExp.length;
  return vcov.map((x, i) => timesPowerOfTwo(x, coefExp[Math.floor(i / K)] + coefExp[i % K]));
}
