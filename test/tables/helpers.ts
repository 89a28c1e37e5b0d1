// Shared by the table tests: the saved model JSON (see fixtures/make-fixtures.sh), Chinese labels as in the
// seed study's tables, and a small RFC 4180 reader to check CSV output.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { RegressionTableOptions } from "../../bindings/present/tables/regression-table.js";

export const FIXTURES = resolve(__dirname, "fixtures");
export const fixturePath = (name: string) => resolve(FIXTURES, `${name}.json`);
export const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(fixturePath(name), "utf8"));

/** The three baseline columns: pooled OLS (no fixed effects), two-way FE, two-way FE with controls. */
export const baseline = () => ["fit-ols", "fit-twfe", "fit-twfe-controls"].map(fixture);

export const ZH_LABELS: Readonly<Record<string, string>> = {
  did: "智慧城市试点",
  lngdp: "经济发展水平",
  lnfin: "金融发展水平",
  upg: "产业结构升级",
  ire: "创新效率",
  city: "城市固定效应",
  year: "年份固定效应",
  nobs: "观测值",
  group_diff_p: "组间系数差异 p 值",
};

/** The seed study's style: Chinese labels, 控制/未控制, a control-variables row and a Chinese note. */
export const ZH_OPTIONS: RegressionTableOptions = {
  labels: ZH_LABELS,
  feLabels: ["控制", "未控制"],
  caption: "表3 智慧城市试点与创新效率：基准回归",
  rows: [{ label: "控制变量", values: ["未控制", "未控制", "控制"] }],
  keep: ["did", "lngdp"],
  notes: ["注：括号内为聚类到城市层面的稳健标准误；*、**、*** 分别表示在 10%、5%、1% 的水平上显著。"],
  defaultNotes: false,
};

/** Records of an RFC 4180 document (quoted fields with doubled quotes, CRLF or LF line ends). */
export function parseRfc4180(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") continue;
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else field += c;
  }
  if (field !== "" || row.length) row.push(field), rows.push(row);
  return rows;
}
