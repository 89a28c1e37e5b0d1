// Time-varying covariates in synthetic DID the "projected" way (Kranz 2022; Stata sdid's
// covariates(, projected)): beta from a regression of y on the covariates with unit and period fixed effects
// on the untreated observations, then synthetic DID on y - X beta. (synthdid's own joint optimisation of
// beta with the weights is not offered.)
import type { Frame } from "../../data/frame.js";
import { warning, type Note } from "../../notes.js";
import { feols } from "../feols.js";
import type { ThreadsOption } from "../thread-choice.js";
import type { OutcomeAdjustment } from "./synthdid-panel.js";

export interface CovariateSpec {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly treat: string;
  readonly controls: readonly string[];
  readonly subset: string | null;
  /** Threads of the regression's demeaning (thread-choice.ts). */
  readonly threads?: ThreadsOption;
}

/** The covariates kept by the regression, with their coefficients: the adjustment widePanel applies as it
 *  fills the outcome matrix; and notes (covariates left out, the regression's threads). */
export function covariateAdjustment(frame: Frame, s: CovariateSpec): { adjustment: OutcomeAdjustment; notes: Note[] } {
  const d = frame.numeric(s.treat, "treatment variable");
  // plain loops, not TypedArray.from with a map (which walks an iterator: slow on a million rows)
  const untreated = new Uint8Array(d.length);
  for (let r = 0; r < d.length; r++) untreated[r] = d[r] === 0 ? 1 : 0;
  const fit = feols(frame, `${s.y} ~ ${s.controls.join(" + ")} | ${s.unit} + ${s.time}`, { subset: s.subset, rowFilter: untreated, vcov: "iid", threads: s.threads });
  const adjustment = { names: [] as string[], columns: [] as Float64Array[], coefficients: [] as number[] };
  // the fit's own notes on its threads (a count above the cores, or one thread and why)
  const notes: Note[] = fit.notes.filter((n) => n.kind === "threads");
  for (const c of s.controls) {
    if (!fit.coefNames.includes(c)) {
      notes.push(warning("collinear_removed", `covariate ${c} is collinear with the unit and period effects on the untreated observations and was left out`));
      continue;
    }
    adjustment.names.push(c);
    adjustment.columns.push(frame.numeric(c, "covariate"));
    adjustment.coefficients.push(fit.coef(c));
  }
  return { adjustment, notes };
}
