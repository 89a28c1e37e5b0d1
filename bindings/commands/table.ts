// The table command: a regression table from saved model JSON (the --json output of fit, eventstudy,
// did2s, sunab; or Fit objects), with group-difference p-values from bdiff JSON. It reads no data set,
// so it is not in the command registry: the CLI reads the files and calls this, as can a web page.
import { DidwasmError } from "../errors.js";
import { groupDiffFrom, modelColumns, renderRegressionTable, type TableRowSpec } from "../present/tables/regression-table.js";
import type { TableFormat } from "../present/tables/render.js";
import { bool, int, list, str } from "./options.js";
import { formatOf, labelMap, renderOptions, strings } from "./table-options.js";
import type { Options } from "./types.js";

/** A parsed JSON document and where it came from (a file name), for messages. */
export interface NamedJson {
  readonly name: string;
  readonly json: unknown;
}

/** "1:2,3:4" (1-based model columns, one pair per group difference). */
function diffColumns(o: Options): Array<[number, number]> | undefined {
  const v = str(o, "diffCols");
  if (v === undefined || v === "") return undefined;
  return v.split(",").map((part) => {
    const m = /^\s*(\d+)\s*[:-]\s*(\d+)\s*$/.exec(part);
    if (!m) throw new DidwasmError("BAD_OPTION", `--diff-cols must look like 1:2,3:4, got ${JSON.stringify(v)}`, { option: "--diff-cols" });
    return [Number(m[1]), Number(m[2])];
  });
}

/** "label=v1,v2,v3": one value per model. */
function extraRow(spec: string): TableRowSpec {
  const i = spec.lastIndexOf("=");
  if (i <= 0) throw new DidwasmError("BAD_OPTION", `--row must look like "label=value1,value2", got ${JSON.stringify(spec)}`, { option: "--row" });
  return { label: spec.slice(0, i).trim(), values: spec.slice(i + 1).split(",").map((s) => s.trim()) };
}

function statistic(o: Options): "se" | "t" {
  const se = bool(o, "se");
  const t = bool(o, "t");
  if (se && t) throw new DidwasmError("BAD_OPTION", "give --se or --t, not both", { option: "--t" });
  const s = str(o, "statistic");
  if (s !== undefined && s !== "se" && s !== "t") throw new DidwasmError("BAD_OPTION", `--statistic must be se or t, got ${JSON.stringify(s)}`, { option: "--statistic" });
  return t ? "t" : se ? "se" : ((s as "se" | "t" | undefined) ?? "se");
}

export function tableFromJson(models: readonly NamedJson[], o: Options = {}, diffs: readonly NamedJson[] = []): { text: string; format: TableFormat } {
  if (models.length === 0) throw new DidwasmError("BAD_OPTION", "give at least one model JSON file");
  const columns = models.flatMap((m) => modelColumns(m.json, m.name));
  const cols = diffColumns(o);
  if (cols && cols.length !== diffs.length) {
    throw new DidwasmError("BAD_OPTION", `--diff-cols gives ${cols.length} column pair${cols.length === 1 ? "" : "s"} for ${diffs.length} --diff-p file${diffs.length === 1 ? "" : "s"}`, { option: "--diff-cols" });
  }
  // A full-width comma (，) separates too, as typed with a Chinese input method.
  const feLabels = typeof o.feLabels === "string" ? o.feLabels.split(/[,，]/).map((s) => s.trim()) : list(o, "feLabels");
  if (feLabels && feLabels.length !== 2) throw new DidwasmError("BAD_OPTION", `--fe-labels must be two words, for in and out (e.g. "Yes,No" or "控制,未控制"), got ${JSON.stringify(o.feLabels)}`, { option: "--fe-labels" });
  const format = formatOf(o);
  const stats = list(o, "stats");
  const text = renderRegressionTable(
    columns,
    {
      ...renderOptions(o),
      statistic: statistic(o),
      digits: int(o, "digits", 0),
      statsDigits: int(o, "statsDigits", 0),
      labels: labelMap(o, "labels"),
      keep: list(o, "keep"),
      drop: list(o, "drop"),
      titles: list(o, "titles"),
      depvar: o.depvar === undefined ? true : bool(o, "depvar"),
      fixef: o.fe === undefined ? true : bool(o, "fe"),
      feLabels: feLabels as [string, string] | undefined,
      rows: strings(o, "row").map(extraRow),
      groupDiffs: diffs.map((d, i) => groupDiffFrom(d.json, d.name, cols?.[i])),
      stats: stats as never,
      caption: str(o, "caption"),
      notes: strings(o, "note"),
      defaultNotes: o.defaultNotes === undefined ? true : bool(o, "defaultNotes"),
    },
    format,
  );
  return { text, format };
}
