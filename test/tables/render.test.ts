// The table model's renderers on small hand-made tables: escaping of each format's special characters,
// CJK-aware alignment in text and Markdown, spans, rules and notes, RFC 4180 CSV, and the LaTeX/HTML
// wrappers for Chinese text.
import { describe, expect, it } from "vitest";
import { displayWidth, fmtInt } from "../../bindings/present/format.js";
import { escapeHtml } from "../../bindings/present/tables/html.js";
import { escapeLatex } from "../../bindings/present/tables/latex.js";
import { escapeMarkdown } from "../../bindings/present/tables/markdown.js";
import { RULE, cell, hasCjk, row, type Table } from "../../bindings/present/tables/model.js";
import { formatForPath, renderTable } from "../../bindings/present/tables/render.js";
import { parseRfc4180 } from "./helpers.js";

const NASTY = `R&D 50% a_b <x> "q" 'a' $5 #1 {b} ~ ^ \\ |`;

const spanTable: Table = {
  align: ["l", "r", "r", "r", "r"],
  caption: "表2 描述性统计",
  header: [
    { cells: [cell(""), cell("东部 = 0", { span: 2 }), cell("东部 = 1", { span: 2 })], underlineSpans: true },
    { cells: ["变量", "均值", "标准差", "均值", "标准差"].map((t) => cell(t)) },
  ],
  body: [
    row(["创新效率", "0.527", "0.091", "0.533", "0.103"]),
    row([cell("ire", {}), cell("-0.5", { sup: "***" }), "1.0", cell("2", { sup: "*" }), "3"]),
    RULE,
    row([cell("合计 (all rows)", { span: 5, align: "l" })], "group"),
  ],
  notes: ["注：括号内为标准误。", NASTY],
};

describe("escaping", () => {
  it("LaTeX escapes its specials, sets < > | in math and negative numbers with a minus sign", () => {
    expect(escapeLatex(NASTY)).toBe(
      "R\\&D 50\\% a\\_b $<$x$>$ \"q\" 'a' \\$5 \\#1 \\{b\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} $|$",
    );
    expect(escapeLatex("-0.25 (-1.96) rel::-3 a-b R²")).toBe("$-$0.25 ($-$1.96) rel::-3 a-b R\\textsuperscript{2}");
  });
  it("HTML escapes & < > and both quotes", () => {
    expect(escapeHtml(NASTY)).toBe("R&amp;D 50% a_b &lt;x&gt; &quot;q&quot; &#39;a&#39; $5 #1 {b} ~ ^ \\ |");
  });
  it("Markdown backslash-escapes emphasis, code, HTML and cell separators", () => {
    expect(escapeMarkdown("0.1*** a_b <x> | `c` [l] \\ #")).toBe("0.1\\*\\*\\* a\\_b \\<x\\> \\| \\`c\\` \\[l\\] \\\\ \\#");
  });
  it("every renderer escapes a nasty label", () => {
    const t: Table = { align: ["l", "c"], header: [{ cells: [cell(""), cell("(1)")] }], body: [row([NASTY, "1"])], notes: [] };
    expect(renderTable(t, "latex")).toContain(escapeLatex(NASTY));
    expect(renderTable(t, "html")).toContain(escapeHtml(NASTY));
    expect(renderTable(t, "markdown")).toContain(escapeMarkdown(NASTY));
    expect(parseRfc4180(renderTable(t, "csv"))[1][0]).toBe(NASTY);
    expect(renderTable(t, "text")).toContain(NASTY);
  });
});

