// The variable pickers of one analysis, built from its field list (analyses.ts). Values live in one shared
// object, so switching analyses keeps what was chosen (the outcome, the unit, ...).
import type { ColumnSummary } from "../../bindings/web-worker/protocol.js";
import { composeFormula, suits, visible, type Analysis, type Field, type Values } from "./analyses.js";
import { h, type Child } from "./dom.js";

export interface FormHooks {
  /** A value changed; `structural` when fields may appear or disappear (re-render). */
  changed(key: string, structural: boolean): void;
}

const isId = (c: ColumnSummary) => c.kind === "text" || c.integer;

/** What a picker says when no column of the data can play its role. */
const NONE_SUITS: Record<string, string> = {
  numeric: "No numeric column in this data set",
  binary: "No 0/1 or two-valued column in this data set",
  id: "No whole-number or text column in this data set",
};

/** The columns a picker offers: those that suit its role, plus what is already chosen (a choice made for
 *  another analysis stays visible rather than silently replaced). */
function offered(f: Field, columns: readonly ColumnSummary[], chosen: ReadonlySet<string>): ColumnSummary[] {
  return columns.filter((c) => suits(f.prefer, c) || chosen.has(c.name));
}

function typeHint(c: ColumnSummary): string {
  if (c.kind === "text") return "text";
  if (c.binary) return "0/1";
  return c.integer ? "int" : "num";
}

function columnSelect(f: Field, values: Values, columns: readonly ColumnSummary[], hooks: FormHooks): HTMLElement {
  const current = typeof values[f.key] === "string" ? (values[f.key] as string) : "";
  const opt = (c: ColumnSummary) => h("option", { value: c.name, selected: c.name === current }, `${c.name}  (${typeHint(c)})`);
  const list = offered(f, columns, new Set(current ? [current] : []));
  const empty = list.length === 0 && f.prefer ? NONE_SUITS[f.prefer] : null;
  return h(
    "select",
    { id: `f-${f.key}`, name: f.key, onchange: (e: Event) => ((values[f.key] = (e.target as HTMLSelectElement).value), hooks.changed(f.key, true)) },
    h("option", { value: "", selected: current === "" }, empty ?? (f.required ? "Choose a column…" : "None")),
    list.map(opt),
  );
}

function columnChips(f: Field, values: Values, columns: readonly ColumnSummary[], hooks: FormHooks): HTMLElement {
  const chosen = new Set(Array.isArray(values[f.key]) ? (values[f.key] as string[]) : []);
  const box = h("div", { class: "chips", id: `f-${f.key}`, role: "group", "aria-label": f.label });
  const list = offered(f, columns, chosen);
  if (list.length === 0 && f.prefer) box.append(h("span", { class: "help" }, NONE_SUITS[f.prefer]));
  for (const c of list) {
    const on = chosen.has(c.name);
    box.append(
      h(
        "button",
        {
          type: "button", class: `chip${on ? " on" : ""}`, "aria-pressed": on ? "true" : "false", "data-column": c.name, title: `${c.name} (${typeHint(c)})`,
          onclick: () => {
            const list = Array.isArray(values[f.key]) ? [...(values[f.key] as string[])] : [];
            const i = list.indexOf(c.name);
            if (i >= 0) list.splice(i, 1);
            else list.push(c.name);
            values[f.key] = list;
            hooks.changed(f.key, true);
          },
        },
        c.name,
      ),
    );
  }
  return box;
}

function vcovSelect(f: Field, values: Values, columns: readonly ColumnSummary[], hooks: FormHooks): HTMLElement {
  const current = typeof values[f.key] === "string" ? (values[f.key] as string) : "";
  const choices: [string, string][] = [["", f.vcovDefault ?? "Default"], ["iid", "IID (homoskedastic)"], ["hetero", "Heteroskedasticity-robust (HC1)"]];
  for (const c of columns.filter(isId)) choices.push([`cluster:${c.name}`, `Clustered by ${c.name}`]);
  if (current && !choices.some(([v]) => v === current)) choices.push([current, current]);
  return h(
    "select",
    { id: `f-${f.key}`, name: f.key, onchange: (e: Event) => ((values[f.key] = (e.target as HTMLSelectElement).value), hooks.changed(f.key, false)) },
    choices.map(([v, label]) => h("option", { value: v, selected: v === current }, label)),
  );
}

