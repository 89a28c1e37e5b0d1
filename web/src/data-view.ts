// The data tab: the columns with their types and summary statistics, and the first rows.
import type { ColumnSummary, DatasetSummary } from "../../bindings/web-worker/protocol.js";
import { h } from "./dom.js";
import { fmtInt, fmtMs, fmtNum } from "./format.js";

function typeBadge(c: ColumnSummary): HTMLElement {
  const [cls, text] = c.kind === "text" ? ["text", "text"] : c.binary ? ["bin", "0/1"] : c.integer ? ["int", "integer"] : ["num", "numeric"];
  return h("span", { class: `badge ${cls}` }, text);
}

export function renderData(d: DatasetSummary): HTMLElement {
  const missingCols = d.columns.filter((c) => c.missing > 0).length;
  const columns = h(
    "table",
    { class: "grid columns-table" },
    h("thead", null, h("tr", null, h("th", null, "Column"), h("th", null, "Type"), h("th", { class: "r" }, "Missing"), h("th", { class: "r" }, "Distinct"),
      h("th", { class: "r" }, "Min"), h("th", { class: "r" }, "Mean"), h("th", { class: "r" }, "Max"))),
    h("tbody", null, d.columns.map((c) => h("tr", null,
      h("td", { class: "name" }, c.name),
      h("td", null, typeBadge(c)),
      h("td", { class: `r${c.missing ? " warn" : ""}` }, c.missing ? fmtInt(c.missing) : "–"),
      h("td", { class: "r" }, `${fmtInt(c.distinct)}${c.distinctCapped ? "+" : ""}`),
      c.kind === "text"
        ? h("td", { colspan: "3", class: "levels" }, (c.levels ?? []).slice(0, 4).join(", ") + (c.distinct > 4 ? ", …" : ""))
        : [h("td", { class: "r" }, fmtNum(c.min)), h("td", { class: "r" }, fmtNum(c.mean)), h("td", { class: "r" }, fmtNum(c.max))],
    ))),
  );
  const preview = h(
    "table",
    { class: "grid preview-table" },
    h("thead", null, h("tr", null, h("th", { class: "rownum" }, "#"), d.columns.map((c) => h("th", null, c.name)))),
    h("tbody", null, d.preview.map((row, i) => h("tr", null, h("td", { class: "rownum" }, String(i + 1)), row.map((cell) => h("td", { class: cell === "" ? "na" : "" }, cell === "" ? "NA" : cell))))),
  );
  return h(
    "div",
    { class: "data-view" },
    h("div", { class: "card" },
      h("div", { class: "card-head" },
        h("h2", null, d.name),
        h("p", { class: "meta", id: "data-meta" }, `${fmtInt(d.nrow)} rows × ${d.columns.length} columns`,
          missingCols ? ` · ${missingCols} column${missingCols > 1 ? "s" : ""} with missing values` : " · no missing values",
          ` · read in ${fmtMs(d.readMs)}`)),
      h("div", { class: "scroll-x" }, preview),
      h("p", { class: "help" }, `First ${d.preview.length} of ${fmtInt(d.nrow)} rows. NA = missing.`)),
    h("div", { class: "card" }, h("div", { class: "card-head" }, h("h2", null, "Columns")), h("div", { class: "scroll-x" }, columns)),
  );
}