describe("text", () => {
  const text = renderTable(spanTable, "text");
  it("aligns columns by display width (a Chinese character takes two cells)", () => {
    const lines = text.trimEnd().split("\n");
    const rules = lines.filter((l) => /^=+$/.test(l));
    expect(rules).toHaveLength(2);
    const width = displayWidth(rules[0]);
    // Rows of right-aligned numbers end at the table's right edge, Chinese or not.
    for (const start of ["变量", "创新效率", "ire"]) {
      const l = lines.find((x) => x.startsWith(start))!;
      expect(displayWidth(l), l).toBe(width);
    }
    // The numbers line up: the column of 0.091 ends where the column of 1.0 ends, whatever the stars.
    const a = lines.find((l) => l.startsWith("创新效率"))!;
    const b = lines.find((l) => l.startsWith("ire"))!;
    expect(displayWidth(a.slice(0, a.indexOf("0.091") + 5))).toBe(displayWidth(b.slice(0, b.indexOf("1.0") + 3)));
  });
  it("writes the caption, a dashed line under spanning cells, rules and notes", () => {
    expect(text.split("\n")[0]).toBe("表2 描述性统计");
    expect(text).toMatch(/\n {2,}-+ {2}-+\n/);
    expect(text.trimEnd().split("\n").slice(-2)).toEqual(["注：括号内为标准误。", NASTY]);
  });
  it("pads stars so numbers with and without them line up", () => {
    const t: Table = { align: ["l", "c"], header: [], body: [row(["a", cell("0.123", { sup: "***" })]), row(["", "(0.010)"]), row(["b", cell("0.5", { sup: "*" })])], notes: [] };
    const lines = renderTable(t, "text").split("\n");
    // Centred column: 0.123 sits over the 0.010 of (0.010), stars hang to the right.
    expect(lines[1]).toBe("a   0.123***");
    expect(lines[2]).toBe("   (0.010)");
    expect(lines[3]).toBe("b    0.5*");
  });
});

describe("markdown", () => {
  const md = renderTable(spanTable, "markdown");
  it("is a pipe table with one cell per column on every line", () => {
    const lines = md.split("\n").filter((l) => l.startsWith("|"));
    for (const l of lines) expect(l.replace(/\\\|/g, "").split("|").length - 2, l).toBe(5);
    expect(lines[1]).toMatch(/^\| :-+ \| -+: \| -+: \| -+: \| -+: \|$/);
    // Padded by display width: every line is equally wide on a terminal.
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
  });
  it("escapes stars and puts notes after the table", () => {
    expect(md).toContain("\\-0.5\\*\\*\\*".replace("\\-", "-"));
    expect(md).toContain("**表2 描述性统计**");
    expect(md.trimEnd().endsWith(escapeMarkdown(NASTY))).toBe(true);
  });
});

describe("latex", () => {
  const tex = renderTable(spanTable, "latex");
  it("uses booktabs, \\multicolumn and \\cmidrule for spans, threeparttable notes", () => {
    expect(tex).toContain("\\begin{tabular}{lrrrr}");
    expect(tex).toContain(" & \\multicolumn{2}{c}{东部 = 0} & \\multicolumn{2}{c}{东部 = 1} \\\\\n\\cmidrule(lr){2-3} \\cmidrule(lr){4-5}");
    expect(tex).toContain("ire & $-$0.5$^{***}$ & 1.0 & 2$^{*}$ & 3 \\\\");
    expect(tex).toContain("\\multicolumn{5}{l}{合计 (all rows)} \\\\");
    expect(tex.match(/\\(top|mid|bottom)rule/g)).toEqual(["\\toprule", "\\midrule", "\\midrule", "\\bottomrule"]);
    expect(tex).toContain("\\item 注：括号内为标准误。");
  });
  it("says in a comment that CJK text needs XeLaTeX and ctex/xeCJK; standalone loads ctex", () => {
    expect(tex.split("\n")[1]).toMatch(/^% Contains Chinese\/CJK text: compile with XeLaTeX/);
    const doc = renderTable(spanTable, "latex", { standalone: true });
    expect(doc).toMatch(/^% .*xelatex.*\n\\documentclass\{article\}\n\\usepackage\[UTF8\]\{ctex\}\n\\usepackage\{booktabs\}\n\\usepackage\{threeparttable\}\n\\begin\{document\}\n/);
    expect(doc.trimEnd().endsWith("\\end{document}")).toBe(true);
    expect(renderTable(spanTable, "latex", { standalone: true, cjkPackage: "xeCJK" })).toContain("\\usepackage{xeCJK}\n\\setCJKmainfont{FandolSong-Regular.otf}");
  });
  it("has no CJK comment or package for ASCII tables", () => {
    const t: Table = { align: ["l", "c"], header: [], body: [row(["a", "1"])], notes: [] };
    expect(renderTable(t, "latex")).not.toContain("CJK");
    expect(renderTable(t, "latex", { standalone: true })).not.toMatch(/ctex|xeCJK|threeparttable/);
  });
});

