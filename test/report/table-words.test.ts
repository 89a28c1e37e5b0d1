// The spec's `tables` (how the tables speak: caption templates, the corner cell, own notes, describe's
// headings) and subgroups split at the median: checked values, and what they do to the report's blocks.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { addDerivedColumns, derivedColumns, medianSplitColumn } from "../../bindings/report/plan.js";
import { validateSpec } from "../../bindings/report/spec.js";
import { groupingName, groupTitle, termLabels } from "../../bindings/report/labels.js";
import { EN_WORDS, reportWords } from "../../bindings/report/words.js";
import { ZH_WORDS } from "../../bindings/report/words-zh.js";

const base = {
  title: "t", data: "d.csv",
  roles: { unit: "id", time: "t", treatment: "d", outcome: "y" },
  sections: [{ title: "s", analyses: [{ type: "subgroups", by: "h", split: "median" }] }],
};

describe("the spec's tables", () => {
  it("takes caption templates, a corner, notes and describe headings", () => {
    const spec = validateSpec({ ...base, tables: { caption: "表{n} {title}", figureCaption: "图{n} {title}", corner: "变量", notes: ["注：括号内为t值。"], describeHeaders: ["变量", "观测值"] } });
    expect(spec.tables).toEqual({ caption: "表{n} {title}", figureCaption: "图{n} {title}", corner: "变量", notes: ["注：括号内为t值。"], describeHeaders: ["变量", "观测值"] });
  });

  it("lists every problem with its path", () => {
    expect(() => validateSpec({ ...base, tables: { caption: "表 {title}", corner: "", notes: "注", colour: 1 } })).toThrow(
      /tables\.colour: unknown key[^]*tables\.caption: must be a text with \{n\}[^]*tables\.corner: a non-empty text is required[^]*tables\.notes: must be a list of texts/,
    );
    expect(() => validateSpec({ ...base, tables: [] })).toThrow(/tables: must be an object/);
    expect(() => validateSpec({ ...base, sections: [{ title: "s", analyses: [{ type: "subgroups", by: "h", split: "mean" }] }] })).toThrow(/sections\[0\]\.analyses\[0\]\.split/);
  });

  it("takes a language for the report's own words, and entries that replace the phrasebook's", () => {
    const zh = validateSpec({ ...base, tables: { language: "zh" } });
    expect(reportWords(zh).placeboDraws).toBe("安慰剂抽样次数");
    expect(groupTitle(zh, medianSplitColumn("h"), "1")).toBe("高h");
    const own = validateSpec({ ...base, tables: { language: "zh", words: { placeboDraws: "抽样次数", groupHigh: "{name}较高" } } });
    expect(reportWords(own).placeboDraws).toBe("抽样次数");
    expect(reportWords(own).placeboSe).toBe("标准误");
    expect(groupTitle(own, medianSplitColumn("h"), "1")).toBe("h较高");
    expect(reportWords(validateSpec(base)).placeboDraws).toBe("Placebo draws");
    // Every entry of the English phrasebook has its Chinese one.
    expect(Object.keys(ZH_WORDS)).toEqual(expect.arrayContaining(Object.keys(EN_WORDS)));
    expect(() => validateSpec({ ...base, tables: { language: "fr", words: { placeboDraw: "x", value: 3 } } })).toThrow(
      /tables\.language: must be one of en, zh[^]*tables\.words\.placeboDraw: unknown entry \(did you mean "placeboDraws"\?\)[^]*tables\.words\.value: a non-empty text is required/,
    );
  });

  it("names a Chinese-labelled fixed effect as Chinese journals do", () => {
    const spec = validateSpec({ ...base, labels: { id: "城市", t: "Year" } });
    const labels = termLabels(spec, [{ coefficients: [{ term: "d" }], fixef_sizes: { id: 3, t: 4 } }]);
    expect(labels.id).toBe("城市固定效应");
    expect(labels.t).toBe("Year FE");
  });
});

describe("subgroups split at the median", () => {
  // Four units; their means of h are 1, 2.5, 3, 10: the median of the means is 2.75.
  const frame = fromColumns({ id: [1, 1, 2, 2, 3, 3, 4, 4], t: [1, 2, 1, 2, 1, 2, 1, 2], h: [1, 1, 2, 3, 3, null, 9, 11], y: [0, 0, 0, 0, 0, 0, 0, 0], d: [0, 0, 0, 0, 0, 0, 0, 0] });
  const spec = validateSpec(base);

  it("derives a 0/1 column constant within each unit: its mean above the median of the units' means", () => {
    expect(derivedColumns(spec)).toEqual([medianSplitColumn("h")]);
    const out = addDerivedColumns(frame, spec);
    expect(Array.from(out.numeric("h_above_median", "x"))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it("titles the halves by the column's label, or by the spec's value labels", () => {
    const plain = validateSpec({ ...base, labels: { h: "Human capital" } });
    expect(groupTitle(plain, "h_above_median", "1")).toBe("High Human capital");
    expect(groupTitle(plain, "h_above_median", "0")).toBe("Low Human capital");
    expect(groupingName(plain, "h_above_median")).toBe("Human capital (split at the median)");
    const own = validateSpec({ ...base, labels: { h_above_median: { "0": "低人力资本", "1": "高人力资本" } } });
    expect(groupTitle(own, "h_above_median", "1")).toBe("高人力资本");
  });
});
