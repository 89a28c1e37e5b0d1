// The analysis spec: a study described the way a paper is organised. JSON or YAML; validated here, whole,
// before anything runs: every problem is listed with its path (0-based, as in JavaScript:
// sections[3].analyses[1].type), and the command exits with status 2.
//
// {
//   "title": "...", "data": "smart-city.csv", "seed": 20261128,
//   "roles": { "unit": "city", "time": "year", "cohort": "cohort", "treatment": "did", "outcome": "ire",
//              "controls": ["lngdp", ...], "cluster": "city" },
//   "labels": { "did": "Smart-city pilot", ... ,             // variable labels for tables and figures (optional);
//               "east": { "0": "Central/West", "1": "East" } }  // an object: labels of a column's values
//   "tables": { "caption": "表{n} {title}", "corner": "变量", "notes": ["..."] },  // optional: TableWords
//   "sections": [ { "title": "Baseline", "note": "...", "analyses": [ { "type": "regression", ... } ] } ]
// }
// An analysis's keys are its command's options (analysis-types.ts) plus `label`, `data` (its own data file,
// relative to the spec's folder like the top-level data: a firm-level column beside city-level ones) and a
// few report keys.
import { checkOptions } from "../commands/schema/parse.js";
import { DidwasmError, nearestName } from "../errors.js";
import { ANALYSIS_TYPES, analysisKeys, type AnalysisType } from "./analysis-types.js";
import { REPORT_LANGUAGES, WORD_KEYS, type ReportLanguage, type WordKey } from "./words.js";
import { ZH_WORDS } from "./words-zh.js";

export { ANALYSIS_TYPES, type AnalysisType };

export interface Roles {
  readonly unit: string;
  readonly time: string;
  readonly cohort?: string;
  readonly treatment: string;
  readonly outcome: string;
  readonly controls?: readonly string[];
  readonly cluster?: string;
}

export const ROLE_NAMES = ["unit", "time", "cohort", "treatment", "outcome", "controls", "cluster"] as const;

/** An analysis as written (its keys checked against its type). `data`: its own data file instead of the spec's. */
export type Analysis = { readonly type: AnalysisType; readonly label?: string; readonly data?: string } & Readonly<Record<string, unknown>>;

/** The data file an analysis reads, as the spec writes it: its own `data`, else the spec's. */
export function analysisData(spec: Pick<ReportSpec, "data">, a: Analysis): string {
  return typeof a.data === "string" ? a.data : spec.data;
}

/** The data files analyses name besides the spec's own, each with the spec path of its first mention. */
export function otherDataFiles(spec: ReportSpec): Array<{ data: string; path: string }> {
  const out = new Map<string, string>();
  spec.sections.forEach((s, si) =>
    s.analyses.forEach((a, ai) => {
      const d = analysisData(spec, a);
      if (d !== spec.data && !out.has(d)) out.set(d, `sections[${si}].analyses[${ai}].data`);
    }),
  );
  return [...out].map(([data, path]) => ({ data, path }));
}

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
  /** Labels of a column's values (subgroup columns, split samples, describe's groups), by column. */
  readonly valueLabels: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly fixefLabels?: readonly [string, string];
  /** Beneath each estimate of the regression tables, in parentheses: standard errors (default) or t statistics. */
  readonly statistic?: "se" | "t";
  readonly tables?: TableWords;
  readonly sections: readonly Section[];
}

/** How the report's tables speak, for a paper in another language than English (smart-city.zh.json):
 *  captions as templates with {n} and {title} ("表{n} {title}"), the corner cell over the row labels of
 *  regression tables ("变量"), notes that replace the default notes on parentheses and stars, and the
 *  headings of the descriptive-statistics table; `language` picks the phrasebook of the report's own words
 *  (words.ts: the rows and notes of the placebo, Bacon, HonestDiD ... tables, figure captions, the page's
 *  headings) and `words` replaces any of its entries. */
export interface TableWords {
  readonly language?: ReportLanguage;
  readonly words?: Readonly<Partial<Record<WordKey, string>>>;
  readonly caption?: string;
  readonly figureCaption?: string;
  readonly corner?: string;
  readonly notes?: readonly string[];
  readonly describeHeaders?: readonly string[];
}

/** One problem of a spec: where, and what. */
export interface SpecProblem {
  readonly path: string;
  readonly message: string;
}

