// The analyses the page offers: one entry per CLI command, its fields (keyed by the CLI flag names in
// camelCase, exactly the options run() takes), and how form values become options and a command line.
// Fields whose key starts with "_" are page-only helpers (the model builder that writes the formula).
import type { ColumnSummary } from "../../bindings/web-worker/protocol.js";

export type Values = Record<string, string | string[] | boolean>;

export type FieldKind = "column" | "columns" | "formula" | "vcov" | "text" | "int" | "choice" | "flag" | "term";

export interface Field {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly help?: string;
  readonly placeholder?: string;
  readonly choices?: readonly { readonly value: string; readonly label: string }[];
  /** Which columns a column picker proposes first (others are still listed). */
  readonly prefer?: "numeric" | "binary" | "id";
  readonly showIf?: (v: Values) => boolean;
  readonly advanced?: boolean;
  /** Default vcov label for this analysis. */
  readonly vcovDefault?: string;
}

export interface Analysis {
  readonly command: string;
  readonly title: string;
  readonly summary: string;
  /** A model builder (outcome, regressors, fixed effects) writes the formula field. */
  readonly builder?: boolean;
  readonly fields: readonly Field[];
}

const y: Field = { key: "y", label: "Outcome", kind: "column", required: true, prefer: "numeric" };
const unit: Field = { key: "unit", label: "Unit identifier", kind: "column", required: true, prefer: "id" };
const time: Field = { key: "time", label: "Time period", kind: "column", required: true, prefer: "id", help: "Whole numbers, e.g. years." };
const cohort: Field = { key: "cohort", label: "Cohort (first treated period)", kind: "column", required: true, prefer: "id", help: "0, empty or beyond the panel = never treated." };
const treat: Field = { key: "treat", label: "Treatment indicator", kind: "column", required: true, prefer: "binary", help: "0/1: 1 when the unit is treated in that period." };
const controls: Field = { key: "controls", label: "Controls", kind: "columns", prefer: "numeric" };
const subset: Field = { key: "subset", label: "Subset", kind: "text", placeholder: "e.g. east == 1", advanced: true, help: "Keep rows where this is true." };
const weights: Field = { key: "weights", label: "Weights", kind: "column", prefer: "numeric", advanced: true };
const never: Field = { key: "never", label: "Never-treated cohort value", kind: "text", advanced: true, placeholder: "0 or empty by default" };
const seed: Field = { key: "seed", label: "Random seed", kind: "int", required: true, help: "Same seed, same draws (in the browser and the CLI)." };
const ref: Field = { key: "ref", label: "Reference period", kind: "int", placeholder: "-1" };
const eventOnly = (v: Values) => v.event === true;

const builder: Field[] = [
  { key: "_outcome", label: "Outcome", kind: "column", required: true, prefer: "numeric" },
  { key: "_regressors", label: "Regressors", kind: "columns", prefer: "numeric" },
  { key: "_fe", label: "Fixed effects (absorbed)", kind: "columns", prefer: "id" },
  { key: "formula", label: "Formula (fixest syntax)", kind: "formula", required: true, help: "Written from your choices above; edit it for interactions, i(), fe1^fe2, c(y1, y2)." },
];

