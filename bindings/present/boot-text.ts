// Readable text for `didwasm boot` results.
import type { BootResult } from "../resampling/boot.js";
import { fmtInt, fmtNumber, fmtP } from "./format.js";

const TITLES = { wild: "Wild cluster bootstrap", pairs: "Pairs cluster bootstrap", ri: "Randomization inference" } as const;

export function bootText(r: BootResult): string {
  const lines: string[] = [];
  const how =
    r.method === "wild"
      ? ` (${r.imposeNull ? "restricted, WCR" : "unrestricted, WCU"}; ${r.enumerated ? "all sign vectors enumerated" : `${r.weights} weights`})`
      : "";
  lines.push(`${TITLES[r.method]}${how}`);
  lines.push(`H0: ${r.coefficient} = ${fmtNumber(r.nullValue, 6)}`);
  lines.push(
    `Estimate: ${fmtNumber(r.estimate, 6)} (std. error ${fmtNumber(r.stdError, 6)}, t = ${fmtNumber(r.tObs, 4)}); ` +
      `${fmtInt(r.nobs)} observations${r.clusters !== null ? `, ${fmtInt(r.clusters)} clusters` : ""}`,
  );
  if (r.bootSe !== null) lines.push(`Bootstrap std. error: ${fmtNumber(r.bootSe, 6)}`);
  lines.push(`Replicates: ${fmtInt(r.reps)} (seed ${r.seed})`);
  // A bootstrap p-value of 0 means no replicate was as extreme: it is below one over the replicates.
  const p = (x: number) => (x === 0 && r.method !== "pairs" ? `< ${(1 / r.reps).toPrecision(2)}` : fmtP(x));
  const pEt = r.pEqualTailed === 0 ? `< ${(1 / r.reps).toPrecision(2)}` : fmtP(r.pEqualTailed);
  lines.push(`p-value: ${p(r.pValue)} (${r.method === "pairs" ? "t test with the bootstrap std. error" : "symmetric"}); equal-tailed ${pEt}`);
  if (r.confLow !== null && r.confHigh !== null) {
    const kind = r.method === "wild" ? "by test inversion" : "percentile";
    lines.push(`${fmtNumber(100 * (1 - r.alpha), 1)}% confidence interval (${kind}): [${fmtNumber(r.confLow, 6)}, ${fmtNumber(r.confHigh, 6)}]`);
  }
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
