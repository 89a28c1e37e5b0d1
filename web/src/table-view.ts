// The Table tab: the results added so far as one regression table (a column per model), its choices
// (standard errors or t statistics, column titles, caption), its downloads and the `didwasm table` command
// that writes it from the results' JSON files.
import { h } from "./dom.js";
import { columnCount, renderModelTable, tableCommandLine, type ModelTableChoices, type TableEntry } from "./model-table.js";

export type TableDownload = "latex" | "csv" | "html" | "docx";

export interface TableViewHooks {
  readonly choices: ModelTableChoices;
  setChoices(c: ModelTableChoices): void;
  remove(index: number): void;
  clear(): void;
  download(format: TableDownload): void;
  /** Saves one entry's model JSON under its name (what `didwasm table` reads). */
  saveJson(index: number): void;
}

/** The presenter's HTML table as a DOM node (its text is escaped by the presenter; event attributes are
 *  dropped all the same). */
function tableNode(html: string): Element {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const t = doc.querySelector("table");
  if (!t) return h("p", { class: "help" }, "The table could not be displayed.");
  for (const el of [t, ...t.querySelectorAll("*")]) for (const a of [...el.attributes]) if (/^on/i.test(a.name)) el.removeAttribute(a.name);
  return document.importNode(t, true);
}

export function renderTableView(entries: readonly TableEntry[], hooks: TableViewHooks): HTMLElement {
  if (entries.length === 0) {
    return h("div", { class: "card", id: "model-table-empty" }, h("h2", null, "Regression table"),
      h("p", { class: "help" }, "Run a regression (or an event study, Sun-Abraham, two-stage DID, logit, PSM-DID), then press “Add to regression table”. Each result becomes a column."));
  }
  const c = hooks.choices;
  const set = (patch: Partial<ModelTableChoices>) => hooks.setChoices({ ...c, ...patch });
  let body: Element;
  let cli = "";
  try {
    body = h("div", { class: "scroll-x model-table" }, tableNode(renderModelTable(entries, c, "html")));
    cli = tableCommandLine(entries, c, "latex");
  } catch (e) {
    body = h("div", { class: "alert error", id: "model-table-error", role: "alert" }, h("span", null, (e as Error).message));
  }
  const columns = entries.reduce((n, e) => n + columnCount(e), 0);
  const btn = (label: string, format: TableDownload, id: string) => h("button", { type: "button", class: "btn small", id, onclick: () => hooks.download(format) }, label);
  return h("div", { class: "card", id: "model-table" },
    h("div", { class: "card-head result-head" },
      h("div", null, h("h2", null, "Regression table"), h("p", { class: "meta" }, `${columns} column${columns === 1 ? "" : "s"} from ${entries.length} result${entries.length === 1 ? "" : "s"}`)),
      h("div", { class: "downloads", role: "group", "aria-label": "Downloads" },
        h("span", { class: "dl-label" }, "Download"),
        btn("Word", "docx", "mt-docx"), btn("LaTeX", "latex", "mt-latex"), btn("CSV", "csv", "mt-csv"), btn("HTML", "html", "mt-html"))),
    h("div", { class: "mt-controls" },
      h("label", null, "In parentheses ",
        h("select", { id: "mt-statistic", onchange: (e: Event) => set({ statistic: (e.target as HTMLSelectElement).value as "se" | "t" }) },
          h("option", { value: "se", selected: c.statistic === "se" }, "Standard errors"),
          h("option", { value: "t", selected: c.statistic === "t" }, "t statistics"))),
      h("label", null, "Column titles ",
        h("input", { type: "text", id: "mt-titles", value: c.titles, placeholder: "(1),(2),… — comma-separated", onchange: (e: Event) => set({ titles: (e.target as HTMLInputElement).value }) })),
      h("label", null, "Caption ",
        h("input", { type: "text", id: "mt-caption", value: c.caption, placeholder: "none", onchange: (e: Event) => set({ caption: (e.target as HTMLInputElement).value }) }))),
    body,
    h("ol", { class: "mt-entries", id: "mt-entries" }, entries.map((e, i) =>
      h("li", null, h("span", null, e.label), " ", h("code", { class: "mono" }, e.name), " ",
        h("button", { type: "button", class: "btn small", "data-json": String(i), title: `Save as ${e.name}`, onclick: () => hooks.saveJson(i) }, "JSON"),
        h("button", { type: "button", class: "btn small", "data-remove": String(i), title: "Remove this column", onclick: () => hooks.remove(i) }, "Remove")))),
    h("div", { class: "row-actions" }, h("button", { type: "button", class: "btn small", id: "mt-clear", onclick: hooks.clear }, "Clear the table")),
    cli ? h("div", { class: "cli-block" }, h("h3", null, "The same table on the command line"),
      h("p", { class: "help" }, "Save each column's JSON (the JSON buttons above), then:"),
      h("div", { class: "cli" }, h("code", { class: "mono", id: "mt-cli" }, cli))) : null,
  );
}