export const ANALYSES: readonly Analysis[] = [
  {
    command: "fit", title: "Regression (fixed effects)", builder: true,
    summary: "Least squares with absorbed fixed effects and cluster-robust standard errors (reghdfe / fixest::feols).",
    fields: [
      ...builder,
      { key: "vcov", label: "Standard errors", kind: "vcov", vcovDefault: "Default: cluster by the first fixed effect" },
      weights, subset,
      { key: "fixefRm", label: "Singletons", kind: "choice", advanced: true, choices: [{ value: "", label: "Keep (fixest default)" }, { value: "singleton", label: "Drop singletons (reghdfe)" }] },
    ],
  },
  {
    command: "eventstudy", title: "Event study",
    summary: "Two-way fixed effects on relative-time dummies, with a pre-trend test and a coefficient plot.",
    fields: [
      y, unit, time, cohort, controls,
      { key: "vcov", label: "Standard errors", kind: "vcov", vcovDefault: "Default: cluster by the unit" },
      { key: "window", label: "Window", kind: "text", placeholder: "e.g. -7:7", help: "Relative periods kept (lo:hi)." },
      { key: "bin", label: "Bin beyond ±k", kind: "int", placeholder: "none" },
      ref, weights, subset, never,
    ],
  },
  {
    command: "bacon", title: "Goodman-Bacon decomposition",
    summary: "Splits the TWFE estimate into its 2×2 comparisons and their weights (bacondecomp).",
    fields: [y, unit, time, treat, controls, subset],
  },
  {
    command: "did2s", title: "Two-stage DID (Gardner)",
    summary: "Fixed effects estimated on untreated observations, then the effect on the residualised outcome (did2s).",
    fields: [
      y, unit, time, treat, controls,
      { key: "event", label: "Event-study second stage", kind: "flag" },
      { ...cohort, showIf: eventOnly },
      { ...ref, showIf: eventOnly },
      { key: "window", label: "Window", kind: "text", placeholder: "e.g. -7:7", showIf: eventOnly },
      { key: "cluster", label: "Cluster by", kind: "column", prefer: "id", help: "Default: the unit." },
      weights, subset, never,
    ],
  },
  {
    command: "sunab", title: "Sun-Abraham",
    summary: "Interaction-weighted event study robust to heterogeneous effects across cohorts (fixest::sunab).",
    fields: [y, unit, time, cohort, controls, { key: "vcov", label: "Standard errors", kind: "vcov", vcovDefault: "Default: cluster by the unit" }, ref, weights, subset, never],
  },
  {
    command: "csdid", title: "Callaway-Sant'Anna",
    summary: "Group-time average treatment effects ATT(g,t) and their aggregations (did / csdid).",
    fields: [
      y, unit, time, cohort, controls,
      { key: "controlGroup", label: "Control group", kind: "choice", choices: [{ value: "never", label: "Never treated" }, { value: "notyet", label: "Not yet treated" }] },
      { key: "bootstrap", label: "Bootstrap replicates", kind: "int", placeholder: "none (analytic)", advanced: true, help: "Multiplier bootstrap for uniform bands." },
      { ...seed, required: false, advanced: true, showIf: (v) => typeof v.bootstrap === "string" && v.bootstrap.trim() !== "" },
      subset, never,
    ],
  },
  {
    command: "placebo", title: "Placebo test", builder: true,
    summary: "Random re-assignments of the treatment in time, in space or both (didplacebo); kernel density of the placebo estimates.",
    fields: [
      ...builder,
      { ...treat, help: "The treatment regressor of the formula." },
      unit, time,
      { key: "kind", label: "Placebo", kind: "choice", required: true, choices: [{ value: "space", label: "In space (random units)" }, { value: "time", label: "In time (earlier dates)" }, { value: "mixed", label: "Mixed (units and dates)" }] },
      { key: "variant", label: "Mixed variant", kind: "choice", showIf: (v) => v.kind === "mixed", choices: [{ value: "1", label: "1: one fake date for all" }, { value: "2", label: "2: a fake date per unit" }, { value: "3", label: "3: true dates permuted" }] },
      { key: "shift", label: "Shifts (periods earlier)", kind: "text", placeholder: "1,2,3", showIf: (v) => v.kind === "time" },
      { key: "reps", label: "Draws", kind: "int", required: true, showIf: (v) => v.kind !== "time" },
      { ...seed, showIf: (v) => v.kind !== "time" },
      { key: "vcov", label: "Standard errors of the actual estimate", kind: "vcov", vcovDefault: "Default: cluster by the first fixed effect" },
      { ...cohort, required: false, help: "Default: derived from the treatment." },
      subset,
    ],
  },
  {
    command: "bdiff", title: "Group difference test",
    builder: true,
    summary: "Is a coefficient different between two groups? Permutation or bootstrap test (bdiff).",
    fields: [
      ...builder,
      { key: "group", label: "Groups (two values)", kind: "column", required: true, prefer: "binary" },
      { key: "coef", label: "Coefficient compared", kind: "term", required: true },
      { key: "method", label: "Method", kind: "choice", choices: [{ value: "permutation", label: "Permutation" }, { value: "bootstrap", label: "Bootstrap" }] },
      { key: "reps", label: "Draws", kind: "int", required: true },
      seed,
      { key: "clusterLevel", label: "Resample whole units of", kind: "column", prefer: "id", advanced: true },
      subset,
    ],
  },
];

