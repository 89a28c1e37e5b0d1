// The result of a 2SLS estimation: the second stage as a Fit (its coefficients fit_endo, as fixest names
// them, its variance from the scores E^ u), with the first stages (one Fit per endogenous variable) and
// fixest's fitstat IV statistics. withVcov() recomputes the first stages' variances and the statistics
// that depend on them (ivf's df2, ivwald, ivf2's df2, ivwald2) with the new variance, as fixest does when
// feols(..., vcov = ) is given at estimation.
import { info, type Note } from "../notes.js";
import { vcovLabel } from "../model/vcov-spec.js";
import { Fit, type FitFields } from "./fit.js";
import type { FStat } from "./iv-core.js";
import { firstStageStats, secondStageStats, type FirstStageStats, type SecondStageStats, type StageNumbers, WALD_REPAIR_FLOOR } from "./iv-stats.js";

export interface IvFirstStage {
  readonly endogenous: string;
  readonly fit: Fit;
  /** Weighted SSR of the first stage, and of the endogenous variable on the exogenous regressors alone,
   *  in the fit's internal units (iv-core.ts: only their ratio is used). */
  readonly ssr: number;
  readonly ssrNoInst: number;
}

export interface IvParts {
  readonly endogenous: readonly string[];
  /** Excluded instruments kept in the first stages. */
  readonly instruments: readonly string[];
  readonly firstStages: readonly IvFirstStage[];
  /** Weighted SSR of the second-stage regression on the fitted endogenous variables (internal units). */
  readonly ssrFitted: number;
  /** Weighted SSR of the outcome on the exogenous regressors alone (internal units). */
  readonly ssrNoEndo: number;
  readonly wh: FStat | null;
}

export interface IvFitstat extends SecondStageStats {
  /** ivf and ivwald per endogenous variable, in the order of `endogenous`. */
  readonly firstStages: readonly FirstStageStats[];
  readonly wh: FStat | null;
}

const REPAIR_NOTE =
  `as fixest's Wald tests, an IV Wald statistic was computed after raising the variance's eigenvalues to ${WALD_REPAIR_FLOOR}, ` +
  `because a diagonal element was below ${WALD_REPAIR_FLOOR} (rescale variables with tiny standard errors to avoid it)`;

function fromFit(f: Fit): StageNumbers {
  return { coefNames: f.coefNames, coef: f.estimates(), vcov: Float64Array.from(f.vcov.flat()), vcovLabel: f.vcovType, nobs: f.nobs, dofK: f.dofK };
}

function fromFields(f: FitFields): StageNumbers {
  const label = f.customVcov ?? f.variance.label ?? vcovLabel(f.vcovSpec);
  return { coefNames: f.coefNames, coef: f.coef, vcov: f.variance.vcov, vcovLabel: label, nobs: f.nobs, dofK: f.variance.dofK };
}

function statistics(fields: FitFields, iv: IvParts): { stat: IvFitstat; notes: Note[] } {
  const first = firstStageStats(iv.firstStages.map((s) => ({ numbers: fromFit(s.fit), ssr: s.ssr, ssrNoInst: s.ssrNoInst })), iv.instruments);
  const fitted = iv.endogenous.map((e) => `fit_${e}`);
  const second = secondStageStats(fromFields(fields), fitted, iv.ssrFitted, iv.ssrNoEndo);
  const notes = first.repaired || second.repaired ? [info("method", REPAIR_NOTE)] : [];
  return { stat: { ...second.stats, firstStages: first.stats, wh: iv.wh }, notes };
}

export class IvFit extends Fit {
  readonly iv: IvParts;
  readonly fitstat: IvFitstat;

  constructor(fields: FitFields, iv: IvParts) {
    const s = statistics(fields, iv);
    super({ ...fields, notes: [...fields.notes.filter((n) => n.message !== REPAIR_NOTE), ...s.notes] });
    this.iv = iv;
    this.fitstat = s.stat;
    Object.freeze(this);
  }

  protected override rebuild(fields: FitFields): Fit {
    const firstStages = this.iv.firstStages.map((s) => ({ ...s, fit: s.fit.withVcov(fields.vcovSpec, fields.ssc) }));
    return new IvFit(fields, { ...this.iv, firstStages });
  }

  override toJSON(): Record<string, unknown> {
    const f = this.fitstat;
    return {
      ...super.toJSON(),
      iv: { endogenous: [...this.iv.endogenous], instruments: [...this.iv.instruments], wh: f.wh, ivf2: f.ivf2, ivwald2: f.ivwald2 },
      first_stages: this.iv.firstStages.map((s, j) => {
        const fs = s.fit.toJSON();
        return {
          endogenous: s.endogenous, nobs: fs.nobs, r2: fs.r2, r2_within: fs.r2_within, adj_r2: fs.adj_r2, vcov: fs.vcov, df_t: fs.df_t,
          coefficients: fs.coefficients, removed: fs.removed, ivf: f.firstStages[j].ivf, ivwald: f.firstStages[j].ivwald,
        };
      }),
    };
  }
}
