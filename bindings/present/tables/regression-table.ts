// Regression tables from any number of fits, one column per model, in the manner of Stata's esttab and
// R's modelsummary: coefficients with significance stars (* p < 0.1, ** p < 0.05, *** p < 0.01, stated
// in a note), standard errors or t statistics in parentheses beneath, rows for fixed effects ("Yes"/"No"
// or the user's words, e.g. 控制/未控制), extra rows (e.g. group-difference p-values from bdiff), and
// N, R², within R² and adjusted R². A column comes from a Fit, from any result whose toJSON() has
// `coefficients` (event study, did2s, Sun-Abraham), or from the saved `--json` output of those commands.
import { DidwasmError, nearestName } from "../../errors.js";
import { stars } from "../format.js";
import { renderTable, type RenderOptions, type TableFormat } from "./render.js";
import { RULE, cell, checkTable, row, type BodyRow, type Cell, type Rule, type Table } from "./model.js";

export interface ModelCoefficient {
  readonly term: string;
  readonly estimate: number | null;
  readonly std_error: number | null;
  readonly statistic: number | null;
  /** null when the source has no p-value: the estimate then gets no stars. */
  readonly p_value: number | null;
}

/** One column of a regression table: what the table needs from a fit. */
export interface ModelColumn {
  readonly kind: "model";
  /** Where it came from (a file name), for messages. */
  readonly source: string;
  readonly outcome: string | null;
  readonly coefficients: readonly ModelCoefficient[];
  readonly nobs: number | null;
  readonly r2: number | null;
  readonly r2Within: number | null;
  readonly adjR2: number | null;
  /** Names of the absorbed fixed effects. */
  readonly fixef: readonly string[];
  readonly vcov: string | null;
}

/** A test of a coefficient's difference between groups (the `--json` of bdiff, or just a p-value). */
export interface GroupDiff {
  readonly p_value: number;
  /** First and last model column (1-based) the p-value is written across; default: the k-th difference
   *  spans columns 2k-1 and 2k, the usual layout of one group per column. */
  readonly columns?: readonly [number, number];
  readonly coefficient?: string;
  readonly group?: string;
  readonly method?: string;
  readonly reps?: number;
}

export interface TableRowSpec {
  readonly label: string;
  /** One value per model; numbers are written with `digits` decimals. */
  readonly values: ReadonlyArray<string | number | null>;
}

export type StatKey = "nobs" | "r2" | "r2_within" | "adj_r2";
export const STAT_KEYS: readonly StatKey[] = ["nobs", "r2", "r2_within", "adj_r2"];

export interface RegressionTableOptions {
  /** Beneath each estimate, in parentheses: the standard error (default) or the t statistic. */
  readonly statistic?: "se" | "t";
  /** Decimals of estimates, standard errors and t statistics (default 3). */
  readonly digits?: number;
  /** Decimals of R² and p-values in rows (default 3). */
  readonly statsDigits?: number;
  /** Display names for coefficients, outcomes, fixed effects and the row keys nobs, r2, r2_within,
   *  adj_r2, group_diff_p (e.g. { did: "智慧城市试点", city: "城市固定效应", nobs: "观测值" }). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Coefficients shown, in this order (`*` matches any characters, e.g. "rel::*"); default all. */
  readonly keep?: readonly string[];
  /** Coefficients left out (same patterns). */
  readonly drop?: readonly string[];
  /** Column titles; default (1), (2), ... */
  readonly titles?: readonly string[];
  /** A header row with each model's outcome (default true). */
  readonly depvar?: boolean;
  /** Fixed-effect rows: inferred from each model's fixed effects (default, true), none (false), or given. */
  readonly fixef?: boolean | readonly TableRowSpec[];
  /** Words for a fixed effect being in or out of a model (default ["Yes", "No"], e.g. ["控制", "未控制"]). */
  readonly feLabels?: readonly [string, string];
  /** Rows added after the fixed effects (e.g. { label: "控制变量", values: ["Yes", "Yes", "No"] }). */
  readonly rows?: readonly TableRowSpec[];
  /** Group-difference p-values, each written across the columns of the two groups it compares. */
  readonly groupDiffs?: readonly GroupDiff[];
  /** Statistics rows (default nobs, r2, r2_within; rows whose values are all missing are left out). */
  readonly stats?: readonly StatKey[];
  readonly caption?: string;
  /** The corner cell over the row labels (default empty; "变量" in Chinese journals' tables). */
  readonly corner?: string;
  /** Notes added under the table. */
  readonly notes?: readonly string[];
  /** The notes on parentheses and stars (default true). */
  readonly defaultNotes?: boolean;
}

