// Numeric columns a variance reads over the sample (Newey-West and Driscoll-Kraay time, Conley coordinates).
import { DidwasmError } from "../../errors.js";
import type { VcovInputs } from "./types.js";

export function sampleColumn(inp: VcovInputs, name: string, role: string): Float64Array {
  if (!inp.sampleNumeric) {
    throw new DidwasmError("BAD_OPTION", `this estimator cannot read the ${role} "${name}": use iid, hetero or a clustered variance here`, { column: name });
  }
  return inp.sampleNumeric(name, role);
}
