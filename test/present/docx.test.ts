// Word tables (bindings/present/docx.ts): the .docx is unzipped and its word/document.xml read back: real
// table cells (w:tc) holding the estimates, stars as superscript runs, notes and Chinese text as written,
// spanning header cells, three-line-table rules, and a landscape section for a table too wide for portrait.
import { describe, expect, it } from "vitest";
import { columnEm, tableLayout, textEm } from "../../bindings/present/docx-layout.js";
import { tablesToDocx } from "../../bindings/present/docx.js";
import { describeTable } from "../../bindings/present/tables/describe-table.js";
import { cell, row, RULE, type Table } from "../../bindings/present/tables/model.js";
import { regressionTable } from "../../bindings/present/tables/regression-table.js";
import { describe as describeData } from "../../bindings/estimators/describe.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { unzip } from "../helpers/zip.js";
import { baseline, ZH_OPTIONS } from "../tables/helpers.js";

async function documentXml(...tables: Table[]): Promise<string> {
  const files = unzip(await tablesToDocx(tables.map((table) => ({ table }))));
  expect([...files.keys()]).toEqual(expect.arrayContaining(["[Content_Types].xml", "word/document.xml", "word/styles.xml"]));
  return files.get("word/document.xml")!.toString("utf8");
}

/** The text of each cell of each row of the n-th table (0-based), superscripts marked as ^{...}. */
function cells(xml: string, n = 0): string[][] {
  const table = xml.split("<w:tbl>")[n + 1].split("</w:tbl>")[0];
  return table.split("<w:tr>").slice(1).map((tr) =>
    tr.split("<w:tc>").slice(1).map((tc) =>
      [...tc.matchAll(/<w:r>(.*?)<\/w:r>/g)].map(([, r]) => {
        const text = [...r.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
        return r.includes('<w:vertAlign w:val="superscript"/>') ? `^{${text}}` : text;
      }).join(""),
    ),
  );
}

describe("a regression table in Word", () => {
  it("is a real table: one cell per estimate with its stars as a superscript, the header, the statistics and the notes", async () => {
    const xml = await documentXml(regressionTable(baseline(), ZH_OPTIONS));
    expect(xml.match(/<w:tbl>/g)?.length).toBe(1);
    const rows = cells(xml);
    expect(rows[0]).toEqual(["", "(1)", "(2)", "(3)"]);
    expect(rows[1]).toEqual(["", "创新效率", "创新效率", "创新效率"]);
    expect(rows[2]).toEqual(["智慧城市试点", "0.023^{***}", "0.026^{***}", "0.025^{***}"]);
    expect(rows[3]).toEqual(["", "(0.002)", "(0.003)", "(0.003)"]);
    expect(rows.find((r) => r[0] === "城市固定效应")).toEqual(["城市固定效应", "未控制", "控制", "控制"]);
    expect(rows.find((r) => r[0] === "观测值")).toEqual(["观测值", "3976", "3976", "3954"]);
    // Caption above, notes below: paragraphs, not cells.
    const [before, after] = xml.split(/<w:tbl>[\s\S]*<\/w:tbl>/);
    expect(before).toContain("表3 智慧城市试点与创新效率：基准回归");
    expect(after).toContain("注：括号内为聚类到城市层面的稳健标准误；*、**、*** 分别表示在 10%、5%、1% 的水平上显著。");
  });

  it("has the three-line rules (heavy above and below, light under the header and at the model's rules) and no vertical lines", async () => {
    const t = regressionTable(baseline(), ZH_OPTIONS);
    const xml = await documentXml(t);
    const trs = xml.split("<w:tbl>")[1].split("<w:tr>").slice(1);
    const border = (tr: string, side: string) => /<w:tcBorders>.*?<\/w:tcBorders>/.exec(tr)![0].match(new RegExp(`<w:${side} w:val="(\\w+)"[^>]*w:sz="(\\d+)"`))?.slice(1).join(":");
    expect(border(trs[0], "top")).toBe("single:12");
    expect(border(trs[1], "bottom")).toBe("single:4");
    expect(border(trs.at(-1)!, "bottom")).toBe("single:12");
    // The model's rule before the fixed-effect rows.
    const fe = trs.findIndex((tr) => tr.includes("城市固定效应"));
    expect(t.body.some((r, i) => r.kind === "rule" && t.body[i + 1]?.kind === "row")).toBe(true);
    expect(border(trs[fe], "top")).toBe("single:4");
    expect(border(trs[2], "top")).toBe("none:0");
    expect(xml).not.toMatch(/<w:(left|right) w:val="single"/);
    // The header repeats on a new page; rows do not split; the caption, header and first row stay
    // together, and the rest may break across pages.
    expect(trs[0]).toContain("<w:tblHeader/>");
    expect(trs[2]).toContain("<w:cantSplit/>");
    expect(trs[1]).toContain("<w:keepNext/>");
    expect(trs[2]).toContain("<w:keepNext/>");
    expect(trs[3]).not.toContain("<w:keepNext/>");
  });

  it("spanning header cells span (gridSpan) and get a rule under them when the model asks", async () => {
    const t: Table = {
      align: ["l", "r", "r", "r", "r"],
      header: [{ cells: [cell(""), cell("东部", { span: 2 }), cell("中西部", { span: 2 })], underlineSpans: true }, { cells: ["", "(1)", "(2)", "(3)", "(4)"].map((s) => cell(s)) }],
      body: [row(["did", cell("0.1", { sup: "**" }), "0.2", "0.3", "0.4"]), RULE, row(["N", "10", "10", "12", "12"])],
      notes: ["Note one.", "Note two."],
      caption: "Table 9: Subgroups",
    };
    const xml = await documentXml(t);
    const first = xml.split("<w:tbl>")[1].split("<w:tr>")[1];
    expect(first.match(/<w:gridSpan w:val="2"\/>/g)?.length).toBe(2);
    expect(cells(xml)[0]).toEqual(["", "东部", "中西部"]);
    expect(cells(xml)[2]).toEqual(["did", "0.1^{**}", "0.2", "0.3", "0.4"]);
    // Under each span a light rule; the empty corner cell has none.
    const tcs = first.split("<w:tc>").slice(1);
    expect(tcs[1]).toMatch(/<w:bottom w:val="single"[^>]*w:sz="4"/);
    expect(tcs[0]).toMatch(/<w:bottom w:val="none"/);
    expect(xml).toContain("Note one.");
    expect(xml).toContain("Note two.");
    // Alignment: the label column left, numbers right, spans centred.
    expect(tcs[1]).toContain('<w:jc w:val="center"/>');
    expect(xml.split("<w:tbl>")[1].split("<w:tr>")[3].split("<w:tc>")[2]).toContain('<w:jc w:val="right"/>');
  });
});

describe("page layout", () => {
  it("estimates widths from the text: Latin half an em a character, CJK a whole one, a span's surplus shared", () => {
    expect(textEm("0.023")).toBe(2.5);
    expect(textEm("创新效率")).toBe(4);
    const t: Table = { align: ["l", "r", "r"], header: [{ cells: [cell(""), cell("a very long spanning title", { span: 2 })] }], body: [row(["x", "1", "2"])], notes: [] };
    const em = columnEm(t);
    expect(em[0]).toBeCloseTo(0.5 + 0.8);
    expect(em[1]).toBeCloseTo(em[2]);
    expect(em[1] + em[2]).toBeCloseTo(textEm("a very long spanning title") + 0.8);
  });

  it("keeps a narrow table portrait at 10 pt, turns a wide one landscape, and shrinks the type only when landscape is too narrow", async () => {
    const narrow = tableLayout(regressionTable(baseline()));
    expect(narrow).toMatchObject({ orientation: "portrait", fontPt: 10 });
    expect(narrow.columnsPt.reduce((a, b) => a + b, 0)).toBeCloseTo(595.3 - 144);
    // A little too wide for 10 pt: 9.5 pt, still portrait.
    const label = "x".repeat(84);
    const tight: Table = { align: ["l", "r"], header: [], body: [row([label, "1.000"])], notes: [] };
    const em = textEm(label) + textEm("1.000") + 2 * 0.8;
    expect(em * 10).toBeGreaterThan(595.3 - 144);
    expect(tableLayout(tight)).toMatchObject({ orientation: "portrait", fontPt: 9.5 });
    const twelve = regressionTable([...baseline(), ...baseline(), ...baseline(), ...baseline()]);
    expect(tableLayout(twelve)).toMatchObject({ orientation: "landscape", fontPt: 10 });
    const thirty = regressionTable(Array.from({ length: 10 }, baseline).flat());
    const huge = tableLayout(thirty);
    expect(huge.orientation).toBe("landscape");
    expect(huge.fontPt).toBeLessThan(10);
    expect(huge.fontPt).toBeGreaterThanOrEqual(7);

    const xml = await documentXml(regressionTable(baseline()), twelve, regressionTable(baseline()));
    // Three sections: portrait, landscape (A4 turned: width 16838), portrait.
    const sizes = [...xml.matchAll(/<w:pgSz ([^/]*)\/>/g)].map((m) => m[1]);
    expect(sizes.length).toBe(3);
    expect(sizes[1]).toMatch(/w:w="16838"/);
    expect(sizes[1]).toMatch(/w:orient="landscape"/);
    expect(sizes[0]).toMatch(/w:w="11906"/);
  });
});

it("a descriptive-statistics table with Chinese headers and group labels, and a document title and headings", async () => {
  const f = fromColumns({ ire: [1, 2, 3, 4], lngdp: [2, 3, 5, 7], east: [0, 0, 1, 1] });
  const t = describeTable(describeData(f, { vars: ["ire", "lngdp"], by: "east" }), {
    labels: { ire: "创新效率", lngdp: "经济发展水平" }, groupLabels: { 0: "中西部", 1: "东部" }, headers: ["变量", "样本量", "均值"], caption: "表2 描述性统计",
  });
  const bytes = await tablesToDocx([{ heading: "二、描述性统计" }, { table: t }], { title: "智慧城市与创新" });
  const files = unzip(bytes);
  const xml = files.get("word/document.xml")!.toString("utf8");
  expect(xml).toContain("智慧城市与创新");
  expect(xml).toContain("二、描述性统计");
  const rows = cells(xml);
  expect(rows[0]).toEqual(["", "中西部", "东部"]);
  expect(rows[1].slice(0, 3)).toEqual(["变量", "样本量", "均值"]);
  expect(rows.find((r) => r[0] === "创新效率")!.slice(0, 3)).toEqual(["创新效率", "2", "1.500"]);
  // Times New Roman with SimSun for Chinese, as the document's default.
  expect(files.get("word/styles.xml")!.toString("utf8")).toMatch(/<w:rFonts [^>]*w:eastAsia="SimSun"/);
});
