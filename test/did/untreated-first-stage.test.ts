// The first stage of did2s and the imputation estimator encodes units and periods over the untreated rows.
// When the sample is every frame row and units first occur untreated in the order of their first rows, that
// encoding is the frame's own unit ids, shared rather than rebuilt; otherwise a fresh one. Either way the
// ids are those of the untreated rows' first appearances, and the data are left as they were.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import type { Frame } from "../../bindings/data/frame.js";
import { resolveCommon } from "../../bindings/estimators/common-options.js";
import { timingFromTreatment, unitIdsOfFrame } from "../../bindings/estimators/did/cohorts.js";
import { withUntreatedFit } from "../../bindings/estimators/did/untreated-first-stage.js";

/** 6 units x 5 years; unit 1 (first in the file) is treated from `firstCohort` (2000: always treated). */
function panel(firstCohort: number): Frame {
  const cols = { unit: [] as number[], year: [] as number[], y: [] as number[], treat: [] as number[] };
  const cohorts = [firstCohort, 2002, 0, 2003, 0, 2002];
  cohorts.forEach((g, u) => {
    for (let t = 2000; t < 2005; t++) {
      cols.unit.push(u + 1);
      cols.year.push(t);
      cols.treat.push(g !== 0 && t >= g ? 1 : 0);
      cols.y.push(u + 0.5 * (t - 2000) + ((u * 7 + t) % 3) * 0.1);
    }
  });
  return fromColumns(cols);
}

function firstStage(frame: Frame) {
  const common = resolveCommon({ threads: 1 }, { type: "iid" }, frame.nrow);
  const spec = { y: "y", unit: "unit", time: "year", treat: "treat", controls: [], categorical: [], rowFilter: null };
  return withUntreatedFit(frame, spec, common, [], (f) => ({ unitId: f.enc.unitId, units: f.enc.units, rows: Array.from(f.rows), treated: Array.from(f.treated) }));
}

/** Dense ids in order of first appearance among the untreated rows of `rows` (the definition). */
function expectedIds(frame: Frame, rows: number[], treated: number[]): number[] {
  const unit = frame.numeric("unit");
  const index = new Map<number, number>();
  rows.forEach((r, i) => {
    if (treated[i] === 0 && !index.has(unit[r])) index.set(unit[r], index.size);
  });
  return rows.map((r) => index.get(unit[r]) ?? -1);
}

describe("untreated first stage: unit encoding", () => {
  it("shares the frame's unit ids when every row is in the sample and units first occur untreated in order", () => {
    const frame = panel(2003);
    timingFromTreatment(frame, { unit: "unit", time: "year", treat: "treat" });
    const f = firstStage(frame);
    expect(f.rows.length).toBe(frame.nrow);
    expect(f.unitId).toBe(unitIdsOfFrame(frame, "unit").ids); // the same array, not a copy
    expect(Array.from(f.unitId)).toEqual(expectedIds(frame, f.rows, f.treated));
  });

  it("encodes afresh when a unit has no untreated row (always treated: its rows are dropped)", () => {
    const frame = panel(2000);
    const f = firstStage(frame);
    expect(f.rows.length).toBe(frame.nrow - 5);
    expect(f.unitId).not.toBe(unitIdsOfFrame(frame, "unit").ids);
    expect(Array.from(f.unitId)).toEqual(expectedIds(frame, f.rows, f.treated));
    expect(f.units).toBe(5);
  });
});
