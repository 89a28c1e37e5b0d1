// The analysis spec: a study described the way a paper is organised. JSON or YAML; validated here with
// errors that give the path of the offending entry (e.g. sections[3].analyses[1].type).
//
// {
//   "title": "...", "data": "data/smart-city.csv", "seed": 20261128,
//   "roles": { "unit": "city", "time": "year", "cohort": "cohort", "treatment": "did", "outcome": "ire",
//              "controls": ["lngdp", ...], "cluster": "city" },
//   "labels": { "did": "Smart-city pilot", ... },            // variable labels for tables (optional)
//   "sections": [ { "title": "Baseline", "note": "...", "analyses": [ { "type": "regression", ... } ] } ]
// }
// Analysis types and their keys (all optional unless marked; roles fill the rest):
//   describe     vars, by
//   regression   formula | (outcome(s), controls: bool|list, fixef: bool|list, extra: list, interact, trends,
//                subset, weights), vcov, label   -- one column of the section's regression table
//   eventstudy   window [lo, hi], bin, ref
//   placebo      kind (mixed), variant, reps, shifts
//   bacon        controls: bool
//   did2s        event: bool
//   sunab, csdid (controlGroup, bootstrap)
//   psm          covariates, pre [lo, hi], method, caliper
//   subgroups    by (two-valued column), reps, method: regression in each group + bdiff p-value
import { DidwasmError, nearestName } from "../errors.js";

export const ANALYSIS_TYPES = ["describe", "regression", "eventstudy", "placebo", "bacon", "did2s", "sunab", "csdid", "psm", "subgroups"] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

export interface Roles {
  readonly unit: string;
  readonly time: string;
  readonly cohort?: string;
  readonly treatment: string;
  readonly outcome: string;
  readonly controls?: readonly string[];
  readonly cluster?: string;
}

/** An analysis as written; `invalid` holds why it cannot run (unknown type or key): the report shows that
 *  in its section instead of refusing the whole spec. */
export type Analysis = { readonly type: AnalysisType; readonly label?: string; readonly invalid?: string } & Readonly<Record<string, unknown>>;

export interface Section {
  readonly title: string;
  readonly note?: string;
  readonly analyses: readonly Analysis[];
}

export interface ReportSpec {
  readonly title: string;
  readonly data: string;
  readonly seed: number;
  readonly roles: Roles;
  readonly labels: Readonly<Record<string, string>>;
  readonly fixefLabels?: readonly [string, string];
  readonly sections: readonly Section[];
}

const ANALYSIS_KEYS: Record<AnalysisType, readonly string[]> = {
  describe: ["vars", "by", "percentiles"],
  regression: ["formula", "outcome", "outcomes", "controls", "fixef", "extra", "interact", "trends", "subset", "weights", "vcov"],
  eventstudy: ["window", "bin", "ref", "controls", "vcov"],
  placebo: ["kind", "variant", "reps", "shifts", "controls", "vcov", "tStats"],
  bacon: ["controls"],
  did2s: ["event", "controls", "ref", "window", "bin"],
  sunab: ["controls", "ref", "vcov"],
  csdid: ["controlGroup", "bootstrap"],
  psm: ["covariates", "pre", "method", "neighbors", "caliper", "replace", "controls", "vcov"],
  subgroups: ["by", "reps", "method", "controls", "clusterLevel", "vcov"],
};

function fail(path: string, message: string): never {
  throw new DidwasmError("BAD_OPTION", `spec ${path}: ${message}`, { path });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function text(v: unknown, path: string, required = true): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || v.trim() === "") fail(path, required ? "a non-empty text is required" : "must be text");
  return v;
}

function names(v: unknown, path: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string" && x !== "")) fail(path, "must be a list of column names");
  return v as string[];
}

