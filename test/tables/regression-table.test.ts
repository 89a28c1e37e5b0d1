// Regression tables: file snapshots of all five formats on a fixed set of fits (the saved --json of three
// baseline models on examples/smart-city.csv, with and without fixed effects), in English and with the seed
// study's Chinese labels (控制/未控制); stars, parentheses, keep/drop/order, labels, fixed-effect and extra
// rows, group-difference p-values, and bad input. Snapshots live in __snapshots__/ as real .txt/.md/.tex/
// .html/.csv files (the .tex ones are compiled by latex-compile.test.ts when a TeX engine is present).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { feols } from "../../bindings/estimators/feols.js";
import { TABLE_FORMATS } from "../../bindings/present/tables/render.js";
import { groupDiffFrom, modelColumns, regressionTable, renderRegressionTable } from "../../bindings/present/tables/regression-table.js";
import { ZH_LABELS, ZH_OPTIONS, baseline, fixture, parseRfc4180 } from "./helpers.js";

const EXT = { text: "txt", markdown: "md", latex: "tex", html: "html", csv: "csv" } as const;


describe("snapshots of the baseline table", () => {
  it.each(TABLE_FORMATS)("English, %s", async (format) => {
    await expect(renderRegressionTable(baseline(), {}, format)).toMatchFileSnapshot(`./__snapshots__/regression.${EXT[format]}`);
  });
  it.each(TABLE_FORMATS)("Chinese labels, %s", async (format) => {
    await expect(renderRegressionTable(baseline(), ZH_OPTIONS, format)).toMatchFileSnapshot(`./__snapshots__/regression-zh.${EXT[format]}`);
  });
  it.each(TABLE_FORMATS)("group difference p-value (t statistics), %s", async (format) => {
    const text = renderRegressionTable(
      [fixture("fit-inland"), fixture("fit-east")],
      { statistic: "t", titles: ["中西部", "东部"], groupDiffs: [groupDiffFrom(fixture("bdiff-east"))], labels: ZH_LABELS },
      format,
    );
    await expect(text).toMatchFileSnapshot(`./__snapshots__/regression-diff.${EXT[format]}`);
  });
});

