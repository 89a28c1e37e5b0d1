// Full enumeration of the Rademacher wild bootstrap: with G clusters there are only 2^G distinct sign
// vectors, each equally likely, so when 2^G is no more than the replicates asked for (or the user asks),
// every one of them is used once and the bootstrap distribution is exact rather than simulated (boottest
// does the same). Replicate j uses v_g = +1 when bit g of j is set, else -1 (j = 0 .. 2^G - 1), the
// kernel's weight kind 4.
import { DidwasmError } from "../errors.js";
import { enumerable, type WildWeights } from "./weights.js";

/** 2^19 = 524,288 sign vectors is the most that stays within the 1,000,000-replicate cap (2^20 is above it). */
export const MAX_ENUMERATED_CLUSTERS = 19;

export interface EnumerationPlan {
  readonly enumerate: boolean;
  /** Replicates to run: 2^G when enumerating, else the replicates asked for. */
  readonly reps: number;
  readonly note: string | null;
}

export function enumerationPlan(G: number, reps: number, weights: WildWeights, forced: boolean): EnumerationPlan {
  if (forced) {
    if (!enumerable(weights)) {
      throw new DidwasmError("BAD_OPTION", `enumeration lists the 2^G Rademacher sign vectors; it does not apply to ${weights} weights`);
    }
    if (G > MAX_ENUMERATED_CLUSTERS) {
      throw new DidwasmError(
        "BAD_OPTION",
        `enumeration with ${G} clusters would need 2^${G} = ${(2 ** G).toLocaleString("en-US")} replicates; it is available up to ${MAX_ENUMERATED_CLUSTERS} clusters`,
      );
    }
    return { enumerate: true, reps: 2 ** G, note: `all 2^${G} = ${2 ** G} Rademacher sign vectors enumerated (exact bootstrap distribution)` };
  }
  if (enumerable(weights) && G <= MAX_ENUMERATED_CLUSTERS && 2 ** G <= reps) {
    return {
      enumerate: true,
      reps: 2 ** G,
      note: `${G} clusters: all 2^${G} = ${2 ** G} Rademacher sign vectors enumerated instead of ${reps} random draws (exact bootstrap distribution)`,
    };
  }
  return { enumerate: false, reps, note: null };
}

/** The sign vector of enumerated replicate j (as the kernel builds it). */
export function signVector(j: number, G: number): Float64Array {
  const v = new Float64Array(G);
  for (let g = 0; g < G; g++) v[g] = ((j >>> g) & 1) !== 0 ? 1 : -1;
  return v;
}