export function analysis(command: string): Analysis {
  return ANALYSES.find((a) => a.command === command) ?? ANALYSES[0];
}

/** The formula the model builder writes: "y ~ x1 + x2 | fe1 + fe2". */
export function composeFormula(v: Values): string {
  const yv = typeof v._outcome === "string" ? v._outcome : "";
  if (!yv) return "";
  const xs = Array.isArray(v._regressors) ? v._regressors : [];
  const fe = Array.isArray(v._fe) ? v._fe : [];
  return `${yv} ~ ${xs.length ? xs.join(" + ") : "1"}${fe.length ? ` | ${fe.join(" + ")}` : ""}`;
}

export const visible = (f: Field, v: Values) => !f.showIf || f.showIf(v);

/** A field's value is missing (for required fields). */
function empty(x: Values[string] | undefined): boolean {
  return x === undefined || x === false || (typeof x === "string" && x.trim() === "") || (Array.isArray(x) && x.length === 0);
}

/** The first problem with the form, as a sentence for the page, or null. */
export function checkForm(a: Analysis, v: Values, columns: readonly ColumnSummary[]): { field: string; message: string } | null {
  const names = new Set(columns.map((c) => c.name));
  for (const f of a.fields) {
    if (!visible(f, v)) continue;
    const x = v[f.key];
    if (f.required && empty(x)) {
      const what = f.kind === "column" ? `Choose the ${f.label.toLowerCase()} column.` : `Fill in “${f.label}”.`;
      return { field: f.key, message: what };
    }
    if (f.kind === "column" && typeof x === "string" && x && !names.has(x)) return { field: f.key, message: `The data has no column “${x}”.` };
    if (f.kind === "int" && typeof x === "string" && x.trim() && !/^-?\d+$/.test(x.trim())) {
      return { field: f.key, message: `“${f.label}” must be a whole number, not “${x}”.` };
    }
  }
  const roles = ["y", "unit", "time", "cohort", "treat"].filter((k) => a.fields.some((f) => f.key === k && visible(f, v)) && typeof v[k] === "string" && v[k]);
  for (let i = 0; i < roles.length; i++) {
    for (let j = i + 1; j < roles.length; j++) {
      if (v[roles[i]] === v[roles[j]]) {
        const label = (k: string) => a.fields.find((f) => f.key === k)!.label.toLowerCase();
        return { field: roles[j], message: `The ${label(roles[i])} and the ${label(roles[j])} are the same column (“${v[roles[i]]}”); choose different columns.` };
      }
    }
  }
  return null;
}

/** Form values -> run() options (flag names in camelCase; only what is set and visible). */
export function toOptions(a: Analysis, v: Values): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of a.fields) {
    if (f.key.startsWith("_") || !visible(f, v)) continue;
    const x = v[f.key];
    if (empty(x)) continue;
    if (f.kind === "columns") o[f.key] = [...(x as string[])];
    else if (f.kind === "flag") o[f.key] = true;
    else if (f.kind === "int") o[f.key] = Number((x as string).trim());
    else o[f.key] = (x as string).trim();
  }
  return o;
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_:.,+\-/=]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, "\\$1")}"`);

/** The equivalent command line, for reproducing the result outside the browser. */
export function commandLine(command: string, file: string, options: Record<string, unknown>): string {
  const parts = ["didwasm", command, shellQuote(file)];
  for (const [k, v] of Object.entries(options)) {
    const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (v === true) parts.push(flag);
    else parts.push(flag, shellQuote(Array.isArray(v) ? v.join(",") : String(v)));
  }
  return parts.join(" ");
}
