// The web tool's pure parts: number formats, the table model's CSV and LaTeX, and the form's options and
// command line.
import { describe, expect, it } from "vitest";
import { COMMAND_SPECS } from "../../bindings/commands/registry.js";
import { ANALYSES, analysis, checkForm, commandLine, composeFormula, toOptions } from "../../web/src/analyses.js";
import { fmtNum, fmtP, stars } from "../../web/src/format.js";
import { resultTables, tableCsv, tableLatex } from "../../web/src/tables.js";
import type { ColumnSummary } from "../../bindings/web-worker/protocol.js";

const col = (name: string, over: Partial<ColumnSummary> = {}): ColumnSummary => ({
  name, kind: "numeric", missing: 0, distinct: 10, distinctCapped: false, integer: false, binary: false, min: 0, max: 1, mean: 0.5, ...over,
});

describe("number formats", () => {
  it("shows about four significant digits in fixed notation", () => {
    expect(fmtNum(0.025642053969358744)).toBe("0.02564");
    expect(fmtNum(-0.001526)).toBe("-0.001526");
    expect(fmtNum(10.2912)).toBe("10.29");
    expect(fmtNum(3976)).toBe("3976");
    expect(fmtNum(1.5e-7)).toBe("1.500e-7");
    expect(fmtNum(null)).toBe("");
  });
  it("p-values and stars follow Stata's esttab", () => {
    expect(fmtP(0.0004)).toBe("<0.001");
    expect(fmtP(0.0499)).toBe("0.050");
    expect([0.005, 0.03, 0.07, 0.2].map(stars)).toEqual(["***", "**", "*", ""]);
  });
});

describe("tables", () => {
  const fit = {
    nobs: 100, r2: 0.5, r2_within: 0.1, vcov: "cluster:id", clusters: [{ name: "id", G: 20 }], fixef_sizes: { id: 20 },
    coefficients: [
      { term: "x_1", estimate: -0.5, std_error: 0.1, statistic: -5, p_value: 0.00001, conf_low: -0.7, conf_high: -0.3 },
      { term: "z&w", estimate: 0.2, std_error: 0.3, statistic: 0.67, p_value: 0.5, conf_low: -0.4, conf_high: 0.8 },
    ],
  };
  it("a multi-model fit gives one table per model, titled with its step and split sample", () => {
    const models = [
      { ...fit, outcome: "y", formula: "y ~ x_1 | id", step: { rhs: { index: 0, terms: "x_1" } }, sample: { var: "g", value: null } },
      { ...fit, outcome: "y", formula: "y ~ x_1 + z | id", step: { rhs: { index: 1, terms: "x_1 + z" } }, sample: { var: "g", value: "a" } },
    ];
    const r = resultTables("fit", { models });
    expect([r.primary!.title, ...r.more.map((t) => t.title)]).toEqual(["Model 1: y (y ~ x_1 | id), g = full sample", "Model 2: y (y ~ x_1 + z | id), g = a"]);
  });

  it("CSV keeps full precision and quotes where needed (RFC 4180: CRLF line ends)", () => {
    const t = resultTables("fit", fit).primary!;
    expect(tableCsv(t)).toBe("Term,Estimate,Std. error,t,p-value,95% CI low,95% CI high\r\nx_1,-0.5,0.1,-5,0.00001,-0.7,-0.3\r\nz&w,0.2,0.3,0.67,0.5,-0.4,0.8\r\n");
  });
  it("LaTeX escapes names, sets stars as superscripts and minus signs in math", () => {
    const tex = tableLatex(resultTables("fit", fit).primary!, "Effect of x_1 (100%)");
    expect(tex).toContain("\\caption{Effect of x\\_1 (100\\%)}");
    expect(tex).toContain("x\\_1 & $-$0.5000$^{***}$ & 0.1000 & $-$5.00 & $<$0.001 & $-$0.7000 & $-$0.3000 \\\\");
    expect(tex).toContain("z\\&w & 0.2000 &");
    expect(tex).toContain("Standard errors & \\multicolumn{6}{r}{Clustered by id (20 clusters)} \\\\");
    // Column heads written as LaTeX math where the page's label is plain text; the stars explained below.
    expect(tex).toContain("Term & Estimate & Std. error & $t$ & $p$ & 95\\% CI low & 95\\% CI high \\\\");
    expect(tex).toContain("\\item * p $<$ 0.1, ** p $<$ 0.05, *** p $<$ 0.01.");
  });
  it("event-study coefficients are keyed by period", () => {
    const t = resultTables("eventstudy", { coefficients: [{ term: "rel::-2", rel_time: -2, estimate: 1, std_error: 1, statistic: 1, p_value: 0.3, conf_low: 0, conf_high: 2 }] }).primary!;
    expect(t.columns[0]).toMatchObject({ key: "rel_time", label: "Period" });
  });
});

describe("the analysis form", () => {
  const cols = [col("y"), col("id", { integer: true }), col("year", { integer: true }), col("g", { integer: true }), col("d", { binary: true, integer: true })];
  it("offers every registered command: the known ones in this order, then any others", () => {
    const known = [
      "fit", "fepois", "feglm", "eventstudy", "bacon", "did2s", "imputation", "etwfe", "stacked", "synthdid", "dcdh", "sunab", "csdid", "compare", "honestdid",
      "pretrends", "psm", "placebo", "bdiff", "boot", "logit", "describe",
    ];
    expect(ANALYSES.map((a) => a.command).slice(0, known.length)).toEqual(known.filter((c) => c in COMMAND_SPECS));
    expect(ANALYSES.map((a) => a.command).sort()).toEqual(Object.keys(COMMAND_SPECS).sort());
  });
  it("composes the formula from the model builder", () => {
    expect(composeFormula({ _outcome: "y", _regressors: ["d", "x"], _fe: ["id", "year"] })).toBe("y ~ d + x | id + year");
    expect(composeFormula({ _outcome: "y", _regressors: [], _fe: [] })).toBe("y ~ 1");
  });
  it("turns values into run() options and a command line", () => {
    const a = analysis("eventstudy");
    const v = { y: "y", unit: "id", time: "year", cohort: "g", controls: ["x 1"], vcov: "cluster:id", bin: "5", ref: "-1", window: "" };
    const o = toOptions(a, v);
    expect(o).toEqual({ y: "y", unit: "id", time: "year", cohort: "g", controls: ["x 1"], vcov: "cluster:id", bin: 5, ref: -1 });
    expect(commandLine("eventstudy", "my panel.csv", o)).toBe("npx didwasm eventstudy 'my panel.csv' --y y --unit id --time year --cohort g --controls 'x 1' --vcov cluster:id --bin 5 --ref -1");
  });
  it("names what is missing or wrong before running", () => {
    const a = analysis("eventstudy");
    expect(checkForm(a, { y: "y", unit: "id", time: "year" }, cols)?.message).toBe("Choose the cohort (first treated period) column.");
    expect(checkForm(a, { y: "y", unit: "id", time: "id", cohort: "g" }, cols)?.message).toContain("same column");
    expect(checkForm(a, { y: "y", unit: "id", time: "year", cohort: "g", bin: "two" }, cols)?.message).toBe("“Bin beyond ±k” must be a whole number, not “two”.");
    expect(checkForm(a, { y: "y", unit: "id", time: "year", cohort: "g" }, cols)).toBeNull();
  });
});
