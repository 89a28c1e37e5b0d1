// Adoption timing from a 0/1 treatment: each unit's first treated period is its cohort; rows without a unit,
// a period or a treatment value stay out; a value other than 0/1 and a treatment that switches off are
// refused, naming the row (and, for a switch-off, the estimator's words and dcdh).
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { timingFromTreatment } from "../../bindings/estimators/did/cohorts.js";

const spec = { unit: "u", time: "t", treat: "d" };

describe("timingFromTreatment", () => {
  it("cohorts per row and unit, never-treated as Infinity, missing cells left out", () => {
    const frame = fromColumns({
      u: [1, 1, 1, 2, 2, 2, 3, 3, 3],
      t: [2000, 2001, 2002, 2000, 2001, 2002, 2000, 2001, 2002],
      d: [0, 1, 1, 0, 0, 0, 0, NaN, 1],
    });
    const timing = timingFromTreatment(frame, spec);
    expect(Array.from(timing.cohortOfRow)).toEqual([2001, 2001, 2001, Infinity, Infinity, Infinity, 2002, NaN, 2002]);
    expect(timing.cohorts).toEqual([2001, 2002]);
    expect(timing.neverTreatedUnits).toBe(1);
    expect(timing.periods).toEqual([2000, 2001, 2002]);
  });

  it("each unit's cohort and the frame's unit ids give every usable row's cohort", () => {
    const frame = fromColumns({ u: [1, 1, 2, 2, NaN, 3, 3], t: [2000, 2001, 2000, 2001, 2000, 2000, NaN], d: [0, 1, 0, 0, 1, 1, 1] });
    const timing = timingFromTreatment(frame, spec);
    expect(Array.from(timing.unitIds)).toEqual([0, 0, 1, 1, -1, 2, 2]);
    expect(Array.from(timing.cohortOfUnit)).toEqual([2001, Infinity, 2000]);
    const rows = timing.cohortOfRow;
    expect(Array.from(rows)).toEqual([2001, 2001, Infinity, Infinity, NaN, 2000, NaN]);
    expect(timing.cohortOfRow).toBe(rows); // built once
    rows.forEach((g, r) => {
      if (!Number.isNaN(g)) expect(timing.cohortOfUnit[timing.unitIds[r]]).toBe(g);
    });
  });

  it("refuses a value other than 0 or 1, and a switch-off, naming the row", () => {
    const frame = (d: number[]) => fromColumns({ u: [1, 1, 2, 2], t: [2000, 2001, 2000, 2001], d });
    expect(() => timingFromTreatment(frame([0, 1, 0, 2]), spec)).toThrow(/treatment "d" must be 0 or 1, but row 4\b.* has 2/);
    expect(() => timingFromTreatment(frame([1, 0, 0, 0]), { ...spec, estimator: "Stacked DID" })).toThrow(
      /switches off: unit 1 is treated from 2000 but untreated in 2001 \(row 2\b.*Stacked DID assumes staggered adoption.*didwasm dcdh/,
    );
  });
});
