// Readable text of a sensitivity analysis: the event study it used, the original interval, one row per
// bound with its robust confidence set, and the breakdown value.
import type { SensitivityResult } from "../estimators/honestdid/sensitivity.js";
import { alignRows, fmtNumber } from "./format.js";

export interface HonestTextInput {
  readonly result: SensitivityResult;
  readonly numPre: number;
  readonly numPost: number;
  readonly l: readonly number[];
  readonly eventTimes: readonly number[] | null;
}

/** A bound as the user wrote it (0.5, not 0.5000), computed ones to 4 significant digits. */
const fmtBound = (m: number) => String(Number(m.toPrecision(4)));

export function honestDidText({ result: r, numPre, numPost, l, eventTimes }: HonestTextInput): string {
  const delta = r.robust[0]?.delta ?? "RM";
  const bound = delta === "RM" ? "Mbar" : "M";
  const level = `${Math.round((1 - r.alpha) * 1000) / 10}%`;
  const lines = [
    `Sensitivity analysis (Rambachan-Roth), ${delta === "RM" ? "relative magnitudes (Delta^RM)" : "smoothness (Delta^SD)"}, ${r.method}, ${level} confidence sets`,
    `Event study: ${numPre} pre-period and ${numPost} post-period coefficients${eventTimes ? ` (event times ${eventTimes.join(", ")})` : ""}`,
    `Target: l'tau_post with l = (${l.map((v) => fmtNumber(v, 4)).join(", ")})`,
    `Original (parallel trends): ${fmtNumber(r.original.estimate, 5)}, ${level} CI [${fmtNumber(r.original.lb, 5)}, ${fmtNumber(r.original.ub, 5)}]`,
    "",
    ...alignRows([[bound, "lb", "ub", "method"], ...r.robust.map((x) => [fmtBound(x.m), x.lb === null ? "(empty)" : fmtNumber(x.lb, 5), x.ub === null ? "" : fmtNumber(x.ub, 5), x.method])]),
    "",
    r.breakdown.m === null
      ? `Breakdown: no ${bound} given gives a set containing 0`
      : `Breakdown: the set first contains 0 at ${bound} = ${fmtBound(r.breakdown.m)}` + (r.breakdown.significant_up_to !== null ? ` (significant up to ${bound} = ${fmtBound(r.breakdown.significant_up_to)})` : ""),
  ];
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
