// didwasm describe DATA [--vars a,b] [--by G] [--percentiles 25,50,75] [--format text|markdown|latex|html|csv]
//   [--labels labels.json] [--group-labels "0=A,1=B"] [--headers "Variable,N,..."] [--digits 3] [--out FILE] [--json]
import type { Command } from "commander";
import type { Io } from "../io.js";
import { DATA_ARGUMENT_HELP, list, oneOf, positiveInteger } from "../options.js";
import { runCommand } from "../run-command.js";
import { outputFormat, readLabels, writeOut } from "../table-io.js";
import { tableFlags, type TableFlags } from "./table.js";

interface Flags extends TableFlags {
  vars?: string[];
  by?: string;
  percentiles?: string;
  groupLabels?: string;
  headers?: string[];
  layout?: "wide" | "long";
  delimiter?: string;
  json?: boolean;
}

export function registerDescribe(program: Command, io: Io): void {
  tableFlags(
    program
      .command("describe")
      .description("descriptive statistics (N, mean, SD, min, max, percentiles), optionally by group, as a table")
      .argument("<data>", DATA_ARGUMENT_HELP)
      .option("--vars <a,b>", "variables to describe, in order (default: every numeric column)", list)
      .option("--by <column>", "describe within each value of this column")
      .option("--percentiles <list>", "percentiles to add, e.g. 25,50,75 (Stata's summarize, detail definition)")
      .option("--group-labels <v=label,...>", 'names of the --by values, e.g. "0=Inland,1=Coastal"')
      .option("--headers <list>", "column headings: variable, N, mean, SD, min, max, percentiles (e.g. 变量,样本量,均值,标准差,最小值,最大值)", list)
      .option("--layout <how>", "grouped output: wide (groups side by side) or long (one block per group)", oneOf("--layout", ["wide", "long"] as const))
      .option("--digits <n>", "decimals (default 3)", positiveIntegerOrZero)
      .option("--delimiter <char>", "CSV field separator (default ,)")
      .option("--json", "print the statistics as JSON"),
  ).action(async (data: string, o: Flags) => {
    const opts = { ...o, format: outputFormat(o.format, o.out), labels: o.labels ? readLabels(o.labels) : undefined };
    if (!o.out) return runCommand(io, "describe", data, opts);
    let text = "";
    await runCommand({ out: (t) => (text += t), err: (t) => io.err(t) }, "describe", data, opts);
    writeOut(o.out, text);
  });
}

const positiveIntegerOrZero = (v: string) => (v === "0" ? 0 : positiveInteger("--digits")(v));