/** Throws one error that lists every problem (exit status 2 on the CLI). */
export function specError(problems: readonly SpecProblem[], what = "the spec"): DidwasmError {
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
  return new DidwasmError("BAD_OPTION", `${what} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${lines.join("\n")}`, { problems });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

class Collector {
  readonly problems: SpecProblem[] = [];
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }
  text(v: unknown, path: string, required = true): string | undefined {
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string" || v.trim() === "") {
      this.add(path, required ? "a non-empty text is required" : "must be text");
      return undefined;
    }
    return v;
  }
  unknownKeys(o: Record<string, unknown>, known: readonly string[], path: (k: string) => string, what: string): void {
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      const near = nearestName(k, known);
      this.add(path(k), `unknown ${what}${near ? ` (did you mean "${near}"?)` : ""}; known: ${known.join(", ")}`);
    }
  }
}

/** Keys whose value may also be true/false in a spec (true: the roles' default, false: none). */
const SWITCHABLE = new Set(["controls", "fixef"]);

function checkAnalysis(a: unknown, q: string, c: Collector): Analysis | null {
  if (!isObject(a)) {
    c.add(q, "must be an object with a type");
    return null;
  }
  const type = a.type;
  if (typeof type !== "string" || !(ANALYSIS_TYPES as readonly string[]).includes(type)) {
    const near = typeof type === "string" ? nearestName(type, ANALYSIS_TYPES) : null;
    c.add(`${q}.type`, `unknown analysis ${JSON.stringify(type)}${near ? ` (did you mean "${near}"?)` : ""}; analyses: ${ANALYSIS_TYPES.join(", ")}`);
    return null;
  }
  const keys = analysisKeys(type as AnalysisType);
  const { type: _t, label, data, ...rest } = a;
  if (label !== undefined) c.text(label, `${q}.label`);
  if (data !== undefined) c.text(data, `${q}.data`);
  c.unknownKeys(rest, Object.keys(keys), (k) => `${q}.${k}`, `key for a ${type} analysis`);
  // Values are checked by the command's parser (booleans of switchable keys aside); a missing required
  // option is not a problem here, since roles fill it.
  const values: Record<string, unknown> = {};
  const schema: Record<string, (typeof keys)[string]> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (!(k in keys) || (SWITCHABLE.has(k) && typeof v === "boolean")) continue;
    values[k] = v;
    schema[k] = { ...keys[k], required: false, appliesWhen: undefined };
  }
  for (const p of checkOptions(schema, values, (k) => `${q}.${k}`).problems) {
    const m = /^(\S+?):? (.*)$/s.exec(p.message);
    c.add(m ? m[1] : `${q}.${p.key}`, m ? m[2] : p.message);
  }
  return a as Analysis;
}

const TABLE_WORDS = ["language", "words", "caption", "figureCaption", "corner", "notes", "describeHeaders"];
/** Entries a spec's `words` may replace: the English phrasebook's, and the Chinese one's own extra keys. */
const KNOWN_WORDS = [...new Set([...WORD_KEYS, ...Object.keys(ZH_WORDS)])];

function checkTableWords(v: unknown, c: Collector): TableWords | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) {
    c.add("tables", `must be an object with any of ${TABLE_WORDS.join(", ")}`);
    return undefined;
  }
  c.unknownKeys(v, TABLE_WORDS, (k) => `tables.${k}`, "key");
  for (const k of ["caption", "figureCaption"] as const) {
    if (v[k] !== undefined && (typeof v[k] !== "string" || !String(v[k]).includes("{n}"))) c.add(`tables.${k}`, 'must be a text with {n} (the number) and {title}, e.g. "表{n} {title}"');
  }
  if (v.corner !== undefined) c.text(v.corner, "tables.corner");
  if (v.language !== undefined && !(REPORT_LANGUAGES as readonly unknown[]).includes(v.language)) c.add("tables.language", `must be one of ${REPORT_LANGUAGES.join(", ")}`);
  if (v.words !== undefined) {
    if (!isObject(v.words)) c.add("tables.words", "must map entries of the report's phrasebook to texts");
    else {
      for (const [k, text] of Object.entries(v.words)) {
        if (KNOWN_WORDS.includes(k)) c.text(text, `tables.words.${k}`);
        else {
          // Not every entry listed (there are over a hundred): the nearest, and where they all are.
          const near = nearestName(k, KNOWN_WORDS);
          c.add(`tables.words.${k}`, `unknown entry${near ? ` (did you mean "${near}"?)` : ""}; the entries are those of bindings/report/words.ts`);
        }
      }
    }
  }
  for (const k of ["notes", "describeHeaders"] as const) {
    if (v[k] !== undefined && (!Array.isArray(v[k]) || !(v[k] as unknown[]).every((x) => typeof x === "string"))) c.add(`tables.${k}`, "must be a list of texts");
  }
  return v as TableWords;
}

