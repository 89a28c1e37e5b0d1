// The treatment-timing passes (cohorts.ts) run over blocks of ROW_BLOCK rows (engine/row-block.ts). On a
// panel of several blocks: the cohorts and periods are those of a plain reading of the data, and a bad row
// in a later block (a fractional period, a treatment of 2, a switch-off, a cohort that varies within its
// unit) is refused by its own row number, not the first block's.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { distinctPeriods, timingFromCohort, timingFromTreatment } from "../../bindings/estimators/did/cohorts.js";
import { ROW_BLOCK } from "../../bindings/engine/row-block.js";

const T = 10;
const UNITS = Math.ceil((2.5 * ROW_BLOCK) / T); // rows span three blocks, the last one partial

/** Unit u adopts in 2003 + (u mod 4) (u mod 4 = 3: never); 2000 .. 2009. */
function panel() {
  const u: number[] = [];
  const t: number[] = [];
  const d: number[] = [];
  const g: number[] = [];
  for (let k = 0; k < UNITS; k++) {
    const cohort = k % 4 === 3 ? 0 : 2003 + (k % 4);
    for (let p = 0; p < T; p++) {
      u.push(k + 1);
      t.push(2000 + p);
      d.push(cohort !== 0 && 2000 + p >= cohort ? 1 : 0);
      g.push(cohort);
    }
  }
  return { u, t, d, g };
}

/** A row well inside the third block. */
const LATE = 2 * ROW_BLOCK + 17;

describe("treatment timing over several row blocks", () => {
  it("cohorts and periods of every unit, from the treatment and from the cohort column alike", () => {
    const p = panel();
    const frame = fromColumns(p);
    const byTreat = timingFromTreatment(frame, { unit: "u", time: "t", treat: "d" });
    const byCohort = timingFromCohort(frame, { unit: "u", time: "t", cohort: "g" });
    const want = Array.from({ length: UNITS }, (_, k) => (k % 4 === 3 ? Infinity : 2003 + (k % 4)));
    expect(Array.from(byTreat.cohortOfUnit)).toEqual(want);
    expect(Array.from(byCohort.cohortOfUnit)).toEqual(want);
    expect(Array.from(byTreat.cohortOfRow)).toEqual(p.g.map((c) => (c === 0 ? Infinity : c)));
    expect(Array.from(byCohort.cohortOfRow)).toEqual(Array.from(byTreat.cohortOfRow));
    expect(byCohort.periods).toEqual(Array.from({ length: T }, (_, k) => 2000 + k));
    expect(byCohort.cohorts).toEqual([2003, 2004, 2005]);
  });

  it("a fractional period in a late block, by its row", () => {
    const p = panel();
    p.t[LATE] = 2004.5;
    expect(() => distinctPeriods(fromColumns(p), "t")).toThrow(new RegExp(`time variable "t" must hold whole numbers \\(periods\\), but row ${LATE + 1}\\b.* has 2004\\.5`));
  });

  it("a treatment of 2 and a switch-off in a late block, by their rows", () => {
    const p = panel();
    p.d[LATE] = 2;
    expect(() => timingFromTreatment(fromColumns(p), { unit: "u", time: "t", treat: "d" })).toThrow(new RegExp(`must be 0 or 1, but row ${LATE + 1}\\b.* has 2`));
    const q = panel();
    // the last period (2009) of a unit treated from 2003 (index a multiple of 4), in the third block
    const unit = Math.floor(LATE / T) - (Math.floor(LATE / T) % 4);
    const r = unit * T + T - 1;
    expect(r).toBeGreaterThanOrEqual(2 * ROW_BLOCK);
    q.d[r] = 0;
    expect(() => timingFromTreatment(fromColumns(q), { unit: "u", time: "t", treat: "d" })).toThrow(
      new RegExp(`switches off: unit ${unit + 1} is treated from 2003 but untreated in 2009 \\(row ${r + 1}\\b`),
    );
  });

  it("a cohort that varies within its unit in a late block, by its row", () => {
    const p = panel();
    const r = LATE - (LATE % T) + 5; // a unit's sixth row
    p.g[r] = p.g[r] === 0 ? 2004 : 0;
    expect(() => timingFromCohort(fromColumns(p), { unit: "u", time: "t", cohort: "g" })).toThrow(
      new RegExp(`cohort variable "g" varies within unit ${Math.floor(r / T) + 1}: row ${r - 5 + 1}\\b.* has .*, row ${r + 1}\\b`),
    );
  });
});
