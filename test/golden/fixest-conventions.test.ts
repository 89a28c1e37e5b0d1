// fixest's conventions against fixest 0.12.2 itself (fixest-conventions.R wrote fixest-conventions.json on
// the generated panels in data/): which level of i(f) is the reference when none is written, a reference
// given by position (i(f, x, r), i(f, r)), keep and ref = TRUE, and Sun-Abraham's aggregation with
// regression weights (cells weighted by their sums of weights). Both backends.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import { sunAbraham } from "../../bindings/estimators/did/sun-abraham.js";
import { feols } from "../../bindings/estimators/feols.js";
import { csvFrames, expectRowClose } from "../helpers/golden.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Row {
  term: string;
  estimate: number;
  std_error: number;
}
interface FeolsCase {
  id: string;
  data: string;
  formula: string;
  vcov: string;
  weights: string | null;
  expect: { nobs: number; removed: string[]; coefficients: Row[] };
}
interface SunabCase {
  id: string;
  controls: string[];
  weights: string | null;
  vcov: string;
  expect: { nobs: number; att: Row; periods: Array<Row & { rel_time: number }> };
}
const golden = JSON.parse(readFileSync(join(here, "fixest-conventions.json"), "utf8")) as { feols: FeolsCase[]; sunab: SunabCase[] };

const frame = csvFrames(join(here, "data"));

describe.each(["wasm", "reference"] as const)("fixest conventions against fixest 0.12.2 (%s)", (backend) => {
  const engine = createEngine({ backend });

  it("covers the default reference, references by position, keep, text levels and weighted sunab", () => {
    const formulas = golden.feols.map((c) => c.formula).join(" ");
    for (const part of ["0 + i(", "i(year, x2, 2002)", "i(year, 2003)", "keep =", "ref = TRUE", "x2:i(year)"]) expect(formulas).toContain(part);
    expect(golden.sunab.filter((c) => c.weights !== null).length).toBe(2);
  });

  for (const c of golden.feols) {
    it(`feols ${c.id}: ${c.formula}`, () => {
      const got = feols(frame(c.data), c.formula, { vcov: c.vcov, weights: c.weights, engine }).toJSON() as any;
      expect(got.nobs).toBe(c.expect.nobs);
      expect(got.removed).toEqual(c.expect.removed);
      // The same coefficients in the same order: which level is the reference is the point of these cases.
      expect(got.coefficients.map((r: Row) => r.term)).toEqual(c.expect.coefficients.map((r) => r.term));
      c.expect.coefficients.forEach((w, j) => expectRowClose(got.coefficients[j], w, `${c.id} ${w.term}`));
    });
  }

  for (const c of golden.sunab) {
    it(`sunab ${c.id}`, () => {
      const r = sunAbraham(frame("staggered.csv"), {
        y: "y", unit: "unit", time: "year", cohort: "cohort", controls: c.controls, weights: c.weights, vcov: c.vcov, engine,
      });
      expect(r.fit.nobs).toBe(c.expect.nobs);
      expectRowClose(r.att, c.expect.att, `${c.id} ATT`);
      expect(r.periods.map((p) => p.rel_time)).toEqual(c.expect.periods.map((p) => p.rel_time));
      // fixest names the aggregated periods year::e, didwasm rel::e: compare by relative period.
      c.expect.periods.forEach((w, j) => expectRowClose({ ...r.periods[j], term: w.term }, w, `${c.id} period ${w.rel_time}`));
    });
  }
});
