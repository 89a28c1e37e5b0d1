// RTF tables (bindings/present/rtf.ts), read back as a word processor would: the groups balance, the file is
// 7-bit clean with Chinese as \uN? escapes, each table row (\trowd ... \row) has as many cells as the model's
// row and as many \cellx boundaries, spanning cells end at their last column, stars are superscripts, and
// the three-line rules sit where the Word writer puts them.
import { describe, expect, it } from "vitest";
import { tablesToRtf, rtfEscape } from "../../bindings/present/rtf.js";
import { describeTable } from "../../bindings/present/tables/describe-table.js";
import { regressionTable } from "../../bindings/present/tables/regression-table.js";
import { describe as describeData } from "../../bindings/estimators/describe.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { rtfBalanced as balanced, rtfPlain as plain, rtfRows as rows } from "../helpers/rtf.js";
import { baseline, ZH_OPTIONS } from "../tables/helpers.js";

describe("a regression table in RTF", () => {
  const t = regressionTable(baseline(), ZH_OPTIONS);
  const rtf = tablesToRtf([{ table: t }], { title: "智慧城市试点与创新" });

  it("is one balanced, 7-bit RTF document with Chinese as \\u escapes in the CJK font", () => {
    expect(rtf.startsWith("{\\rtf1\\ansi")).toBe(true);
    expect(balanced(rtf)).toBe(true);
    expect(/^[\x09\x0a\x0d\x20-\x7e]*$/.test(rtf)).toBe(true);
    // 智 is U+667A = 26234; 观 (U+89C2 = 35266) is past 32767, so written as 35266 - 65536.
    expect(rtf).toContain("{\\f1 \\u26234?\\u24935?");
    expect(rtf).toContain(`\\u${0x89c2 - 0x10000}?`);
    expect(plain(rtf)).toContain("智慧城市试点与创新");
  });

  it("has one table row per model row, each with the model's cells and \\cellx boundaries, stars as superscripts", () => {
    const model = [...t.header.map((h) => h.cells), ...t.body.flatMap((r) => (r.kind === "row" ? [r.cells] : []))];
    const got = rows(rtf);
    expect(got.length).toBe(model.length);
    got.forEach((r, i) => {
      expect(r.cells.length, `row ${i}`).toBe(model[i].length);
      expect(r.edges.length, `row ${i}`).toBe(model[i].length);
      // Boundaries increase, and every row ends at the same right edge (the table's width).
      expect(r.edges.every((e, k) => k === 0 || e > r.edges[k - 1])).toBe(true);
      expect(r.edges.at(-1)).toBe(got[0].edges.at(-1));
    });
    expect(got[0].cells).toEqual(["", "(1)", "(2)", "(3)"]);
    expect(got.find((r) => r.cells[0] === "智慧城市试点")!.cells).toEqual(["智慧城市试点", "0.023^<***>", "0.026^<***>", "0.025^<***>"]);
    expect(got.find((r) => r.cells[0] === "城市固定效应")!.cells).toEqual(["城市固定效应", "未控制", "控制", "控制"]);
    expect(got.find((r) => r.cells[0] === "观测值")!.cells).toEqual(["观测值", "3976", "3976", "3954"]);
    // The table fits the portrait text width (A4 less two inches, in twips).
    expect(got[0].edges.at(-1)).toBeLessThanOrEqual(11906 - 2 * 1440);
  });

  it("draws the three-line rules: heavy top and bottom, light under the header and at the model's rules", () => {
    const got = rows(rtf);
    expect(got[0].defs.every((d) => d.includes("\\clbrdrt\\brdrs\\brdrw30"))).toBe(true);
    const lastHeader = t.header.length - 1;
    expect(got[lastHeader].defs.every((d) => d.includes("\\clbrdrb\\brdrs\\brdrw10"))).toBe(true);
    expect(got.at(-1)!.defs.every((d) => d.includes("\\clbrdrb\\brdrs\\brdrw30"))).toBe(true);
    const fe = got.findIndex((r) => r.cells[0] === "城市固定效应");
    expect(got[fe].defs.every((d) => d.includes("\\clbrdrt\\brdrs\\brdrw10"))).toBe(true);
    // No vertical rules, and rows in between have none at all.
    expect(rtf).not.toMatch(/\\clbrdr[lr]/);
    expect(got[lastHeader + 2].defs.some((d) => d.includes("\\clbrdr"))).toBe(false);
    // Header rows repeat on a new page.
    expect(rtf.split("\\trowd").slice(1, t.header.length + 1).every((r) => r.includes("\\trhdr"))).toBe(true);
  });

  it("keeps the caption above and the notes below the table", () => {
    const [before, rest] = rtf.split(/\\trowd/, 2);
    expect(plain(before)).toContain("表3 智慧城市试点与创新效率：基准回归");
    expect(plain(rest)).not.toContain("表3");
    expect(plain(rtf.slice(rtf.lastIndexOf("\\row")))).toContain("注：括号内为聚类到城市层面的稳健标准误；*、**、*** 分别表示在 10%、5%、1% 的水平上显著。");
  });
});

describe("RTF documents", () => {
  it("escapes RTF's own characters and writes characters past the BMP as surrogate pairs", () => {
    expect(rtfEscape("a\\b{c}")).toBe("a\\\\b\\{c\\}");
    expect(rtfEscape("𠀀")).toBe(`\\u${0xd840 - 0x10000}?\\u${0xdc00 - 0x10000}?`);
    expect(rtfEscape("≤")).toBe("\\u8804?");
  });

  it("a spanning cell ends at its last column's boundary", () => {
    const d = describeTable(describeData(fromColumns({ y: [1, 2, 3, 4], g: [0, 0, 1, 1] }), { vars: ["y"], by: "g" }), { groupLabels: { "0": "中西部", "1": "东部" } });
    const got = rows(tablesToRtf([{ table: d }]));
    const full = got.at(-1)!.edges;
    const top = got[0];
    // The group header: an empty cell over the variable column, then one cell over each group's columns.
    expect(top.cells).toEqual(["", "中西部", "东部"]);
    expect(top.edges[0]).toBe(full[0]);
    expect(top.edges.at(-1)).toBe(full.at(-1));
    expect(full).toEqual(expect.arrayContaining(top.edges));
  });

  it("puts a table too wide for portrait on a landscape section, with its heading", () => {
    const wide = regressionTable([...baseline(), ...baseline(), ...baseline(), ...baseline()], { caption: "Twelve models" });
    const rtf = tablesToRtf([{ heading: "Baseline" }, { table: regressionTable(baseline()) }, { heading: "Wide" }, { table: wide }]);
    const sections = rtf.split("\\sect\\sectd");
    expect(sections.length).toBe(2);
    expect(sections[0]).not.toContain("\\lndscpsxn");
    expect(sections[1].startsWith("\\lndscpsxn\\pgwsxn16838\\pghsxn11906")).toBe(true);
    expect(plain(sections[1])).toContain("Wide");
    expect(plain(sections[1])).toContain("Twelve models");
    expect(balanced(rtf)).toBe(true);
  });
});
