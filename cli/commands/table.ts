// didwasm table FIT1.json FIT2.json ... [--se | --t] [--format text|markdown|latex|html|csv] [--labels labels.json]
//   [--keep a,b] [--drop c] [--titles "(1),(2)"] [--fe-labels "控制,未控制"] [--row "label=v1,v2"]
//   [--diff-p bdiff.json [--diff-cols 1:2]] [--stats nobs,r2,r2_within,adj_r2] [--digits 3] [--out FILE]
import type { Command } from "commander";
import { tableFromJson } from "../../bindings/commands/table.js";
import type { Io } from "../io.js";
import { list, oneOf, positiveInteger } from "../options.js";
import { outputFormat, readJsonFile, readLabels, writeOut } from "../table-io.js";

/** Flags of every command that writes a table. */
export interface TableFlags {
  [key: string]: unknown;
  format?: string;
  out?: string;
  labels?: string;
  caption?: string;
  note?: string[];
  standalone?: boolean;
  bom?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const digits = (flag: string) => (v: string) => (v === "0" ? 0 : positiveInteger(flag)(v));

export function tableFlags(cmd: Command): Command {
  return cmd
    .option("--format <fmt>", "text, markdown, latex, html or csv (default: from --out's extension, else text)", oneOf("--format", ["text", "markdown", "latex", "html", "csv"] as const))
    .option("--out <file>", "write the table to this file instead of printing it")
    .option("--labels <file.json>", 'display names, a JSON object such as {"did": "智慧城市试点"}')
    .option("--caption <text>", "table caption")
    .option("--note <text>", "a note under the table (repeatable)", collect)
    .option("--standalone", "latex: a complete document (loads ctex for Chinese; compile with xelatex); html: a whole page with <meta charset>")
    .option("--bom", "csv: start with a UTF-8 byte-order mark (default when the table has non-ASCII text, for Excel)")
    .option("--no-bom", "csv: never write a byte-order mark");
}

interface Flags extends TableFlags {
  se?: boolean;
  t?: boolean;
  keep?: string[];
  drop?: string[];
  titles?: string[];
  feLabels?: string;
  fe?: boolean;
  depvar?: boolean;
  row?: string[];
  diffP?: string[];
  diffCols?: string;
  stats?: string[];
  digits?: number;
  statsDigits?: number;
  defaultNotes?: boolean;
}

export function registerTable(program: Command, io: Io): void {
  tableFlags(
    program
      .command("table")
      .description("regression table from saved --json outputs of fit, eventstudy, did2s, sunab (one column per model)")
      .argument("<files...>", "JSON files written by `didwasm <command> ... --json`")
      .option("--se", "standard errors in parentheses (default)")
      .option("--t", "t statistics in parentheses")
      .option("--keep <a,b>", "coefficients shown, in this order (* matches anything, e.g. rel::*)", list)
      .option("--drop <a,b>", "coefficients left out", list)
      .option("--titles <list>", 'column titles (default "(1),(2),...")', list)
      .option("--fe-labels <in,out>", 'words for a fixed effect in or out of a model (default "Yes,No"; e.g. "控制,未控制")')
      .option("--no-fe", "no fixed-effect rows")
      .option("--no-depvar", "no row of outcome names")
      .option("--row <label=v1,v2,...>", "an extra row, one value per model (repeatable)", collect)
      .option("--diff-p <bdiff.json>", "a group-difference p-value row from bdiff's --json (repeatable)", collect)
      .option("--diff-cols <a:b,...>", "model columns each --diff-p spans (default 1:2, 3:4, ...)")
      .option("--no-default-notes", "leave out the notes on parentheses and stars (write your own with --note)")
      .option("--stats <list>", "statistics rows among nobs, r2, r2_within, adj_r2 (default nobs,r2,r2_within)", list)
      .option("--digits <n>", "decimals of estimates and standard errors (default 3)", digits("--digits"))
      .option("--stats-digits <n>", "decimals of R² and p-values (default 3)", digits("--stats-digits")),
  ).action((files: string[], o: Flags) => {
    const models = files.map((f) => readJsonFile(f, "model file"));
    const diffs = (o.diffP ?? []).map((f) => readJsonFile(f, "--diff-p file"));
    const labels = o.labels ? readLabels(o.labels) : undefined;
    const { text } = tableFromJson(models, { ...o, format: outputFormat(o.format, o.out), labels }, diffs);
    if (o.out) writeOut(o.out, text);
    else io.out(text);
  });
}
