// The event study of a regression with an i() term (fixest's i(time, treated, ref = r)): its coefficients
// named VAR::LEVEL (or VAR::LEVEL:X), ordered by level, and their block of the fit's covariance. The
// levels below the reference period are the pre-periods; the reference is read from the formula's
// `ref = r` (or given as num-pre).
import { DidwasmError } from "../../errors.js";
import type { Fit } from "../fit.js";

export interface FitEventStudy {
  readonly betahat: number[];
  readonly sigma: number[][];
  readonly eventTimes: number[];
  /** Pre-periods implied by the formula's reference (null: no numeric ref given). */
  readonly numPre: number | null;
  /** The formula's numeric ref = r (null: none given). */
  readonly reference: number | null;
  readonly terms: string[];
}

const TERM = /^(.+?)::(-?\d+(?:\.\d+)?)(:.+)?$/;
// ref = r, or ref = c(r, r2, ...): the first is the event study's reference (the others, e.g. a level given
// to never-treated units, have no coefficient either).
const REF = /\bi\s*\([^()]*?\bref\s*=\s*(?:c\(\s*)?(-?\d+(?:\.\d+)?)/;

export function fitEventStudy(fit: Fit, formula: string): FitEventStudy {
  const found = fit.coefNames
    .map((term, index) => ({ term, index, m: TERM.exec(term) }))
    .filter((t) => t.m !== null)
    .map((t) => ({ term: t.term, index: t.index, group: `${t.m![1]}|${t.m![3] ?? ""}`, level: Number(t.m![2]) }));
  if (found.length === 0) {
    throw new DidwasmError("BAD_OPTION", `the formula has no i() term with numeric levels (its coefficients: ${fit.coefNames.join(", ")}): write the event study as i(year, treated, ref = 2013)`, { option: "formula" });
  }
  const groups = [...new Set(found.map((f) => f.group))];
  if (groups.length > 1) {
    throw new DidwasmError("BAD_OPTION", `the formula has ${groups.length} i() terms (${groups.map((g) => g.replace("|", " ")).join("; ")}): keep one event-study term`, { option: "formula" });
  }
  found.sort((a, b) => a.level - b.level);
  const V = fit.vcov;
  const b = fit.estimates();
  const ref = REF.exec(formula);
  return {
    betahat: found.map((f) => b[f.index]),
    sigma: found.map((f) => found.map((g) => V[f.index][g.index])),
    eventTimes: found.map((f) => f.level),
    numPre: ref ? found.filter((f) => f.level < Number(ref[1])).length : null,
    reference: ref ? Number(ref[1]) : null,
    terms: found.map((f) => f.term),
  };
}
