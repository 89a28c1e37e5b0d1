// The wide panel synthetic DID reshapes the long data into: rows in any order and periods that are not
// whole numbers give the same panel, and each malformed panel is refused with the rows it concerns.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { widePanel } from "../../bindings/estimators/did/synthdid-panel.js";

/** 4 units x 3 periods (unit 3 treated from the second period); `edit` changes the long columns first. */
function panel(edit: (c: { unit: number[]; year: number[]; y: number[]; d: number[] }) => void = () => {}) {
  const c = { unit: [] as number[], year: [] as number[], y: [] as number[], d: [] as number[] };
  for (let u = 0; u < 4; u++) {
    for (let k = 0; k < 3; k++) {
      c.unit.push(u + 1);
      c.year.push(2000 + k);
      c.y.push(10 * u + k + 0.5);
      c.d.push(u === 3 && k >= 1 ? 1 : 0);
    }
  }
  edit(c);
  return fromColumns({ unit: Float64Array.from(c.unit), year: Float64Array.from(c.year), y: Float64Array.from(c.y), d: Float64Array.from(c.d) });
}
const spec = { y: "y", unit: "unit", time: "year", treat: "d" } as const;

describe("widePanel", () => {
  it("units by first appearance, periods increasing, each cell its row's outcome", () => {
    const p = widePanel(panel(), spec);
    expect([p.N, p.T, p.nobs]).toEqual([4, 3, 12]);
    expect(p.periods).toEqual([2000, 2001, 2002]);
    expect(p.units).toEqual(["1", "2", "3", "4"]);
    expect(Array.from(p.Y)).toEqual([0.5, 1.5, 2.5, 10.5, 11.5, 12.5, 20.5, 21.5, 22.5, 30.5, 31.5, 32.5]);
    expect(Array.from(p.adoption)).toEqual([-1, -1, -1, 1]);
  });

  it("rows in reverse order and fractional periods (the Map lookup) give the same cells", () => {
    const p = widePanel(panel((c) => {
      for (const k of ["unit", "year", "y", "d"] as const) c[k].reverse();
      c.year = c.year.map((v) => v + 0.5);
    }), spec);
    expect(p.periods).toEqual([2000.5, 2001.5, 2002.5]);
    expect(p.units).toEqual(["4", "3", "2", "1"]);
    expect(Array.from(p.Y.subarray(0, 3))).toEqual([30.5, 31.5, 32.5]);
    expect(Array.from(p.adoption)).toEqual([1, -1, -1, -1]);
  });

  it("covariates are projected out as the cells fill, in the order given; a missing covariate is named", () => {
    const x1 = Float64Array.from({ length: 12 }, (_, r) => r % 5);
    const x2 = Float64Array.from({ length: 12 }, (_, r) => 0.1 * r);
    const adjustment = { names: ["x1", "x2"], columns: [x1, x2], coefficients: [0.3, -2] };
    const p = widePanel(panel(), { ...spec, adjustment });
    const y = widePanel(panel(), spec).Y;
    // rows are unit by unit, period by period here: cell r is row r
    for (let r = 0; r < 12; r++) expect(p.Y[r]).toBe(y[r] - 0.3 * x1[r] - -2 * x2[r]);
    x2[7] = NaN;
    expect(() => widePanel(panel(), { ...spec, adjustment })).toThrow(/row 8\b.*has no covariate "x2"/);
  });

  it("a subset keeps only its rows", () => {
    const p = widePanel(panel(), { ...spec, subset: "unit >= 2" });
    expect([p.N, p.nobs]).toEqual([3, 9]);
    expect(Array.from(p.Y.subarray(0, 3))).toEqual([10.5, 11.5, 12.5]);
  });

  it("two rows for one cell: names both rows", () => {
    expect(() => widePanel(panel((c) => (c.year[4] = 2000)), spec)).toThrow(/unit 2 has two rows for year 2000 \(row 4\b.* and row 5\b.*\)/);
  });

  it("a missing cell, a switch-off and a unit treated from the start are refused", () => {
    expect(() => widePanel(panel((c) => (c.year[4] = 2007)), spec)).toThrow(/balanced panel, but unit 1 has no row for year 2007/);
    expect(() => widePanel(panel((c) => (c.d[11] = 0)), spec)).toThrow(/switches off: unit 4 is treated from 2001 but untreated in 2002 \(row 12\b/);
    expect(() => widePanel(panel((c) => (c.d[9] = 1)), spec)).toThrow(/unit 4 is treated from the first period \(year 2000\)/);
  });
});
