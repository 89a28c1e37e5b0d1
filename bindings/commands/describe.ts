// didwasm describe: descriptive statistics of a data set, as a table in any of the five formats.
import { describe } from "../estimators/describe.js";
import { info } from "../notes.js";
import { describeTable } from "../present/tables/describe-table.js";
import { opt } from "./schema/define.js";
import { tableOutput, tableOutputText } from "./table-options.js";
import { defineCommand } from "./types.js";

const byOnly = (o: Readonly<Record<string, unknown>>) => (o.by !== undefined ? null : "applies only with --by");

export const describeCommand = defineCommand({
  name: "describe",
  summary: "descriptive statistics (N, mean, SD with n - 1, min, max, Stata-style percentiles), by group side by side",
  example: "--vars ire,lngdp --by east --percentiles 25,50,75 --format latex --out describe.tex",
  phase: "run",
  options: {
    vars: opt.columns({ label: "Variables", help: "variables to describe, in order", defaultText: "every numeric column", web: { prefer: "numeric" } }),
    by: opt.column({ label: "By group", help: "describe within each value of this column", web: { prefer: "id" } }),
    percentiles: opt.numbers({ label: "Percentiles", help: "percentiles to add, e.g. 25,50,75 (Stata's summarize, detail definition)", min: 0, max: 100, web: { placeholder: "25,50,75" } }),
  },
  output: {
    ...tableOutput,
    groupLabels: opt.labels({ label: "Group labels", help: 'names of the --by values, e.g. "0=Inland,1=Coastal"', valueName: "v=label,...", appliesWhen: byOnly }),
    headers: opt.texts({ label: "Headers", help: "column headings: variable, N, mean, SD, min, max, percentiles (e.g. 变量,样本量,均值,标准差,最小值,最大值), comma-separated" }),
    layout: opt.choice(["wide", "long"] as const)({ label: "Layout", help: "grouped output: wide (groups side by side) or long (one block per group)", appliesWhen: byOnly }),
    digits: opt.integer({ label: "Decimals", help: "decimals of the statistics", default: 3, min: 0, max: 12 }),
  },
  async execute(frame, o, _env, out) {
    const r = describe(frame, o);
    const headers = out.headers?.flatMap((h) => h.split(",").map((s) => s.trim()));
    const table = describeTable(r, { labels: out.labels, groupLabels: out.groupLabels, headers, digits: out.digits, layout: out.layout, caption: out.caption, notes: out.note });
    // Word is a file, not text: the CLI writes it from the table model.
    const text = tableOutputText(table, out);
    const { vars, by, groups, percentiles, rows, nrow, byMissing, notes } = r;
    return { json: { vars, by, groups, percentiles, rows, nrow, by_missing: byMissing }, text, tables: () => [table], notes: notes.map((n) => info("data", n)) };
  },
});
