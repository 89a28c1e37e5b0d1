// Time-varying covariates in synthetic DID the "projected" way (Kranz 2022; Stata sdid's
// covariates(, projected)): beta from a regression of y on the covariates with unit and period fixed effects
// on the untreated observations, then synthetic DID on y - X beta. (synthdid's own joint optimisation of
// beta with the weights is not offered.)
import type { Frame } from "../../data/frame.js";
import { warning, type Note } from "../../notes.js";
import { feols } from "../feols.js";

export interface CovariateSpec {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly treat: string;
  readonly controls: readonly string[];
  readonly subset: string | null;
}

export function adjustedOutcome(frame: Frame, s: CovariateSpec): { outcome: Float64Array; coefficients: Record<string, number>; notes: Note[] } {
  const d = frame.numeric(s.treat, "treatment variable");
  // plain loops, not TypedArray.from with a map (which walks an iterator: slow on a million rows)
  const untreated = new Uint8Array(d.length);
  for (let r = 0; r < d.length; r++) untreated[r] = d[r] === 0 ? 1 : 0;
  const fit = feols(frame, `${s.y} ~ ${s.controls.join(" + ")} | ${s.unit} + ${s.time}`, { subset: s.subset, rowFilter: untreated, vcov: "iid" });
  const y = frame.numeric(s.y, "outcome");
  const outcome = new Float64Array(y);
  const coefficients: Record<string, number> = {};
  const notes: Note[] = [];
  for (const c of s.controls) {
    if (!fit.coefNames.includes(c)) {
      notes.push(warning("collinear_removed", `covariate ${c} is collinear with the unit and period effects on the untreated observations and was left out`));
      continue;
    }
    const b = fit.coef(c);
    coefficients[c] = b;
    const x = frame.numeric(c, "covariate");
    for (let r = 0; r < frame.nrow; r++) outcome[r] -= b * x[r];
  }
  return { outcome, coefficients, notes };
}
