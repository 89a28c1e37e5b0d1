// describe(): N, mean, SD (n - 1), min, max and percentiles (Stata's summarize, detail definition = R's
// quantile type 2) against base R on the bundled panel (describe.R wrote describe-expected.json), against
// hand-worked values, grouped, with missing values; and the describe table in every format.
import { readFileSync } from "node:fs";
import { describe as group, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { describe, percentileSorted } from "../../bindings/estimators/describe.js";
import { describeTable, renderDescribe } from "../../bindings/present/tables/describe-table.js";
import { TABLE_FORMATS } from "../../bindings/present/tables/render.js";
import { ZH_LABELS } from "./helpers.js";

const expected = JSON.parse(readFileSync("test/tables/describe-expected.json", "utf8"));
const data = readCsvFile("examples/smart-city.csv");
const VARS = ["ire", "lngdp", "did", "lnfin", "upg"];
/** Relative tolerance: the same sums in a different order (R's mean also does a second refinement pass). */
const REL = 1e-12;

function close(got: number, want: number, what: string) {
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(want)));
}

function compare(rows: readonly Record<string, unknown>[], want: Record<string, unknown>[]) {
  expect(rows).toHaveLength(want.length);
  rows.forEach((r, i) => {
    const w = want[i];
    expect(r.variable).toBe(w.variable);
    if (w.group !== undefined) expect(r.group).toBe(w.group);
    expect(r.n).toBe(w.n);
    for (const k of Object.keys(w)) if (k !== "variable" && k !== "group" && k !== "n") close(r[k] as number, w[k] as number, `${w.variable} ${k}`);
  });
}

group("describe() against R", () => {
  it("all rows (lnfin has missing values, dropped for lnfin only)", () => {
    const r = describe(data, { vars: VARS, percentiles: expected.percentiles });
    compare(r.rows as never, expected.all);
    expect(r.rows.map((x) => x.n)).toEqual([3976, 3976, 3976, 3954, 3976]);
  });
  it("by east", () => {
    const r = describe(data, { vars: VARS, by: "east", percentiles: expected.percentiles });
    expect(r.groups).toEqual(["0", "1"]);
    compare(r.rows as never, expected.by_east);
  });
});

group("describe() by hand", () => {
  // x = 4, 1, NA, 3, 2: n = 4, mean 2.5, sd = sqrt(((1.5² + 0.5²) * 2) / 3) = sqrt(5/3).
  // Sorted 1 2 3 4. p25: P = 4 * 0.25 = 1, whole -> (x1 + x2) / 2 = 1.5. p50: P = 2 -> 2.5. p75: P = 3 -> 3.5.
  // p10: P = 0.4 -> x[ceil(0.4)] = x1 = 1. p90: P = 3.6 -> x4 = 4. p0 = min, p100 = max.
  const cols = { x: [4, 1, null, 3, 2], g: ["b", "a", "a", "b", null], t: ["u", "v", "w", "x", "y"] };
  it("one variable with a missing value", () => {
    const r = describe(cols, { vars: ["x"], percentiles: [0, 10, 25, 50, 75, 90, 100] });
    expect(r.rows[0]).toEqual({ variable: "x", n: 4, mean: 2.5, sd: Math.sqrt(5 / 3), min: 1, max: 4, p0: 1, p10: 1, p25: 1.5, p50: 2.5, p75: 3.5, p90: 4, p100: 4 });
  });
  it("grouped by a text column: groups sorted, rows with a missing group left out and counted", () => {
    const r = describe(cols, { vars: ["x"], by: "g" });
    expect(r.groups).toEqual(["a", "b"]);
    // a: rows 2 and 3 -> x = 1 (NA dropped): n 1, sd undefined. b: rows 1 and 4 -> 4, 3.
    expect(r.rows[0]).toMatchObject({ group: "a", n: 1, mean: 1, min: 1, max: 1 });
    expect(r.rows[0].sd).toBeNaN();
    expect(r.rows[1]).toMatchObject({ group: "b", n: 2, mean: 3.5, sd: Math.SQRT1_2, min: 3, max: 4 });
    expect(r.byMissing).toBe(1);
    expect(r.notes).toEqual(["1 row with a missing g left out"]);
  });
  it("default variables: every numeric column", () => {
    expect(describe(cols).vars).toEqual(["x"]);
    expect(describe(data).vars).toContain("info_infra");
  });
  it("percentileSorted at whole-number positions despite rounding (n p / 100 = 0.3 * 10)", () => {
    const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    expect(percentileSorted(x, 30)).toBe(3.5);
    expect(percentileSorted(x, 0.1 * 300)).toBe(3.5);
    expect(percentileSorted(new Float64Array(0), 50)).toBeNaN();
  });
  it("bad input names the variable or option", () => {
    expect(() => describe(data, { vars: ["ire", "lngpd"] })).toThrow('unknown variable "lngpd" (did you mean "lngdp"?)');
    expect(() => describe(cols, { vars: ["t"] })).toThrow('variable "t" must be numeric, but row 1 has "u"');
    expect(() => describe(data, { by: "eats" })).toThrow('unknown by variable "eats" (did you mean "east"?)');
    expect(() => describe(data, { percentiles: [50, 120] })).toThrow("--percentiles must be numbers from 0 to 100, got 120");
    expect(() => describe(data, { vars: ["ire", "ire"] })).toThrow('--vars names "ire" twice');
    expect(() => describe({ g: ["a", "b"] })).toThrow("no numeric variables");
  });
});

group("the describe table", () => {
  const EXT = { text: "txt", markdown: "md", latex: "tex", html: "html", csv: "csv" } as const;
  const zh = { labels: ZH_LABELS, groupLabels: { "0": "中西部", "1": "东部" }, headers: ["变量", "样本量", "均值", "标准差", "最小值", "最大值"], caption: "表2 描述性统计" };
  it.each(TABLE_FORMATS)("all rows, %s", async (format) => {
    const r = describe(data, { vars: VARS, percentiles: [25, 50, 75] });
    await expect(renderDescribe(r, format)).toMatchFileSnapshot(`./__snapshots__/describe.${EXT[format]}`);
  });
  it.each(TABLE_FORMATS)("by east with Chinese labels, %s", async (format) => {
    const r = describe(data, { vars: VARS, by: "east" });
    await expect(renderDescribe(r, format, zh)).toMatchFileSnapshot(`./__snapshots__/describe-zh.${EXT[format]}`);
  });
  it("long layout: a titled block per group", () => {
    const t = describeTable(describe(data, { vars: ["ire"], by: "east" }), { layout: "long" });
    expect(t.body.map((r) => (r.kind === "rule" ? "rule" : r.cells.map((c) => c.text).join("|")))).toEqual([
      "east = 0", "ire|2702|0.527|0.091|0.241|0.850", "rule", "east = 1", "ire|1274|0.533|0.103|0.190|0.883",
    ]);
  });
  it("many groups default to the long layout; too many headers is an error", () => {
    expect(describeTable(describe(data, { vars: ["ire"], by: "cohort" })).header).toHaveLength(1);
    expect(() => describeTable(describe(data, { vars: ["ire"] }), { headers: ["a", "b", "c", "d", "e", "f", "g"] })).toThrow("--headers has 7 names for 6 columns");
  });
});