/** Validates a parsed spec object; throws one error listing every problem. */
export function validateSpec(raw: unknown): ReportSpec {
  const c = new Collector();
  if (!isObject(raw)) throw specError([{ path: "(top level)", message: "must be an object with title, data, roles and sections" }]);
  const known = ["title", "data", "seed", "roles", "labels", "fixefLabels", "statistic", "tables", "sections", "$schema"];
  c.unknownKeys(raw, known, (k) => k, "key");
  const title = c.text(raw.title, "title") ?? "";
  const data = c.text(raw.data, "data") ?? "";
  const seed = raw.seed ?? 1;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) c.add("seed", "must be an integer in [0, 4294967295]");
  let roles: Roles = { unit: "", time: "", treatment: "", outcome: "" };
  if (!isObject(raw.roles)) c.add("roles", "must be an object naming unit, time, treatment and outcome columns");
  else {
    const r = raw.roles;
    c.unknownKeys(r, ROLE_NAMES, (k) => `roles.${k}`, "role");
    let ctl: string[] | undefined;
    if (r.controls !== undefined) {
      if (!Array.isArray(r.controls) || !r.controls.every((x) => typeof x === "string" && x !== "")) c.add("roles.controls", "must be a list of column names");
      else ctl = r.controls as string[];
    }
    roles = {
      unit: c.text(r.unit, "roles.unit") ?? "", time: c.text(r.time, "roles.time") ?? "", cohort: c.text(r.cohort, "roles.cohort", false),
      treatment: c.text(r.treatment, "roles.treatment") ?? "", outcome: c.text(r.outcome, "roles.outcome") ?? "",
      controls: ctl, cluster: c.text(r.cluster, "roles.cluster", false),
    };
  }
  const labels: Record<string, string> = {};
  const valueLabels: Record<string, Record<string, string>> = {};
  if (raw.labels !== undefined) {
    if (!isObject(raw.labels)) c.add("labels", "must map column names to labels");
    else {
      for (const [k, v] of Object.entries(raw.labels)) {
        if (!isObject(v)) labels[k] = c.text(v, `labels.${k}`) ?? k;
        else {
          valueLabels[k] = {};
          for (const [value, text] of Object.entries(v)) valueLabels[k][value] = c.text(text, `labels.${k}.${value}`) ?? value;
        }
      }
    }
  }
  let fixefLabels: [string, string] | undefined;
  if (raw.fixefLabels !== undefined) {
    const f = raw.fixefLabels;
    if (!Array.isArray(f) || f.length !== 2 || !f.every((x) => typeof x === "string")) c.add("fixefLabels", 'must be two texts, e.g. ["Yes", "No"]');
    else fixefLabels = [f[0], f[1]];
  }
  const statistic = raw.statistic;
  if (statistic !== undefined && statistic !== "se" && statistic !== "t") c.add("statistic", 'must be "se" (standard errors in parentheses) or "t" (t statistics)');
  const tables = checkTableWords(raw.tables, c);
  const sections: Section[] = [];
  if (!Array.isArray(raw.sections) || raw.sections.length === 0) c.add("sections", "must be a non-empty list");
  else {
    raw.sections.forEach((s, i) => {
      const p = `sections[${i}]`;
      if (!isObject(s)) return c.add(p, "must be an object with title and analyses");
      c.unknownKeys(s, ["title", "note", "analyses"], (k) => `${p}.${k}`, "key");
      const analyses: Analysis[] = [];
      if (!Array.isArray(s.analyses) || s.analyses.length === 0) c.add(`${p}.analyses`, "must be a non-empty list");
      else s.analyses.forEach((a, j) => {
        const checked = checkAnalysis(a, `${p}.analyses[${j}]`, c);
        if (checked) analyses.push(checked);
      });
      sections.push({ title: c.text(s.title, `${p}.title`) ?? "", note: c.text(s.note, `${p}.note`, false), analyses });
    });
  }
  if (c.problems.length) throw specError(c.problems);
  return { title, data, seed: seed as number, roles, labels, valueLabels, fixefLabels, statistic: statistic as ReportSpec["statistic"], tables, sections };
}
