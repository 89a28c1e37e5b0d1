// The analyses the page offers: one entry per command of the registry (bindings/commands/registry.ts), so a
// newly registered command appears without edits here; its fields are derived from the command's option
// schema (keys, labels, help, defaults, choices, when a field applies), and how form values become run()
// options and a command line. Fields whose key starts with "_" are page-only helpers (the model builder
// that writes the formula). PAGE below only gives known commands a title, an order and a builder style.
import { commandLine as sharedCommandLine, shellQuote } from "../../bindings/commands/command-line.js";
import { COMMAND_SPECS } from "../../bindings/commands/registry.js";
import { quoteName } from "../../bindings/model/formula.js";
import type { OptionDef } from "../../bindings/commands/schema/types.js";
import type { CommandSpec } from "../../bindings/commands/types.js";
import type { ColumnSummary } from "../../bindings/web-worker/protocol.js";

export type Values = Record<string, string | string[] | boolean>;

export type FieldKind = "column" | "columns" | "formula" | "vcov" | "text" | "int" | "number" | "choice" | "flag" | "term";

export interface Field {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  /** Required unless this other field is filled. */
  readonly requiredUnless?: string;
  readonly help?: string;
  readonly placeholder?: string;
  readonly choices?: readonly { readonly value: string; readonly label: string }[];
  /** Which columns a column picker offers (suits(): numeric, 0/1 or two-valued, identifiers). */
  readonly prefer?: ColumnRole;
  readonly showIf?: (v: Values) => boolean;
  readonly advanced?: boolean;
  /** Default vcov label for this analysis. */
  readonly vcovDefault?: string;
  /** Flags: the schema's default (a checkbox shows it; unticking a default-on flag sends false). */
  readonly flagDefault?: boolean;
  /** Choices: the schema's default (selected until another is chosen). */
  readonly choiceDefault?: string;
}

/** What a column picker asks for. */
export type ColumnRole = "numeric" | "binary" | "id";

/** Whether a column can play a role: outcomes and controls numeric, treatments and groups 0/1 or
 *  two-valued, units, periods, cohorts and clusters whole numbers or text. Pickers offer only these. */
export function suits(role: ColumnRole | undefined, c: ColumnSummary): boolean {
  if (role === "numeric") return c.kind === "numeric";
  if (role === "binary") return c.binary || (c.distinct === 2 && !c.distinctCapped);
  if (role === "id") return c.kind === "text" || c.integer;
  return true;
}

/** A model builder: "fe" writes y ~ x | fe (a numeric outcome); "binary" writes y ~ x for a 0/1 outcome;
 *  "binary-fe" y ~ x | fe for a 0/1 outcome. */
export type BuilderKind = "fe" | "binary" | "binary-fe";

export interface Analysis {
  readonly command: string;
  readonly title: string;
  readonly summary: string;
  /** A model builder (outcome, regressors, fixed effects) writes the formula field. */
  readonly builder?: BuilderKind;
  readonly fields: readonly Field[];
}

/** The page's kinds for the schema's option kinds. */
function fieldKind(key: string, def: OptionDef): FieldKind {
  if (key === "coef") return "term";
  switch (def.kind) {
    case "column":
    case "columns":
    case "formula":
    case "vcov":
    case "choice":
    case "flag":
      return def.kind === "flag" ? "flag" : def.kind;
    case "integer":
    case "seed":
      return "int";
    case "number":
      return "number";
    default:
      return "text";
  }
}

/** An option's value as the applicability rules read it: form text parsed the way the options are. */
function asParsed(spec: CommandSpec, v: Values): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, def] of Object.entries(spec.options)) {
    const x = v[k];
    if (x === undefined || x === "" || (Array.isArray(x) && x.length === 0)) {
      if (def.default !== undefined) o[k] = def.default;
    } else o[k] = x;
  }
  return o;
}

