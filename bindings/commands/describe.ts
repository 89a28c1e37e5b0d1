// The describe command: descriptive statistics of a data set, as a table in any of the five formats.
import { describe } from "../estimators/describe.js";
import { renderDescribe } from "../present/tables/describe-table.js";
import { int, list, oneOf, str } from "./options.js";
import { formatOf, labelMap, numList, renderOptions, strings } from "./table-options.js";
import type { CommandSpec } from "./types.js";

export const describeCommand: CommandSpec = {
  name: "describe",
  phase: "run",
  async execute(frame, o) {
    const r = describe(frame, { vars: list(o, "vars"), by: str(o, "by"), percentiles: numList(o, "percentiles") });
    const text = renderDescribe(r, formatOf(o), {
      ...renderOptions(o),
      labels: labelMap(o, "labels"),
      groupLabels: labelMap(o, "groupLabels"),
      headers: list(o, "headers"),
      digits: int(o, "digits", 0),
      layout: oneOf(o, "layout", ["wide", "long"] as const),
      caption: str(o, "caption"),
      notes: strings(o, "note"),
    });
    const { vars, by, groups, percentiles, rows, nrow, byMissing, notes } = r;
    return { json: { vars, by, groups, percentiles, rows, nrow, by_missing: byMissing, notes }, text, warnings: [] };
  },
};
