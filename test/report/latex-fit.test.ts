// The pieces that make the report's tables fit and read well, one by one: width estimates, the landscape
// decision, the LaTeX options a report uses (scaled box, landscape page, wrapped column titles), math
// symbols, and table numbers that never use scientific notation.
import { describe, expect, it } from "vitest";
import { escapeLatex, renderLatex, wrapWords } from "../../bindings/present/tables/latex.js";
import { cell, checkTable, row, type Table } from "../../bindings/present/tables/model.js";
import { tableNumber, tableP } from "../../bindings/present/tables/numbers.js";
import { CM_METRICS, SANS_METRICS, longestWordEm, tableWidthEm, textEm } from "../../bindings/present/tables/width.js";
import { landscapeFor, latexTableWidthPt } from "../../bindings/report/latex.js";

/** A regression-like table: a label column and k model columns with long titles. */
function wide(k: number, rows = 6, notes: string[] = []): Table {
  return checkTable({
    align: ["l", ...Array.from({ length: k }, () => "c" as const)],
    header: [{ cells: [cell(""), ...Array.from({ length: k }, (_, j) => cell(`Manufacturing agglomeration ${j + 1}`))] }],
    body: Array.from({ length: rows }, (_, i) => row([`Smart-city pilot (DID) × regressor ${i}`, ...Array.from({ length: k }, () => cell("-0.123", { sup: "***" }))])),
    notes,
    caption: "A wide table",
  });
}

describe("width estimates", () => {
  it("count characters by class: digits, letters, spaces, CJK", () => {
    // "0.5" = two digits and a point; "Ab" = a capital and a lower-case letter; 中 is one em.
    expect(textEm("0.5", SANS_METRICS)).toBeCloseTo(2 * 0.64 + 0.42, 10);
    expect(textEm("Ab", CM_METRICS)).toBeCloseTo(0.72 + 0.5, 10);
    expect(textEm("中文", SANS_METRICS)).toBe(2);
    expect(longestWordEm("a bb ccc", CM_METRICS)).toBeCloseTo(1.5, 10);
  });

  it("wrapping header cells and row labels narrows a table; each column adds its padding", () => {
    const t = wide(3);
    const base = { metrics: SANS_METRICS, paddingEm: 1.4 };
    const nowrap = tableWidthEm(t, { ...base, wrapHeader: false, wrapStub: false });
    const wrapped = tableWidthEm(t, { ...base, wrapHeader: true, wrapStub: true });
    expect(wrapped).toBeLessThan(nowrap * 0.6);
    // Label column: its longest word, "Smart-city"; model columns: the longest word of their titles, "Manufacturing".
    const stub = textEm("Smart-city", SANS_METRICS);
    const model = Math.max(textEm("Manufacturing", SANS_METRICS), textEm("-0.123***", SANS_METRICS));
    expect(wrapped).toBeCloseTo(stub + 3 * model + 4 * 1.4, 10);
  });

  it("a spanning cell wider than the columns under it widens them", () => {
    const t = checkTable({ align: ["l", "c", "c"], header: [{ cells: [cell(""), cell("A very long spanning title", { span: 2 })] }], body: [row(["x", "1", "2"])], notes: [] });
    const o = { metrics: CM_METRICS, paddingEm: 1, wrapHeader: false, wrapStub: false };
    expect(tableWidthEm(t, o)).toBeCloseTo(textEm("x", CM_METRICS) + textEm("A very long spanning title", CM_METRICS) + 2, 10);
  });
});

describe("landscape pages", () => {
  it("auto turns only tables that portrait would shrink below 80% and landscape shrinks less", () => {
    expect(landscapeFor(wide(2), "auto")).toBe(false);
    expect(latexTableWidthPt(wide(8))).toBeGreaterThan(483.7 / 0.8);
    expect(landscapeFor(wide(8), "auto")).toBe(true);
    // As wide but very long: a landscape page (483.7 pt high) would shrink it more than portrait does.
    expect(landscapeFor(wide(8, 120), "auto")).toBe(false);
    expect(landscapeFor(wide(2), "always")).toBe(true);
    expect(landscapeFor(wide(8), "never")).toBe(false);
  });
});

describe("LaTeX options of the report", () => {
  it("fit: the caption above an adjustbox bounded by the line width and the page height, notes in threeparttable inside it", () => {
    const tex = renderLatex(wide(3, 2, ["A note."]), { fit: true, label: "tab:1" });
    const order = ["\\caption{A wide table}", "\\label{tab:1}", "\\begin{adjustbox}{max width=\\linewidth, max totalheight=\\textheight-4\\baselineskip}", "\\begin{threeparttable}", "\\begin{tabular}", "\\begin{tablenotes}", "\\end{threeparttable}", "\\end{adjustbox}", "\\end{table}"];
    const at = order.map((s) => tex.indexOf(s));
    expect(at.every((p) => p >= 0), tex).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(tex).toContain("\\usepackage{adjustbox}");
  });

  it("landscape: the float inside a landscape environment, its height bounded by the portrait text width", () => {
    const tex = renderLatex(wide(3), { fit: true, landscape: true });
    expect(tex.indexOf("\\begin{landscape}")).toBeLessThan(tex.indexOf("\\begin{table}"));
    expect(tex.indexOf("\\end{table}")).toBeLessThan(tex.indexOf("\\end{landscape}"));
    expect(tex).toContain("max totalheight=\\textwidth-4\\baselineskip");
    expect(tex).toContain("\\usepackage{pdflscape}");
  });

  it("without the options the float is as before (caption inside threeparttable, no box)", () => {
    const tex = renderLatex(wide(3, 2, ["A note."]));
    expect(tex).not.toMatch(/adjustbox|landscape/);
    expect(tex.indexOf("\\begin{threeparttable}")).toBeLessThan(tex.indexOf("\\caption"));
  });

  it("headerWrap sets long column titles in lines of a nested tabular", () => {
    expect(wrapWords("Manufacturing agglomeration 1", 16)).toEqual(["Manufacturing", "agglomeration 1"]);
    const tex = renderLatex(wide(1), { headerWrap: 16 });
    expect(tex).toContain("\\begin{tabular}[b]{@{}c@{}}Manufacturing \\\\ agglomeration 1\\end{tabular}");
  });

  it("≤ ≥ ± × and the minus sign are set as math", () => {
    expect(escapeLatex("t ≤ -5")).toBe("t $\\le$ $-$5");
    expect(escapeLatex("t ≥ +5, beyond ±5, a × b, −1")).toBe("t $\\ge$ +5, beyond $\\pm$5, a $\\times$ b, $-$1");
  });
});

describe("numbers in tables", () => {
  it("fixed decimals, and small numbers with the decimals they need, never e-notation", () => {
    expect(tableNumber(-1.358e-5, 4)).toBe("-0.0000136");
    expect(tableNumber(0.0253, 4)).toBe("0.0253");
    expect(tableNumber(0, 4)).toBe("0.0000");
    expect(tableNumber(1.5e22, 2)).toBe("15000000000000000000000.00");
    expect(tableNumber(2.5e-30, 3)).toBe("0.00000000000000000000");
    expect(tableNumber(NaN)).toBe("");
    for (const x of [1e-7, -3.2e-9, 4.4e21, 123456789.123]) expect(tableNumber(x, 4)).not.toMatch(/e/i);
    expect(tableP(2e-6)).toBe("< 0.0001");
    expect(tableP(0.27712)).toBe("0.2771");
  });
});
