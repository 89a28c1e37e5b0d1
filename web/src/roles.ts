// First guesses for the variable pickers from column names and contents, so a typical panel (and the
// bundled demo) is ready to run with one click. The user can change every choice.
import type { ColumnSummary, DatasetSummary } from "../../bindings/web-worker/protocol.js";
import type { Values } from "./analyses.js";

const PATTERNS = {
  unit: /^(id|unit|unit_?id|panel_?id|city|county|countyreal|state|sid|stfips|fips|firm|firm_?id|country|province|region|school|district|i|name)$/i,
  time: /^(year|yr|time|t|period|month|quarter|wave|date)$/i,
  cohort: /^(cohort|first_?treat|first\.treat|firsttreat|g|gvar|effyear|treat_?year|adopt(ion)?_?year|first_?year|group)$/i,
  treat: /^(did|treat|treated|treatment|d|post_?treat|treat_?post|policy|d_it)$/i,
  y: /^(y|outcome|dep_?var|lemp|l_homicide|ire|ln_?y|log_?y)$/i,
};

const find = (cols: readonly ColumnSummary[], re: RegExp, ok: (c: ColumnSummary) => boolean = () => true) =>
  cols.find((c) => re.test(c.name) && ok(c))?.name;

const isId = (c: ColumnSummary) => c.kind === "text" || c.integer;

/** Guessed roles for a data set: unit, time, cohort, treatment, outcome, and for the demo its controls. */
export function guessValues(d: DatasetSummary): Values {
  const cols = d.columns;
  const v: Values = {};
  const unit = find(cols, PATTERNS.unit, isId) ?? cols.find((c) => isId(c) && c.distinct > 1 && c.distinct < d.nrow)?.name;
  const time = find(cols, PATTERNS.time, (c) => c.kind === "numeric" && c.integer && c.name !== unit);
  const cohort = find(cols, PATTERNS.cohort, (c) => c.kind === "numeric" && c.integer && c.name !== unit && c.name !== time);
  const treat = find(cols, PATTERNS.treat, (c) => c.binary) ?? cols.find((c) => c.binary)?.name;
  const used = new Set([unit, time, cohort, treat]);
  const y = find(cols, PATTERNS.y, (c) => c.kind === "numeric" && !used.has(c.name)) ??
    cols.find((c) => c.kind === "numeric" && !c.binary && !c.integer && !used.has(c.name))?.name ??
    cols.find((c) => c.kind === "numeric" && !used.has(c.name))?.name;
  if (unit) v.unit = unit;
  if (time) v.time = time;
  if (cohort) v.cohort = cohort;
  if (treat) v.treat = treat;
  if (y) {
    v.y = y;
    v._outcome = y;
  }
  v._regressors = treat ? [treat] : [];
  v._fe = [unit, time].filter((x): x is string => !!x);
  const group = cols.find((c) => c.binary && c.name !== treat && !used.has(c.name));
  if (group) v.group = group.name;
  // logit's 0/1 outcome: a two-valued column other than the treatment (the treatment if there is none).
  const binaryOutcome = group?.name ?? treat;
  if (binaryOutcome) v._binaryOutcome = binaryOutcome;
  if (treat) v.coef = treat;
  if (unit) v.cluster = unit;
  v.kind = "space";
  v.seed = String(1 + Math.floor(Math.random() * 99_999));
  return v;
}

/** The bundled demo's baseline model (README: the smart-city pilots and innovation). */
export function demoValues(d: DatasetSummary): Values {
  const v = guessValues(d);
  const names = new Set(d.columns.map((c) => c.name));
  const controls = ["lngdp", "lnfin", "upg", "lnfis", "fix", "tra"].filter((c) => names.has(c));
  return {
    ...v, y: "ire", _outcome: "ire", unit: "city", time: "year", cohort: "cohort", treat: "did", _regressors: ["did", ...controls], _fe: ["city", "year"], vcov: "cluster:city",
    group: "east", coef: "did", cluster: "city", _binaryOutcome: "east", covariates: controls,
  };
}
