// The page's tables of the commands whose JSON is not a list of coefficients: the wild/pairs bootstrap and
// randomization inference (boot), PSM-DID (psm: the pstest-style balance table first, then the DID on the
// matched panel, the propensity-score logit and the matches) and descriptive statistics (describe).
// Commands with `coefficients` (fit, logit, and estimators registered later) need nothing here.
import { describeTable, renderDescribe } from "../../bindings/present/tables/describe-table.js";
import type { Table as LibraryTable } from "../../bindings/present/tables/model.js";
import { fmtInt, fmtNum } from "./format.js";
import type { CellKind, Table, TableColumn } from "./tables.js";

type Json = Record<string, any>;

const COEFS: TableColumn[] = [
  { key: "term", label: "Term", kind: "text" },
  { key: "estimate", label: "Estimate", kind: "num" },
  { key: "std_error", label: "Std. error", kind: "num" },
  { key: "statistic", label: "t", latex: "$t$", kind: "t" },
  { key: "p_value", label: "p-value", latex: "$p$", kind: "p" },
  { key: "conf_low", label: "95% CI low", latex: "95\\% CI low", kind: "num" },
  { key: "conf_high", label: "95% CI high", latex: "95\\% CI high", kind: "num" },
];

const rowsOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((r) => r && typeof r === "object") : []);

function bootTables(j: Json): { primary: Table; more: Table[] } {
  const row = (quantity: string, value: unknown, kind: CellKind) => ({ quantity, value, kind });
  const wild = j.method === "wild";
  const rows = [
    row("Estimate", j.estimate, "num"),
    ...(typeof j.std_error === "number" ? [row("Std. error", j.std_error, "num")] : []),
    ...(wild ? [row("t statistic", j.t_obs, "t")] : []),
    row(`p-value (H0: ${j.coefficient} = ${j.null ?? 0})`, j.p_value, "p"),
    ...(typeof j.p_equal_tailed === "number" ? [row("p-value, equal-tailed", j.p_equal_tailed, "p")] : []),
    ...(typeof j.conf_low === "number" ? [row(`${Math.round(100 * (1 - (j.alpha ?? 0.05)))}% CI low`, j.conf_low, "num"), row(`${Math.round(100 * (1 - (j.alpha ?? 0.05)))}% CI high`, j.conf_high, "num")] : []),
    row(j.enumerated ? "Sign vectors (all)" : "Replicates", j.reps, "count"),
    ...(typeof j.clusters === "number" ? [row(`Clusters (${j.cluster})`, j.clusters, "count")] : []),
    row("Observations", j.nobs, "count"),
    ...(typeof j.seed === "number" ? [row("Seed", j.seed, "int")] : []),
  ];
  const what = wild ? `Wild cluster bootstrap (${j.impose_null === false ? "WCU" : "WCR"}, ${j.weights} weights)` : j.method === "pairs" ? "Pairs cluster bootstrap" : "Randomization inference";
  return {
    primary: { id: "boot", title: `${what} for ${j.coefficient}`, columns: [{ key: "quantity", label: "", kind: "text" }, { key: "value", label: "Value", kind: "num" }], rows },
    more: [],
  };
}

function psmTables(j: Json): { primary: Table; more: Table[] } {
  const balance = rowsOf(j.balance).flatMap((b) => [
    { variable: b.variable, sample: "Unmatched", treated: b.mean_treated_before, control: b.mean_control_before, bias: b.bias_before, reduction: null, t: b.t_before, p: b.p_before },
    { variable: b.variable, sample: "Matched", treated: b.mean_treated, control: b.mean_control, bias: b.bias_after, reduction: b.reduction, t: b.t_after, p: b.p_after },
  ]);
  const s = (j.balance_summary ?? {}) as Json;
  const primary: Table = {
    id: "balance", title: "Covariate balance before and after matching (pstest)",
    columns: [
      { key: "variable", label: "Variable", kind: "text" }, { key: "sample", label: "Sample", kind: "text" },
      { key: "treated", label: "Mean treated", kind: "num" }, { key: "control", label: "Mean control", kind: "num" },
      { key: "bias", label: "% bias", latex: "\\% bias", kind: "num" }, { key: "reduction", label: "% reduction |bias|", latex: "\\% reduction $|$bias$|$", kind: "num" },
      { key: "t", label: "t", latex: "$t$", kind: "t" }, { key: "p", label: "p > |t|", latex: "$p > |t|$", kind: "p" },
    ],
    rows: balance,
    footer: [
      ["Mean |bias|", `${fmtNum(s.mean_abs_bias_before)} before, ${fmtNum(s.mean_abs_bias_after)} after`],
      ["Units", `${fmtInt(j.units?.treated ?? 0)} treated, ${fmtInt(j.units?.controls ?? 0)} controls; matched ${fmtInt(j.matched_treated ?? 0)} treated, ${fmtInt(j.matched_controls ?? 0)} controls`],
    ],
  };
  const more: Table[] = [];
  const did = j.did as Json | undefined;
  if (did && Array.isArray(did.coefficients)) {
    more.push({
      id: "did", title: `DID on the matched panel: ${did.formula ?? ""}`, columns: COEFS, rows: did.coefficients, stars: true,
      footer: [["Observations", fmtInt(did.nobs ?? 0)], ...(typeof did.r2 === "number" ? [["R²", fmtNum(did.r2, 3)] as [string, string]] : [])],
    });
  }
  if (j.logit && Array.isArray(j.logit.coefficients)) {
    more.push({ id: "logit", title: `Propensity score: ${j.logit.formula ?? "logit"}`, columns: COEFS, rows: j.logit.coefficients, stars: true });
  }
  if (rowsOf(j.pairs).length) {
    more.push({
      id: "pairs", title: "Matches (treated unit, control unit)",
      columns: [{ key: "unit", label: "Treated unit", kind: "text" }, { key: "match", label: "Control unit", kind: "text" }, { key: "weight", label: "Weight", kind: "num" }, { key: "distance", label: "Score distance", kind: "num" }],
      rows: j.pairs,
    });
  }
  return { primary, more };
}