/** The form field of one schema option (label, help, default, hints and when it shows, all from the schema). */
function fieldOf(spec: CommandSpec, key: string, def: OptionDef): Field {
  const kind = fieldKind(key, def);
  const dflt = def.defaultText ?? (def.default !== undefined && def.kind !== "flag" ? String(def.default) : undefined);
  const choices = def.choices?.map((c) => ({ value: c, label: def.web?.choiceLabels?.[c] ?? c }));
  return {
    key, label: def.label, kind, required: def.required, requiredUnless: def.requiredUnless, help: def.help, prefer: def.web?.prefer, advanced: def.web?.advanced,
    placeholder: def.web?.placeholder ?? (dflt !== undefined && kind !== "choice" ? `default: ${dflt}` : undefined),
    choices: choices && !def.required && def.default === undefined ? [{ value: "", label: "Default" }, ...choices] : choices,
    vcovDefault: kind === "vcov" && def.defaultText ? `Default: ${def.defaultText}` : undefined,
    flagDefault: kind === "flag" ? def.default === true : undefined,
    choiceDefault: kind === "choice" && def.default !== undefined ? String(def.default) : undefined,
    showIf: def.appliesWhen ? (v: Values) => def.appliesWhen!(asParsed(spec, v)) === null : undefined,
  };
}

/** The fields of a command: every option its schema offers the web (none of the CLI-only switches, none the
 *  command refuses whatever the value). */
export function fieldsOf(spec: CommandSpec): Field[] {
  return Object.entries(spec.options)
    .filter(([, def]) => !def.cliAndRunOnly && !def.refused && !def.web?.hidden)
    .map(([k, def]) => fieldOf(spec, k, def));
}

const BUILDERS: Record<BuilderKind, Field[]> = {
  fe: [
    { key: "_outcome", label: "Outcome", kind: "column", required: true, prefer: "numeric" },
    { key: "_regressors", label: "Regressors", kind: "columns", prefer: "numeric" },
    { key: "_fe", label: "Fixed effects (absorbed)", kind: "columns", prefer: "id" },
  ],
  binary: [
    { key: "_binaryOutcome", label: "Outcome (0/1)", kind: "column", required: true, prefer: "binary" },
    { key: "_regressors", label: "Regressors", kind: "columns", prefer: "numeric" },
  ],
  "binary-fe": [
    { key: "_binaryOutcome", label: "Outcome (0/1)", kind: "column", required: true, prefer: "binary" },
    { key: "_regressors", label: "Regressors", kind: "columns", prefer: "numeric" },
    { key: "_fe", label: "Fixed effects (absorbed)", kind: "columns", prefer: "id" },
  ],
};

interface PageEntry {
  readonly title: string;
  /** The model builder that writes the formula, or none (the formula typed, or no formula). */
  readonly builder?: BuilderKind;
}

/** Titles, order and builders of the commands the page knows. */
const PAGE: Readonly<Record<string, PageEntry>> = {
  fit: { title: "Regression (fixed effects)", builder: "fe" },
  fepois: { title: "Poisson regression (fixed effects)", builder: "fe" },
  feglm: { title: "Logit / probit (fixed effects)", builder: "binary-fe" },
  eventstudy: { title: "Event study" },
  bacon: { title: "Goodman-Bacon decomposition" },
  did2s: { title: "Two-stage DID (Gardner)" },
  imputation: { title: "Imputation DID (Borusyak-Jaravel-Spiess)" },
  etwfe: { title: "Extended TWFE (Wooldridge)" },
  stacked: { title: "Stacked DID (Wing-Freedman-Hollingsworth)" },
  synthdid: { title: "Synthetic DID (Arkhangelsky et al.)" },
  dcdh: { title: "dCDH event study (de Chaisemartin-D'Haultfoeuille)" },
  sunab: { title: "Sun-Abraham" },
  csdid: { title: "Callaway-Sant'Anna" },
  compare: { title: "Estimators side by side" },
  honestdid: { title: "HonestDiD sensitivity (parallel trends)" },
  pretrends: { title: "Pre-trend power (Roth)" },
  psm: { title: "PSM-DID (matching and balance)" },
  placebo: { title: "Placebo test", builder: "fe" },
  bdiff: { title: "Group difference test", builder: "fe" },
  boot: { title: "Wild cluster bootstrap", builder: "fe" },
  logit: { title: "Logit", builder: "binary" },
  describe: { title: "Descriptive statistics" },
};

/** A command the page has no entry for (one registered after this file was written): titled by its name,
 *  with the fixed-effects builder when it requires a formula. */
