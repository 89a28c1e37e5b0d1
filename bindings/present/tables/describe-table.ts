// The descriptive-statistics table (as a study's "Table 2"): one row per variable with N, mean, SD, min,
// max and any percentiles. Grouped results are laid out side by side under a spanning header per group
// ("wide", the default for up to three groups) or as one block per group under a group title ("long").
import type { DescribeResult, DescribeRow } from "../../estimators/describe.js";
import { percentileKey } from "../../estimators/describe.js";
import { DidwasmError } from "../../errors.js";
import { RULE, cell, checkTable, row, type Align, type BodyRow, type Cell, type Rule, type Table } from "./model.js";
import { renderTable, type RenderOptions, type TableFormat } from "./render.js";

export interface DescribeTableOptions {
  /** Display names of variables and of the by variable (e.g. { ire: "创新效率", east: "东部" }). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Display names of group values (e.g. { "0": "中西部", "1": "东部" }); default "BY = value". */
  readonly groupLabels?: Readonly<Record<string, string>>;
  /** Column headings in order: variable, N, mean, SD, min, max, then the percentiles
   *  (e.g. ["变量", "样本量", "均值", "标准差", "最小值", "最大值"]); missing ones keep the default. */
  readonly headers?: readonly string[];
  /** Decimals of the statistics (default 3). */
  readonly digits?: number;
  readonly layout?: "wide" | "long";
  readonly caption?: string;
  readonly notes?: readonly string[];
}

const STATS = ["n", "mean", "sd", "min", "max"] as const;
const DEFAULT_HEADERS = ["Variable", "N", "Mean", "SD", "Min", "Max"];

export function describeTable(r: DescribeResult, o: DescribeTableOptions = {}): Table {
  const digits = o.digits ?? 3;
  if (!Number.isInteger(digits) || digits < 0 || digits > 12) throw new DidwasmError("BAD_OPTION", `--digits must be a whole number from 0 to 12, got ${JSON.stringify(o.digits)}`, { option: "--digits" });
  const labels = o.labels ?? {};
  const keys: string[] = [...STATS, ...r.percentiles.map(percentileKey)];
  const defaults = [...DEFAULT_HEADERS, ...r.percentiles.map((p) => `p${p}`)];
  if (o.headers && o.headers.length > defaults.length) {
    throw new DidwasmError("BAD_OPTION", `--headers has ${o.headers.length} names for ${defaults.length} columns (${defaults.join(", ")})`, { option: "--headers" });
  }
  const heads = defaults.map((d, i) => o.headers?.[i] || d);
  const statCells = (x: DescribeRow | undefined): Cell[] =>
    keys.map((k) => {
      const v = x ? (x as unknown as Record<string, number>)[k] : NaN;
      return cell(!Number.isFinite(v) ? "" : k === "n" ? String(v) : v.toFixed(digits));
    });
  const m = keys.length;
  const notes = [...r.notes.map((n) => n[0].toUpperCase() + n.slice(1) + "."), ...(o.notes ?? [])];
  const varLabel = (v: string) => labels[v] ?? v;

  if (r.by === null || r.groups === null) {
    const body = r.rows.map((x) => row([varLabel(x.variable), ...statCells(x)], "stat"));
    return checkTable({ align: ["l", ...keys.map(() => "r" as Align)], header: [{ cells: heads.map((h) => cell(h)) }], body, notes, caption: o.caption });
  }
  const by = r.by;
  const groupName = (g: string) => o.groupLabels?.[g] ?? `${labels[by] ?? by} = ${g}`;
  const find = (g: string, v: string) => r.rows.find((x) => x.group === g && x.variable === v);
  const layout = o.layout ?? (r.groups.length <= 3 ? "wide" : "long");
  if (layout === "wide") {
    const header = [
      { cells: [cell(""), ...r.groups.map((g) => cell(groupName(g), { span: m }))], underlineSpans: true },
      { cells: [cell(heads[0]), ...r.groups.flatMap(() => heads.slice(1).map((h) => cell(h)))] },
    ];
    const body = r.vars.map((v) => row([varLabel(v), ...r.groups!.flatMap((g) => statCells(find(g, v)))], "stat"));
    return checkTable({ align: ["l", ...r.groups.flatMap(() => keys.map(() => "r" as Align))], header, body, notes, caption: o.caption });
  }
  if (layout !== "long") throw new DidwasmError("BAD_OPTION", `--layout must be wide or long, got ${JSON.stringify(layout)}`, { option: "--layout" });
  const body: Array<BodyRow | Rule> = [];
  r.groups.forEach((g, i) => {
    if (i > 0) body.push(RULE);
    body.push(row([cell(groupName(g), { span: m + 1, align: "l" })], "group"));
    for (const v of r.vars) body.push(row([varLabel(v), ...statCells(find(g, v))], "stat"));
  });
  return checkTable({ align: ["l", ...keys.map(() => "r" as Align)], header: [{ cells: heads.map((h) => cell(h)) }], body, notes, caption: o.caption });
}

export function renderDescribe(r: DescribeResult, format: TableFormat = "text", o: DescribeTableOptions & RenderOptions = {}): string {
  return renderTable(describeTable(r, o), format, o);
}