function describeTables(j: Json): { primary: Table; more: Table[] } {
  const pct: number[] = Array.isArray(j.percentiles) ? j.percentiles : [];
  const grouped = typeof j.by === "string";
  // Rows carry percentiles under the keys the library writes (p25, p50, ...): read them from the first row.
  const first = rowsOf(j.rows)[0] ?? {};
  const pctKeys = Object.keys(first).filter((k) => !["variable", "group", "n", "mean", "sd", "min", "max"].includes(k));
  const columns: TableColumn[] = [
    { key: "variable", label: "Variable", kind: "text" },
    ...(grouped ? [{ key: "group", label: String(j.by), kind: "text" as const }] : []),
    { key: "n", label: "N", kind: "count" }, { key: "mean", label: "Mean", kind: "num" }, { key: "sd", label: "SD", kind: "num" },
    { key: "min", label: "Min", kind: "num" }, { key: "max", label: "Max", kind: "num" },
    ...pctKeys.map((k, i) => ({ key: k, label: pct[i] !== undefined ? `p${pct[i]}` : k, kind: "num" as const })),
  ];
  return { primary: { id: "describe", title: "Descriptive statistics", columns, rows: rowsOf(j.rows), footer: [["Rows in the data", fmtInt(j.nrow ?? 0)]] }, more: [] };
}

/** honestdid: the original interval, then the robust confidence set for each bound. */
function honestdidTables(j: Json): { primary: Table; more: Table[] } {
  const bound = j.delta === "SD" ? "M" : "Mbar";
  const o = (j.original ?? {}) as Json;
  return {
    primary: {
      id: "honestdid", title: `Sensitivity to parallel trends (${j.delta === "SD" ? "smoothness" : "relative magnitudes"}, ${j.method})`,
      columns: [{ key: "m", label: bound, kind: "text" }, { key: "lb", label: "Lower bound", kind: "num" }, { key: "ub", label: "Upper bound", kind: "num" }, { key: "method", label: "Method", kind: "text" }],
      rows: [{ m: "Original", lb: o.lb, ub: o.ub, method: "parallel trends" }, ...rowsOf(j.robust).map((r) => ({ ...r, m: String(r.m) }))],
      footer: [["Breakdown", j.breakdown?.m === null || j.breakdown?.m === undefined ? "none of the bounds given" : `${bound} = ${j.breakdown.m}`]],
    },
    more: [],
  };
}

/** The tables of boot, psm, describe and honestdid results; null for other commands. */
export function commandTables(command: string, j: Json): { primary: Table | null; more: Table[] } | null {
  if (command === "honestdid") return honestdidTables(j);
  if (command === "boot") return bootTables(j);
  if (command === "psm") return psmTables(j);
  if (command === "describe") return describeTables(j);
  return null;
}

/** describe's result (the library's DescribeResult) from the JSON the command printed. */
function describeResult(j: Json) {
  const notes = (Array.isArray(j.notes) ? j.notes : []).map((n: { message?: unknown }) => String(n.message ?? ""));
  return { vars: j.vars, by: j.by ?? null, groups: j.groups ?? null, percentiles: j.percentiles ?? [], rows: j.rows, nrow: j.nrow, byMissing: j.by_missing ?? 0, notes };
}

/** describe's table in a format, exactly as `didwasm describe --format FORMAT` writes it (the page's
 *  downloads of a describe result). */
export function describeTableText(j: Json, format: "latex" | "csv"): string {
  return renderDescribe(describeResult(j), format);
}

/** describe's table model (for the Word download, as `--format docx` lays it out). */
export function describeTableModel(j: Json): LibraryTable {
  return describeTable(describeResult(j));
}