function defaultEntry(spec: CommandSpec): PageEntry {
  const f = spec.options.formula;
  return { title: spec.name, builder: f?.kind === "formula" && f.required ? "fe" : undefined };
}

/** The analyses of a registry: the known commands in PAGE's order, then any others in registry order. */
export function analysesOf(specs: Readonly<Record<string, CommandSpec>>): Analysis[] {
  const names = [...Object.keys(PAGE).filter((n) => n in specs), ...Object.keys(specs).filter((n) => !(n in PAGE))];
  return names.map((command) => {
    const spec = specs[command];
    const { title, builder: b } = PAGE[command] ?? defaultEntry(spec);
    const fields = fieldsOf(spec).map((f) => (f.key === "formula" && b ? { ...f, help: "Written from your choices above; edit it for interactions, i(), fe1^fe2, c(y1, y2)." } : f));
    return { command, title, summary: spec.summary, builder: b, fields: b ? [...BUILDERS[b], ...fields] : fields };
  });
}

export const ANALYSES: readonly Analysis[] = analysesOf(COMMAND_SPECS as unknown as Record<string, CommandSpec>);

export function analysis(command: string): Analysis {
  return ANALYSES.find((a) => a.command === command) ?? ANALYSES[0];
}

/** The formula the model builder writes: "y ~ x1 + x2 | fe1 + fe2" (a 0/1 outcome and no fixed effects for
 *  the "binary" builder). */
export function composeFormula(v: Values, kind: BuilderKind = "fe"): string {
  const outcome = kind === "fe" ? v._outcome : v._binaryOutcome;
  const yv = typeof outcome === "string" ? outcome : "";
  if (!yv) return "";
  const xs = Array.isArray(v._regressors) ? v._regressors : [];
  const fe = kind !== "binary" && Array.isArray(v._fe) ? v._fe : [];
  // Names that are not plain identifiers (ln gdp, ire-index) are written in backticks, as R does.
  return `${quoteName(yv)} ~ ${xs.length ? xs.map(quoteName).join(" + ") : "1"}${fe.length ? ` | ${fe.map(quoteName).join(" + ")}` : ""}`;
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
    // Required unless its alternative is a field of this form that is shown and filled.
    const alternative = f.requiredUnless === undefined ? undefined : a.fields.find((g) => g.key === f.requiredUnless && visible(g, v));
    if ((f.required || (f.requiredUnless !== undefined && (alternative === undefined || empty(v[alternative.key])))) && empty(x)) {
      const what = f.kind === "column" ? `Choose the ${f.label.toLowerCase()} column.` : `Fill in “${f.label}”.`;
      return { field: f.key, message: what };
    }
    if (f.kind === "column" && typeof x === "string" && x && !names.has(x)) return { field: f.key, message: `The data has no column “${x}”.` };
    if (f.kind === "int" && typeof x === "string" && x.trim() && !/^-?\d+$/.test(x.trim())) {
      return { field: f.key, message: `“${f.label}” must be a whole number, not “${x}”.` };
    }
    if (f.kind === "number" && typeof x === "string" && x.trim() && !Number.isFinite(Number(x.trim()))) {
      return { field: f.key, message: `“${f.label}” must be a number, not “${x}”.` };
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
    if (f.kind === "flag") {
      // What the checkbox shows is what runs: sent only when it differs from the schema's default.
      const on = typeof x === "boolean" ? x : !!f.flagDefault;
      if (on !== !!f.flagDefault) o[f.key] = on;
      continue;
    }
    if (empty(x)) continue;
    if (f.kind === "columns") o[f.key] = [...(x as string[])];
    else if (f.kind === "int" || f.kind === "number") o[f.key] = Number((x as string).trim());
    else o[f.key] = (x as string).trim();
  }
  return o;
}

/** The equivalent command line, for reproducing the result outside the browser (the library's writer),
 *  run through npx so that it works in any folder where the package is installed (or fetches it). */
export function commandLine(command: string, file: string, options: Record<string, unknown>): string {
  const { delimiter, ...rest } = options;
  return `npx ${sharedCommandLine(command, file, rest, delimiter === undefined ? [] : ["--delimiter", shellQuote(String(delimiter))])}`;
}