const STAT_LABEL: Readonly<Record<StatKey, string>> = { nobs: "N", r2: "R²", r2_within: "Within R²", adj_r2: "Adj. R²" };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function notAModel(source: string, why: string): never {
  throw new DidwasmError(
    "BAD_DATA",
    `${source} is not a model's JSON (${why}); a table reads the --json output of fit, eventstudy, did2s or sunab, which has "coefficients"`,
    { source },
  );
}

/** The fixed effects did2s absorbed in its first stage, read from its formula ("... | first stage city + year on untreated"). */
function firstStageFixef(formula: unknown): string[] {
  const m = typeof formula === "string" ? /\|\s*first stage\s+(.+?)\s+on\s/.exec(formula) : null;
  return m ? m[1].split("+").map((s) => s.trim()).filter(Boolean) : [];
}

/** Model columns from a Fit, a result with toJSON(), or saved JSON (a `{ models: [...] }` object gives several). */
export function modelColumns(input: unknown, source = "model"): ModelColumn[] {
  if (isObj(input) && input.kind === "model" && Array.isArray(input.coefficients) && Array.isArray(input.fixef)) return [input as unknown as ModelColumn];
  const json = isObj(input) && typeof input.toJSON === "function" ? (input.toJSON as () => unknown)() : input;
  if (!isObj(json)) notAModel(source, `it is ${Array.isArray(json) ? "an array" : json === null ? "null" : `a ${typeof json}`}`);
  if (Array.isArray(json.models)) return json.models.flatMap((m, i) => modelColumns(m, `${source} (model ${i + 1})`));
  const coefs = json.coefficients;
  if (coefs === undefined) notAModel(source, `it has no "coefficients"; its keys are ${Object.keys(json).slice(0, 8).join(", ")}`);
  if (!Array.isArray(coefs)) notAModel(source, `"coefficients" is not a list of terms`);
  const coefficients = coefs.map((c, i): ModelCoefficient => {
    if (!isObj(c) || typeof c.term !== "string" || !(typeof c.estimate === "number" || c.estimate === null)) {
      notAModel(source, `coefficient ${i + 1} lacks a "term" name or a numeric "estimate"`);
    }
    const estimate = numOrNull(c.estimate);
    const se = numOrNull(c.std_error);
    const stat = numOrNull(c.statistic) ?? (estimate !== null && se !== null && se > 0 ? estimate / se : null);
    return { term: c.term, estimate, std_error: se, statistic: stat, p_value: numOrNull(c.p_value) };
  });
  const fixefSizes = isObj(json.fixef_sizes) ? Object.keys(json.fixef_sizes) : [];
  return [
    {
      kind: "model",
      source,
      outcome: typeof json.outcome === "string" ? json.outcome : null,
      coefficients,
      nobs: numOrNull(json.nobs),
      r2: numOrNull(json.r2),
      r2Within: numOrNull(json.r2_within),
      adjR2: numOrNull(json.adj_r2),
      fixef: fixefSizes.length ? fixefSizes : firstStageFixef(json.formula),
      vcov: typeof json.vcov === "string" ? json.vcov : null,
    },
  ];
}

/** A group difference from bdiff's JSON (or any object with a numeric p_value). */
export function groupDiffFrom(input: unknown, source = "group difference", columns?: readonly [number, number]): GroupDiff {
  const json = isObj(input) && typeof input.toJSON === "function" ? (input.toJSON as () => unknown)() : input;
  if (!isObj(json) || typeof json.p_value !== "number" || !(json.p_value >= 0 && json.p_value <= 1)) {
    throw new DidwasmError("BAD_DATA", `${source} is not a group-difference result: it needs a "p_value" between 0 and 1 (the --json output of bdiff has one)`, { source });
  }
  return {
    p_value: json.p_value,
    columns: columns ?? (Array.isArray(json.columns) && json.columns.length === 2 ? [Number(json.columns[0]), Number(json.columns[1])] : undefined),
    coefficient: typeof json.coefficient === "string" ? json.coefficient : undefined,
    group: typeof json.group === "string" ? json.group : undefined,
    method: typeof json.method === "string" ? json.method : undefined,
    reps: typeof json.reps === "number" ? json.reps : undefined,
  };
}