/** Validates a parsed spec object. */
export function validateSpec(raw: unknown): ReportSpec {
  if (!isObject(raw)) fail("(top level)", "must be an object with title, data, roles and sections");
  const known = ["title", "data", "seed", "roles", "labels", "fixefLabels", "sections", "$schema"];
  for (const k of Object.keys(raw)) if (!known.includes(k)) fail(k, `unknown key (known: ${known.filter((x) => x !== "$schema").join(", ")})`);
  const title = text(raw.title, "title")!;
  const data = text(raw.data, "data")!;
  const seed = raw.seed ?? 1;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail("seed", "must be an integer in [0, 4294967295]");
  if (!isObject(raw.roles)) fail("roles", "must be an object naming unit, time, treatment and outcome columns");
  const r = raw.roles;
  for (const k of Object.keys(r)) {
    if (!["unit", "time", "cohort", "treatment", "outcome", "controls", "cluster"].includes(k)) fail(`roles.${k}`, "unknown role (roles: unit, time, cohort, treatment, outcome, controls, cluster)");
  }
  const roles: Roles = {
    unit: text(r.unit, "roles.unit")!, time: text(r.time, "roles.time")!, cohort: text(r.cohort, "roles.cohort", false),
    treatment: text(r.treatment, "roles.treatment")!, outcome: text(r.outcome, "roles.outcome")!,
    controls: names(r.controls, "roles.controls"), cluster: text(r.cluster, "roles.cluster", false),
  };
  const labels: Record<string, string> = {};
  if (raw.labels !== undefined) {
    if (!isObject(raw.labels)) fail("labels", "must map column names to labels");
    for (const [k, v] of Object.entries(raw.labels)) labels[k] = text(v, `labels.${k}`)!;
  }
  let fixefLabels: [string, string] | undefined;
  if (raw.fixefLabels !== undefined) {
    const f = raw.fixefLabels;
    if (!Array.isArray(f) || f.length !== 2 || !f.every((x) => typeof x === "string")) fail("fixefLabels", 'must be two texts, e.g. ["Yes", "No"]');
    fixefLabels = [f[0], f[1]];
  }
  if (!Array.isArray(raw.sections) || raw.sections.length === 0) fail("sections", "must be a non-empty list");
  const sections = raw.sections.map((s, i): Section => {
    const p = `sections[${i}]`;
    if (!isObject(s)) fail(p, "must be an object with title and analyses");
    for (const k of Object.keys(s)) if (!["title", "note", "analyses"].includes(k)) fail(`${p}.${k}`, "unknown key (known: title, note, analyses)");
    if (!Array.isArray(s.analyses) || s.analyses.length === 0) fail(`${p}.analyses`, "must be a non-empty list");
    const analyses = s.analyses.map((a, j): Analysis => {
      const q = `${p}.analyses[${j}]`;
      try {
        if (!isObject(a)) fail(q, "must be an object with a type");
        const type = a.type;
        if (typeof type !== "string" || !(ANALYSIS_TYPES as readonly string[]).includes(type)) {
          const near = typeof type === "string" ? nearestName(type, ANALYSIS_TYPES) : null;
          fail(`${q}.type`, `unknown analysis ${JSON.stringify(type)}${near ? ` (did you mean "${near}"?)` : ""}; analyses: ${ANALYSIS_TYPES.join(", ")}`);
        }
        const allowed = [...ANALYSIS_KEYS[type as AnalysisType], "type", "label"];
        for (const k of Object.keys(a)) {
          if (!allowed.includes(k)) {
            const near = nearestName(k, allowed);
            fail(`${q}.${k}`, `unknown key for a ${type} analysis${near ? ` (did you mean "${near}"?)` : ""}; keys: ${allowed.join(", ")}`);
          }
        }
        return a as Analysis;
      } catch (e) {
        const label = isObject(a) && typeof a.label === "string" ? a.label : undefined;
        return { type: "regression", label: label ?? (isObject(a) ? String(a.type) : "analysis"), invalid: (e as Error).message };
      }
    });
    return { title: text(s.title, `${p}.title`)!, note: text(s.note, `${p}.note`, false), analyses };
  });
  return { title, data, seed, roles, labels, fixefLabels, sections };
}