describe("cells", () => {
  const coefs = (...ps: number[]) => ({
    outcome: "y",
    nobs: 100,
    coefficients: ps.map((p, i) => ({ term: `x${i}`, estimate: 0.5 + i, std_error: 0.25, statistic: 2 + i, p_value: p })),
  });
  const body = (text: string) => text.split("\n").filter((l) => /^x\d/.test(l));

  it("stars: *** p < 0.01, ** p < 0.05, * p < 0.1 (strictly), stated in a note", () => {
    const text = renderRegressionTable([coefs(0.0099, 0.01, 0.0499, 0.05, 0.0999, 0.1, 0.5)]);
    expect(body(text).map((l) => l.replace(/^x\d\s+/, "").trim())).toEqual(["0.500***", "1.500**", "2.500**", "3.500*", "4.500*", "5.500", "6.500"]);
    expect(text).toContain("* p < 0.1, ** p < 0.05, *** p < 0.01.");
  });
  it("standard errors or t statistics in parentheses, with the digits asked for", () => {
    const se = renderRegressionTable([coefs(0.5)], { digits: 2 });
    expect(se).toMatch(/x0\s+0\.50\n\s+\(0\.25\)\n/);
    expect(se).toContain("Standard errors in parentheses.");
    const t = renderRegressionTable([coefs(0.5)], { statistic: "t", digits: 4 });
    expect(t).toMatch(/x0\s+0\.5000\n\s+\(2\.0000\)\n/);
    expect(t).toContain("t statistics in parentheses.");
  });
  it("names the variance when all models share it", () => {
    expect(renderRegressionTable([fixture("fit-twfe")])).toContain("Standard errors clustered by city in parentheses.");
    expect(renderRegressionTable([fixture("fit-ols")], { statistic: "t" })).toContain("t statistics in parentheses (standard errors heteroskedasticity-robust).");
    expect(renderRegressionTable(baseline())).toContain("Standard errors in parentheses.");
  });
  it("keep sets order and selection (with * patterns), drop removes, labels rename, intercept last", () => {
    const t = regressionTable(baseline(), { keep: ["lngdp", "did"] });
    expect(t.body.filter((r) => r.kind === "row" && r.role === "coef").map((r) => r.kind === "row" && r.cells[0].text)).toEqual(["lngdp", "did"]);
    const all = regressionTable(baseline(), { drop: ["ln*"], labels: { did: "Treated × post" } });
    expect(all.body.filter((r) => r.kind === "row" && r.role === "coef").map((r) => r.kind === "row" && r.cells[0].text)).toEqual(["Treated × post", "upg", "Constant"]);
    const es = regressionTable([fixture("eventstudy")], { keep: ["rel::*"] });
    expect(es.body.filter((r) => r.kind === "row" && r.role === "coef")).toHaveLength(6);
  });
  it("fixed-effect rows inferred from each model, in the user's words, or given", () => {
    const text = renderRegressionTable(baseline(), { feLabels: ["控制", "未控制"], labels: { city: "城市固定效应" } });
    expect(text).toMatch(/城市固定效应\s+未控制\s+控制\s+控制/);
    expect(text).toMatch(/year FE\s+未控制\s+控制\s+控制/);
    expect(renderRegressionTable(baseline(), { fixef: false })).not.toContain("FE");
    const given = renderRegressionTable(baseline(), { fixef: [{ label: "Province-year FE", values: ["No", "No", "Yes"] }] });
    expect(given).toMatch(/Province-year FE\s+No\s+No\s+Yes/);
    expect(given).not.toContain("city FE");
  });
  it("stats rows: N, R², within R² by default; adj. R² on request; empty ones left out", () => {
    const text = renderRegressionTable(baseline(), { stats: ["nobs", "adj_r2"] });
    expect(text).toMatch(/\nN\s+3976\s+3976\s+3954\n/);
    expect(text).toMatch(/\nAdj\. R²\s+0\.\d{3}/);
    expect(text).not.toContain("Within");
    expect(renderRegressionTable([fixture("fit-ols")])).not.toContain("Within R²");
  });
  it("a Fit renders like its saved JSON", () => {
    const data = readCsvFile("examples/smart-city.csv");
    const fits = [
      feols(data, "ire ~ did + lngdp", { vcov: "hetero", backend: "reference" }),
      feols(data, "ire ~ did + lngdp | city + year", { vcov: "cluster:city", backend: "reference" }),
      feols(data, "ire ~ did + lngdp + lnfin + upg | city + year", { vcov: "cluster:city", backend: "reference" }),
    ];
    expect(renderRegressionTable(fits, ZH_OPTIONS, "latex")).toBe(renderRegressionTable(baseline(), ZH_OPTIONS, "latex"));
  });
  it("multi-outcome JSON ({ models: [...] }) gives one column per model", () => {
    const cols = modelColumns({ models: [fixture("fit-ols"), fixture("fit-twfe")] }, "multi.json");
    expect(cols.map((c) => c.source)).toEqual(["multi.json (model 1)", "multi.json (model 2)"]);
  });
  it("did2s's first-stage fixed effects are read from its formula", () => {
    const [c] = modelColumns({ formula: "did2s: ire ~ did | first stage city + year on untreated", coefficients: [], fixef_sizes: {} });
    expect(c.fixef).toEqual(["city", "year"]);
  });
  it("CSV of a Chinese table reads back cell for cell", () => {
    const rows = parseRfc4180(renderRegressionTable(baseline(), ZH_OPTIONS, "csv").replace(/^\ufeff/, ""));
    expect(rows[0][0]).toBe(ZH_OPTIONS.caption);
    expect(rows.find((r) => r[0] === "城市固定效应")).toEqual(["城市固定效应", "未控制", "控制", "控制"]);
  });
});

describe("bad input", () => {
  it("names what is wrong", () => {
    expect(() => regressionTable([fixture("bacon")])).toThrow(/model 1 is not a model's JSON \(it has no "coefficients"; its keys are twfe, by_type/);
    expect(() => modelColumns([1, 2], "x.json")).toThrow("x.json is not a model's JSON (it is an array)");
    expect(() => modelColumns({ coefficients: [{ estimate: 1 }] }, "x.json")).toThrow('coefficient 1 lacks a "term" name');
    expect(() => regressionTable(baseline(), { keep: ["dd"] })).toThrow('--keep "dd" matches no coefficient (did you mean "did"?)');
    expect(() => regressionTable(baseline(), { titles: ["a"] })).toThrow("--titles has 1 value for 3 models");
    expect(() => regressionTable(baseline(), { digits: -1 })).toThrow("--digits must be a whole number from 0 to 12");
    expect(() => regressionTable(baseline(), { groupDiffs: [{ p_value: 0.2, columns: [3, 4] }] })).toThrow("across columns 3-4, but the table has 3 model columns");
    expect(() => groupDiffFrom(fixture("fit-twfe"), "fit.json")).toThrow('fit.json is not a group-difference result: it needs a "p_value"');
    expect(() => regressionTable([])).toThrow("at least one model");
  });
  it("the fixtures are what make-fixtures.sh writes (no timing)", () => {
    expect(readFileSync("test/tables/fixtures/fit-twfe.json", "utf8")).not.toContain("timing_ms");
  });
});