function patternRegex(p: string): RegExp {
  return new RegExp(`^${p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

function selectTerms(all: readonly string[], keep: readonly string[] | undefined, drop: readonly string[] | undefined): string[] {
  const match = (p: string, what: string) => {
    const re = patternRegex(p);
    const hits = all.filter((t) => re.test(t));
    if (hits.length === 0) {
      const near = nearestName(p, all);
      throw new DidwasmError(
        "UNKNOWN_COEFFICIENT",
        `${what} "${p}" matches no coefficient${near ? ` (did you mean "${near}"?)` : ""}; the models have: ${all.join(", ")}`,
        { coefficient: p, suggestion: near },
      );
    }
    return hits;
  };
  let terms = keep && keep.length ? [...new Set(keep.flatMap((p) => match(p, "--keep")))] : [...all];
  if (drop && drop.length) {
    const gone = new Set(drop.flatMap((p) => match(p, "--drop")));
    terms = terms.filter((t) => !gone.has(t));
  }
  return terms;
}

function fixed(x: number | null, digits: number): string {
  return x === null || !Number.isFinite(x) ? "" : x.toFixed(digits);
}

function vcovPhrase(v: string): string | null {
  if (v === "iid") return null;
  if (v === "hetero") return "heteroskedasticity-robust";
  const m = /^cluster:(.+)$/.exec(v);
  if (m) return `clustered by ${m[1].split("+").join(" and ")}`;
  return v;
}

function parenNote(models: readonly ModelColumn[], statistic: "se" | "t"): string {
  const kinds = [...new Set(models.map((m) => m.vcov ?? ""))];
  const phrase = kinds.length === 1 && kinds[0] ? vcovPhrase(kinds[0]) : null;
  if (statistic === "se") return phrase ? `Standard errors ${phrase} in parentheses.` : "Standard errors in parentheses.";
  return phrase ? `t statistics in parentheses (standard errors ${phrase}).` : "t statistics in parentheses.";
}

function checkDigits(d: number | undefined, name: string, dflt: number): number {
  const v = d ?? dflt;
  if (!Number.isInteger(v) || v < 0 || v > 12) throw new DidwasmError("BAD_OPTION", `${name} must be a whole number from 0 to 12, got ${JSON.stringify(d)}`, { option: name });
  return v;
}

function perModel<T>(values: readonly T[] | undefined, k: number, what: string): readonly T[] | undefined {
  if (values && values.length !== k) {
    throw new DidwasmError("BAD_OPTION", `${what} has ${values.length} value${values.length === 1 ? "" : "s"} for ${k} model${k === 1 ? "" : "s"}`, { option: what });
  }
  return values;
}

/** The table model (render it with renderTable, or use renderRegressionTable). */
export function regressionTable(inputs: readonly unknown[], o: RegressionTableOptions = {}): Table {
  const models = inputs.flatMap((m, i) => modelColumns(m, `model ${i + 1}`));
  const k = models.length;
  if (k === 0) throw new DidwasmError("BAD_OPTION", "a regression table needs at least one model");
  const digits = checkDigits(o.digits, "--digits", 3);
  const statsDigits = checkDigits(o.statsDigits, "--stats-digits", 3);
  const statistic = o.statistic ?? "se";
  if (statistic !== "se" && statistic !== "t") throw new DidwasmError("BAD_OPTION", `the statistic in parentheses must be "se" or "t", got ${JSON.stringify(statistic)}`);
  const labels = o.labels ?? {};
  const label = (key: string, dflt = key) => labels[key] ?? dflt;

  const header: Array<{ cells: Cell[] }> = [];
  const titles = perModel(o.titles, k, "--titles") ?? models.map((_, i) => `(${i + 1})`);
  header.push({ cells: [cell(o.corner ?? ""), ...titles.map((t) => cell(t))] });
  if ((o.depvar ?? true) && models.some((m) => m.outcome !== null)) header.push({ cells: [cell(""), ...models.map((m) => cell(m.outcome === null ? "" : label(m.outcome)))] });

  // Terms in order of first appearance, the intercept last (as Stata's _cons).
  const allTerms = [...new Set(models.flatMap((m) => m.coefficients.map((c) => c.term)))].sort((a, b) => Number(a === "(Intercept)") - Number(b === "(Intercept)"));
  const terms = selectTerms(allTerms, o.keep, o.drop);
  const body: Array<BodyRow | Rule> = [];
  for (const term of terms) {
    const found = models.map((m) => m.coefficients.find((c) => c.term === term) ?? null);
    const name = label(term, term === "(Intercept)" ? "Constant" : term);
    body.push(row([name, ...found.map((c) => (c === null ? cell("") : cell(c.estimate === null ? "NA" : fixed(c.estimate, digits), { sup: c.p_value === null ? "" : stars(c.p_value) })))], "coef"));
    body.push(row(["", ...found.map((c) => {
      if (c === null) return "";
      const v = statistic === "se" ? c.std_error : c.statistic;
      return v === null ? "" : `(${fixed(v, digits)})`;
    })], "paren"));
  }

  const lower: BodyRow[] = [];
  if (o.feLabels && o.feLabels.length !== 2) {
    throw new DidwasmError("BAD_OPTION", `--fe-labels must be two words, for in and out (e.g. "Yes,No" or "控制,未控制"), got ${JSON.stringify(o.feLabels)}`, { option: "--fe-labels" });
  }
  const [yes, no] = o.feLabels ?? ["Yes", "No"];
  if (Array.isArray(o.fixef)) {
    for (const r of o.fixef as readonly TableRowSpec[]) lower.push(row([r.label, ...perModel(r.values, k, `fixed-effect row "${r.label}"`)!.map((v) => valueText(v, digits))], "fe"));
  } else if (o.fixef ?? true) {
    const fes = [...new Set(models.flatMap((m) => m.fixef))];
    for (const fe of fes) lower.push(row([label(fe, `${fe} FE`), ...models.map((m) => (m.fixef.includes(fe) ? yes : no))], "fe"));
  }
  for (const r of o.rows ?? []) lower.push(row([r.label, ...perModel(r.values, k, `row "${r.label}"`)!.map((v) => valueText(v, digits))], "extra"));
  (o.groupDiffs ?? []).forEach((d, i) => lower.push(groupDiffRow(d, i, k, statsDigits, label("group_diff_p", "Group difference p-value"))));
  for (const key of o.stats ?? (["nobs", "r2", "r2_within"] as const)) {
    if (!STAT_KEYS.includes(key)) throw new DidwasmError("BAD_OPTION", `--stats must be among ${STAT_KEYS.join(", ")}, got ${JSON.stringify(key)}`, { option: "--stats" });
    const values = models.map((m) => (key === "nobs" ? m.nobs : key === "r2" ? m.r2 : key === "r2_within" ? m.r2Within : m.adjR2));
    if (values.every((v) => v === null)) continue;
    lower.push(row([label(key, STAT_LABEL[key]), ...values.map((v) => (v === null ? "" : key === "nobs" ? String(v) : v.toFixed(statsDigits)))], "stat"));
  }
  if (lower.length) body.push(RULE, ...lower);

  const notes: string[] = [];
  if (o.defaultNotes ?? true) {
    notes.push(`${parenNote(models, statistic)} * p < 0.1, ** p < 0.05, *** p < 0.01.`);
    (o.groupDiffs ?? []).forEach((d) => {
      if (d.coefficient && d.group) {
        const how = d.method ? ` (${d.method}${d.reps ? `, ${d.reps} draws` : ""})` : "";
        notes.push(`${label("group_diff_p", "Group difference p-value")}: empirical p-value of the difference in ${d.coefficient} between the groups of ${d.group}${how}.`);
      }
    });
  }
  notes.push(...(o.notes ?? []));
  return checkTable({ align: ["l", ...models.map(() => "c" as const)], header, body, notes, caption: o.caption });
}

function valueText(v: string | number | null, digits: number): string {
  return v === null ? "" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : v;
}

function groupDiffRow(d: GroupDiff, i: number, k: number, digits: number, name: string): BodyRow {
  const [a, b] = d.columns ?? [2 * i + 1, 2 * i + 2];
  if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 1 && b >= a && b <= k)) {
    throw new DidwasmError(
      "BAD_OPTION",
      `group difference ${i + 1} is written across columns ${a}-${b}, but the table has ${k} model column${k === 1 ? "" : "s"}${d.columns ? "" : " (give its columns, e.g. --diff-cols 1:2)"}`,
      { option: "--diff-cols" },
    );
  }
  const cells: Cell[] = [cell(name)];
  for (let j = 1; j < a; j++) cells.push(cell(""));
  cells.push(cell(d.p_value.toFixed(digits), { span: b - a + 1 }));
  for (let j = b + 1; j <= k; j++) cells.push(cell(""));
  return row(cells, "diff");
}

/** A regression table in one of the five formats (text, markdown, latex, html, csv). */
export function renderRegressionTable(models: readonly unknown[], o: RegressionTableOptions & RenderOptions = {}, format: TableFormat = "text"): string {
  return renderTable(regressionTable(models, o), format, o);
}
