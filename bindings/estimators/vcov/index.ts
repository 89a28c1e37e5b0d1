import type { VcovSpec } from "../../model/vcov-spec.js";
import { vcovCluster } from "./cluster.js";
import { vcovHetero } from "./hetero.js";
import { vcovIid } from "./iid.js";
import type { VcovInputs, VcovResult } from "./types.js";

export type { VcovInputs, VcovResult } from "./types.js";

export function computeVcov(spec: VcovSpec, inp: VcovInputs): VcovResult {
  switch (spec.type) {
    case "iid":
      return vcovIid(inp);
    case "hetero":
      return vcovHetero(inp);
    case "cluster":
      return vcovCluster(inp, spec.vars);
  }
}
