// The page's multi-column regression table: results added one by one become the table's columns, rendered by
// the same presenter as `didwasm table` (bindings/commands/table.ts: tableFromJson, with its option names and
// checks), so the page's table, its downloads and the command line agree.
import { optionFlags, shellQuote } from "../../bindings/commands/command-line.js";
import { tableFromJson, tableOptions, type NamedJson } from "../../bindings/commands/table.js";
import { modelColumns } from "../../bindings/present/tables/regression-table.js";
import type { Table } from "../../bindings/present/tables/model.js";
import type { TableFormat } from "../../bindings/present/tables/render.js";

/** One added result: its model JSON and the file name it would be saved under (`didwasm table` reads files). */
export interface TableEntry {
  readonly name: string;
  readonly json: unknown;
  /** Where it came from, for the list of columns (e.g. "Regression (fixed effects): ire ~ did | city + year"). */
  readonly label: string;
}

export interface ModelTableChoices {
  /** Beneath each estimate: standard errors (default) or t statistics. */
  readonly statistic: "se" | "t";
  readonly caption: string;
  /** Column titles, comma-separated ("" = (1), (2), ...). */
  readonly titles: string;
}

export const DEFAULT_CHOICES: ModelTableChoices = { statistic: "se", caption: "", titles: "" };

/** The model JSON a result contributes as table columns, or null: any JSON the presenter reads as a model
 *  (coefficients, or several models), and for PSM-DID the DID on the matched panel. */
export function tableModel(command: string, json: Record<string, unknown>): unknown | null {
  const candidate = command === "psm" ? json.did : json;
  try {
    return modelColumns(candidate).length > 0 ? candidate : null;
  } catch {
    return null;
  }
}

/** A file name not yet taken by an entry: "castle-fit.json", then "castle-fit-2.json", ... */
export function uniqueName(base: string, entries: readonly TableEntry[]): string {
  const taken = new Set(entries.map((e) => e.name));
  for (let i = 1; ; i++) {
    const name = `${base}${i === 1 ? "" : `-${i}`}.json`;
    if (!taken.has(name)) return name;
  }
}

/** How many columns an entry adds (a multi-model fit adds one per model). */
export const columnCount = (e: TableEntry) => modelColumns(e.json, e.name).length;

/** The `didwasm table` options of the page's choices. */
export function choiceOptions(c: ModelTableChoices, format?: TableFormat | "docx"): Record<string, unknown> {
  const o: Record<string, unknown> = format ? { format } : {};
  if (c.statistic === "t") o.t = true;
  if (c.caption.trim()) o.caption = c.caption.trim();
  if (c.titles.trim()) o.titles = [c.titles.trim()];
  return o;
}

/** The table in a format, exactly as `didwasm table FILES... --format FORMAT` writes it. */
export function renderModelTable(entries: readonly TableEntry[], c: ModelTableChoices, format: TableFormat): string {
  const models: NamedJson[] = entries.map((e) => ({ name: e.name, json: e.json }));
  return tableFromJson(models, choiceOptions(c, format)).text;
}

/** The table's model, as `didwasm table ... --format docx` lays it out (for the Word download). */
export function modelTableModel(entries: readonly TableEntry[], c: ModelTableChoices): Table {
  return tableFromJson(entries.map((e) => ({ name: e.name, json: e.json })), choiceOptions(c, "docx")).table;
}

/** The command that writes the same table from the results' JSON files (each result's "JSON" download). */
export function tableCommandLine(entries: readonly TableEntry[], c: ModelTableChoices, format: TableFormat | "docx"): string {
  // Word is a file: the CLI writes it with --out (the format follows from the extension).
  const flags = format === "docx" ? [...optionFlags(choiceOptions(c), tableOptions), "--out", "regression-table.docx"] : optionFlags(choiceOptions(c, format === "text" ? undefined : format), tableOptions);
  return ["npx", "didwasm", "table", ...entries.map((e) => shellQuote(e.name)), ...flags].join(" ");
}
