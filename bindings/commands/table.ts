// The table command: a regression table from saved model JSON (the --json output of fit, eventstudy,
// did2s, sunab; or Fit objects), with group-difference p-values from bdiff JSON. It reads no data set, so it
// is not in the command registry: the CLI reads the files and calls this, as can a web page. Its options are
// declared once here, with the shared table output options.
import { DidwasmError } from "../errors.js";
import type { Table } from "../present/tables/model.js";
import { groupDiffFrom, modelColumns, regressionTable, STAT_KEYS, type StatKey, type TableRowSpec } from "../present/tables/regression-table.js";
import { opt } from "./schema/define.js";
import { keyName, parseOptions, type Naming } from "./schema/parse.js";
import type { Options } from "./types.js";
import { tableOutput, tableOutputText, type TableOutputFormat } from "./table-options.js";

/** A parsed JSON document and where it came from (a file name), for messages. */
export interface NamedJson {
  readonly name: string;
  readonly json: unknown;
}

export const tableOptions = {
  se: opt.flag({ label: "Standard errors", help: "standard errors in parentheses (the default)" }),
  t: opt.flag({ label: "t statistics", help: "t statistics in parentheses instead", appliesWhen: (o) => (o.se === true ? "cannot be given with {se}" : null) }),
  keep: opt.texts({ label: "Keep", help: "coefficients shown, in this order, comma-separated (* matches anything, e.g. rel::*)", valueName: "a,b" }),
  drop: opt.texts({ label: "Drop", help: "coefficients left out, comma-separated", valueName: "a,b" }),
  titles: opt.texts({ label: "Titles", help: 'column titles, comma-separated (default "(1),(2),...")', valueName: "list" }),
  feLabels: opt.text({ label: "Fixed-effect words", help: 'words for a fixed effect in or out of a model, e.g. "Yes,No" or "控制,未控制"', defaultText: "Yes,No", valueName: "in,out" }),
  fe: opt.flag({ label: "Fixed-effect rows", help: "rows saying which fixed effects each model has (--no-fe: none)", default: true, negatable: true }),
  depvar: opt.flag({ label: "Outcome row", help: "a row of outcome names (--no-depvar: none)", default: true, negatable: true }),
  row: opt.texts({ label: "Extra row", help: "an extra row, one value per model (repeatable)", valueName: "label=v1,v2,..." }),
  diffCols: opt.text({ label: "Difference columns", help: "model columns each --diff-p spans, 1-based", defaultText: "1:2,3:4,...", valueName: "a:b,..." }),
  defaultNotes: opt.flag({ label: "Default notes", help: "the notes on parentheses and stars (--no-default-notes: leave them out and write your own with --note)", default: true, negatable: true }),
  stats: opt.texts({ label: "Statistics", help: "statistics rows among nobs, r2, r2_within, adj_r2, comma-separated", defaultText: "nobs,r2,r2_within", valueName: "list" }),
  digits: opt.integer({ label: "Decimals", help: "decimals of estimates and standard errors", default: 3, min: 0, max: 12 }),
  statsDigits: opt.integer({ label: "Statistic decimals", help: "decimals of R² and p-values", default: 3, min: 0, max: 12 }),
  ...tableOutput,
};

/** "1:2,3:4" (1-based model columns, one pair per group difference). */
function diffColumns(v: string | undefined, naming: Naming): Array<[number, number]> | undefined {
  if (v === undefined) return undefined;
  return v.split(",").map((part) => {
    const m = /^\s*(\d+)\s*[:-]\s*(\d+)\s*$/.exec(part);
    if (!m) throw new DidwasmError("BAD_OPTION", `${naming("diffCols")} must look like 1:2,3:4, got ${JSON.stringify(v)}`, { option: naming("diffCols") });
    return [Number(m[1]), Number(m[2])];
  });
}

/** "label=v1,v2,v3": one value per model. */
function extraRow(spec: string, naming: Naming): TableRowSpec {
  const i = spec.lastIndexOf("=");
  if (i <= 0) throw new DidwasmError("BAD_OPTION", `${naming("row")} must look like "label=value1,value2", got ${JSON.stringify(spec)}`, { option: naming("row") });
  return { label: spec.slice(0, i).trim(), values: spec.slice(i + 1).split(",").map((s) => s.trim()) };
}

const commaList = (v: readonly string[] | undefined) => v?.flatMap((s) => s.split(",").map((x) => x.trim()).filter((x) => x.length > 0));

/** Renders the table from the models' JSON and the options (keys as in tableOptions): its text (empty for
 *  docx, a file the caller writes from the model; an RTF document for rtf) and its model. */
export function tableFromJson(models: readonly NamedJson[], raw: Options = {}, diffs: readonly NamedJson[] = [], naming: Naming = keyName): { text: string; format: TableOutputFormat; table: Table } {
  if (models.length === 0) throw new DidwasmError("BAD_OPTION", "give at least one model JSON file");
  const o = parseOptions(tableOptions, raw, naming).values;
  const stats = commaList(o.stats);
  const unknownStat = stats?.find((s) => !(STAT_KEYS as readonly string[]).includes(s));
  if (unknownStat !== undefined) throw new DidwasmError("BAD_OPTION", `${naming("stats")} names "${unknownStat}"; statistics: ${STAT_KEYS.join(", ")}`, { option: naming("stats") });
  const columns = models.flatMap((m) => modelColumns(m.json, m.name));
  const cols = diffColumns(o.diffCols, naming);
  if (cols && cols.length !== diffs.length) {
    throw new DidwasmError("BAD_OPTION", `${naming("diffCols")} gives ${cols.length} column pair${cols.length === 1 ? "" : "s"} for ${diffs.length} --diff-p file${diffs.length === 1 ? "" : "s"}`, { option: naming("diffCols") });
  }
  if (cols === undefined && o.diffCols !== undefined) throw new DidwasmError("BAD_OPTION", `${naming("diffCols")} needs --diff-p files`);
  // A full-width comma (，) separates too, as typed with a Chinese input method.
  const feLabels = o.feLabels?.split(/[,，]/).map((s) => s.trim());
  if (feLabels && feLabels.length !== 2) throw new DidwasmError("BAD_OPTION", `${naming("feLabels")} must be two words, for in and out (e.g. "Yes,No" or "控制,未控制"), got ${JSON.stringify(o.feLabels)}`, { option: naming("feLabels") });
  if (feLabels && !o.fe) throw new DidwasmError("BAD_OPTION", `${naming("feLabels")} cannot be given with --no-fe (there are no fixed-effect rows)`, { option: naming("feLabels") });
  const table = regressionTable(columns, {
    statistic: o.t ? "t" : "se",
    digits: o.digits,
    statsDigits: o.statsDigits,
    labels: o.labels,
    keep: commaList(o.keep),
    drop: commaList(o.drop),
    titles: commaList(o.titles),
    depvar: o.depvar,
    fixef: o.fe,
    feLabels: feLabels as [string, string] | undefined,
    rows: (o.row ?? []).map((r) => extraRow(r, naming)),
    groupDiffs: diffs.map((d, i) => groupDiffFrom(d.json, d.name, cols?.[i])),
    stats: stats as StatKey[] | undefined,
    caption: o.caption,
    notes: o.note,
    defaultNotes: o.defaultNotes,
  });
  return { text: tableOutputText(table, o), format: o.format, table };
}