describe("html", () => {
  const html = renderTable(spanTable, "html");
  it("is a table with colspan, classes and escaped text", () => {
    expect(html.startsWith('<table class="didwasm-table">\n<caption>表2 描述性统计</caption>\n<thead>')).toBe(true);
    expect(html).toContain('<th colspan="2" scope="colgroup" class="c span">东部 = 0</th>');
    expect(html).toContain('<td class="r">-0.5<sup>***</sup></td>');
    expect(html).toContain('<tr class="group rule"><th colspan="5" scope="row" class="l">合计 (all rows)</th></tr>');
    expect(html).toContain(`<tfoot>\n<tr><td colspan="5" class="note">注：括号内为标准误。</td></tr>\n<tr><td colspan="5" class="note">${escapeHtml(NASTY)}</td></tr>\n</tfoot>`);
    // Balanced tags.
    for (const tag of ["table", "thead", "tbody", "tfoot", "tr", "th", "td"]) {
      expect(html.match(new RegExp(`<${tag}[\\s>]`, "g"))?.length, tag).toBe(html.match(new RegExp(`</${tag}>`, "g"))?.length);
    }
  });
  it("standalone declares UTF-8 so Chinese shows when the file is opened on its own", () => {
    const page = renderTable(spanTable, "html", { standalone: true });
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n/);
    expect(page).toContain("<title>表2 描述性统计</title>");
  });
});

describe("csv", () => {
  it("is RFC 4180: CRLF, quoted fields with doubled quotes, one field per column, BOM for non-ASCII", () => {
    const csv = renderTable(spanTable, "csv");
    expect(csv.startsWith("\ufeff表2 描述性统计,,,,\r\n")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const rows = parseRfc4180(csv.slice(1));
    for (const r of rows) expect(r).toHaveLength(5);
    expect(rows[1]).toEqual(["", "东部 = 0", "", "东部 = 1", ""]);
    expect(rows[4]).toEqual(["ire", "-0.5***", "1.0", "2*", "3"]);
    expect(rows.at(-1)![0]).toBe(NASTY);
    expect(csv).toContain(`"${NASTY.replace(/"/g, '""')}"`);
  });
  it("quotes commas and line breaks; no BOM for ASCII or when asked", () => {
    const t: Table = { align: ["l", "c"], header: [], body: [row(["a,b", 'say "hi"']), row(["line\nbreak", "x"])], notes: [] };
    const csv = renderTable(t, "csv");
    expect(csv).toBe('"a,b","say ""hi"""\r\n"line\nbreak",x\r\n');
    expect(renderTable(spanTable, "csv", { bom: false }).startsWith("表2")).toBe(true);
  });
});

describe("model checks", () => {
  it("refuses rows that do not cover the columns", () => {
    const t: Table = { align: ["l", "c"], header: [], body: [row(["a", "1", "2"])], notes: [] };
    expect(() => renderTable(t, "text")).toThrow("table row 1 covers 3 columns, the table has 2");
  });
  it("detects CJK text and picks formats from file names", () => {
    expect(hasCjk("控制")).toBe(true);
    expect(hasCjk("コントロール")).toBe(true);
    expect(hasCjk("R² é")).toBe(false);
    expect(["t.md", "t.tex", "t.HTML", "t.csv", "t.txt", "t"].map(formatForPath)).toEqual(["markdown", "latex", "html", "csv", "text", "text"]);
  });
});

describe("fmtInt", () => {
  it("writes thousands separators exactly as toLocaleString('en-US') does", () => {
    for (const n of [0, 7, -7, 999, 1000, -1000, 12345, 999999, 1000000, -3976123, 2 ** 53, -(2 ** 53), 1e21, 1234.5]) {
      expect(fmtInt(n), String(n)).toBe(n.toLocaleString("en-US"));
    }
    expect(fmtInt(1000000)).toBe("1,000,000");
  });
});