function control(f: Field, values: Values, columns: readonly ColumnSummary[], hooks: FormHooks): HTMLElement {
  const str = typeof values[f.key] === "string" ? (values[f.key] as string) : "";
  switch (f.kind) {
    case "column":
      return columnSelect(f, values, columns, hooks);
    case "columns":
      return columnChips(f, values, columns, hooks);
    case "vcov":
      return vcovSelect(f, values, columns, hooks);
    case "formula":
      return h("textarea", {
        id: `f-${f.key}`, name: f.key, rows: 2, spellcheck: "false", class: "mono", value: str, placeholder: "y ~ x1 + x2 | unit + year",
        oninput: (e: Event) => ((values[f.key] = (e.target as HTMLTextAreaElement).value), (values._formulaEdited = true), hooks.changed(f.key, false)),
      });
    case "choice":
      return h(
        "select",
        { id: `f-${f.key}`, name: f.key, onchange: (e: Event) => ((values[f.key] = (e.target as HTMLSelectElement).value), hooks.changed(f.key, true)) },
        (f.choices ?? []).map((c) => h("option", { value: c.value, selected: c.value === (str || f.choiceDefault || f.choices![0].value) }, c.label)),
      );
    case "flag":
      return h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", id: `f-${f.key}`, name: f.key, checked: typeof values[f.key] === "boolean" ? values[f.key] : f.flagDefault === true, onchange: (e: Event) => ((values[f.key] = (e.target as HTMLInputElement).checked), hooks.changed(f.key, true)) }),
        h("span", null, f.label),
      );
    case "term": {
      const terms = Array.isArray(values._regressors) ? (values._regressors as string[]) : [];
      const list = str && !terms.includes(str) ? [str, ...terms] : terms;
      return h(
        "select",
        { id: `f-${f.key}`, name: f.key, onchange: (e: Event) => ((values[f.key] = (e.target as HTMLSelectElement).value), hooks.changed(f.key, false)) },
        h("option", { value: "", selected: !str }, "Choose a regressor…"),
        list.map((t) => h("option", { value: t, selected: t === str }, t)),
      );
    }
    default:
      return h("input", {
        id: `f-${f.key}`, name: f.key, type: "text", value: str, placeholder: f.placeholder ?? "", inputmode: f.kind === "int" ? "numeric" : undefined, spellcheck: "false",
        oninput: (e: Event) => ((values[f.key] = (e.target as HTMLInputElement).value), hooks.changed(f.key, f.key === "bootstrap")),
      });
  }
}

function fieldRow(f: Field, values: Values, columns: readonly ColumnSummary[], hooks: FormHooks): HTMLElement {
  const input = control(f, values, columns, hooks);
  if (f.kind === "flag") return h("div", { class: "field", "data-field": f.key }, input, f.help && h("p", { class: "help" }, f.help));
  return h(
    "div",
    { class: "field", "data-field": f.key },
    h("label", { for: `f-${f.key}` }, f.label, f.required ? null : h("span", { class: "opt" }, " optional")),
    input,
    f.help && h("p", { class: "help" }, f.help),
  );
}

/** Renders the fields of `a`. The model builder rewrites the formula unless the user edited it by hand. */
export function renderForm(host: HTMLElement, a: Analysis, values: Values, columns: readonly ColumnSummary[], hooks: FormHooks): void {
  if (a.builder && !values._formulaEdited) values.formula = composeFormula(values, a.builder);
  const main: Child[] = [];
  const more: Child[] = [];
  for (const f of a.fields) {
    if (!visible(f, values)) continue;
    (f.advanced ? more : main).push(fieldRow(f, values, columns, hooks));
  }
  const wasOpen = host.querySelector("details.more")?.hasAttribute("open") ?? false;
  host.replaceChildren(
    ...(main as Node[]),
    ...(more.length ? [h("details", { class: "more", open: wasOpen }, h("summary", null, "More options"), ...(more as Node[]))] : []),
  );
}
