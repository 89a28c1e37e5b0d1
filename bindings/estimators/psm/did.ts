// The DID re-estimated on the matched units' panel: every period of each matched treated unit and each
// matched control, weighted by the unit weights of weights.ts (analytic weights in feols), with the
// fixest-style formula the user gives. Default formula: `Y ~ treat_post | UNIT + TIME`, clustered by unit
// (feols's default for a model with fixed effects), with `--controls` added to the regressors. `treat_post` (1 from the unit's cohort on, 0 before and
// for never-treated units) is added to the data when the data has no column of that name, so formulas
// may use it.
import type { Frame } from "../../data/frame.js";
import { info, type Note } from "../../notes.js";
import type { Engine } from "../../engine/engine.js";
import type { BackendName } from "../../engine/backend.js";
import { DidwasmError } from "../../errors.js";
import { feols } from "../feols.js";
import type { Fit } from "../fit.js";
import type { UnitTable } from "./pre-period.js";

export const TREAT_POST = "treat_post";

export interface MatchedDidSpec {
  readonly unit: string;
  readonly time: string;
  readonly y?: string | null;
  /** Time-varying controls of the default formula: y ~ treat_post + c1 + c2 | unit + time. */
  readonly controls?: readonly string[] | null;
  readonly formula?: string | null;
  readonly vcov?: string | null;
  readonly tol?: number;
  readonly maxIter?: number;
  readonly backend?: BackendName;
  readonly engine?: Engine;
}

function freshName(frame: Frame, base: string): string {
  let name = base;
  while (frame.has(name)) name = `_${name}`;
  return name;
}

/** The formula of the DID: the user's, or the default on the outcome `y`; null when neither is given. */
export function didFormula(spec: MatchedDidSpec): string | null {
  if (spec.formula) return spec.formula;
  if (spec.y) return `${spec.y} ~ ${[TREAT_POST, ...(spec.controls ?? [])].join(" + ")} | ${spec.unit} + ${spec.time}`;
  return null;
}

export function matchedDid(frame: Frame, table: UnitTable, unitWeight: Float64Array, spec: MatchedDidSpec): { fit: Fit; formula: string; notes: Note[] } {
  const formula = didFormula(spec);
  if (!formula) throw new DidwasmError("BAD_OPTION", "the DID on the matched panel needs --y Y or --formula F");
  const notes: Note[] = [];
  let f = frame;
  const t = frame.numeric(spec.time, "time variable");
  if (!frame.has(TREAT_POST)) {
    const d = new Float64Array(frame.nrow);
    for (let r = 0; r < frame.nrow; r++) {
      const u = table.rowUnit[r];
      d[r] = u < 0 || Number.isNaN(t[r]) ? NaN : table.treated[u] && t[r] >= table.cohort[u] ? 1 : 0;
    }
    f = f.withColumn({ kind: "numeric", name: TREAT_POST, values: d });
  } else if (/\btreat_post\b/.test(formula)) {
    notes.push(info("data", `"${TREAT_POST}" is the data's own column, not the one psm derives from the cohort`));
  }
  const wName = freshName(f, "psm_weight");
  const w = new Float64Array(frame.nrow);
  const keep = new Uint8Array(frame.nrow);
  for (let r = 0; r < frame.nrow; r++) {
    const u = table.rowUnit[r];
    if (u >= 0 && unitWeight[u] > 0) {
      w[r] = unitWeight[u];
      keep[r] = 1;
    }
  }
  f = f.withColumn({ kind: "numeric", name: wName, values: w });
  const fit = feols(f, formula, {
    weights: wName, rowFilter: keep, vcov: spec.vcov ?? undefined, tol: spec.tol, maxIter: spec.maxIter, backend: spec.backend, engine: spec.engine,
  });
  return { fit, formula, notes };
}
