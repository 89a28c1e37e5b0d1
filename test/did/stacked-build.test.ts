// The stack (bindings/estimators/did/stacked-build.ts) is written in one pass over the data, every
// sub-experiment into its own segment. Here it is built the way the paper describes it, one cohort after
// another, each taking its rows in data order, and compared row by row: with clean controls "notyet" and
// "never", rows missing at random, and a cohort in the middle left out (its treated rows all unusable), so
// that the segments after it move down.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { timingFromCohort, unitIdsOfFrame } from "../../bindings/estimators/did/cohorts.js";
import { buildStack, type CleanControls } from "../../bindings/estimators/did/stacked-build.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const WINDOW: [number, number] = [-2, 1];

function panel() {
  const rng = new Xoshiro128(23);
  const cols = { unit: [] as number[], year: [] as number[], cohort: [] as number[] };
  const cohorts = [2003, 2003, 2005, 2005, 2005, 2006, 2009, 0, 0, 0, 0];
  // Rows in year order (not unit by unit), so that a sub-experiment's rows interleave units.
  for (let t = 2000; t <= 2010; t++) {
    cohorts.forEach((g, u) => {
      if (rng.uniform() < 0.1) return;
      cols.unit.push(u);
      cols.year.push(t);
      cols.cohort.push(g);
    });
  }
  return fromColumns(cols);
}

/** One cohort after another: its units and clean controls in the window, in data order. */
function naive(f: ReturnType<typeof panel>, usable: Uint8Array, clean: CleanControls) {
  const year = f.numeric("year");
  const cohort = f.numeric("cohort");
  const source: number[] = [];
  const treated: number[] = [];
  const event: number[] = [];
  const starts = [0];
  const kept: number[] = [];
  for (const a of [2003, 2005, 2006, 2009]) {
    if (a + WINDOW[0] < 2000 || a + WINDOW[1] > 2010) continue;
    const rows: number[] = [];
    for (let r = 0; r < f.nrow; r++) {
      const g = cohort[r] === 0 ? Infinity : cohort[r];
      const e = year[r] - a;
      if (!usable[r] || e < WINDOW[0] || e > WINDOW[1]) continue;
      if (g === a || g === Infinity || (clean === "notyet" && g > a + WINDOW[1])) rows.push(r);
    }
    const nTreated = rows.filter((r) => cohort[r] === a).length;
    if (nTreated === 0 || nTreated === rows.length) continue;
    kept.push(a);
    for (const r of rows) {
      source.push(r);
      treated.push(cohort[r] === a ? 1 : 0);
      event.push(year[r] - a);
    }
    starts.push(source.length);
  }
  return { source, treated, event, starts, kept };
}

describe("the stack written in one pass equals the stack built cohort by cohort", () => {
  const f = panel();
  const timing = timingFromCohort(f, { unit: "unit", time: "year", cohort: "cohort", never: 0 });
  const units = unitIdsOfFrame(f, "unit");
  const cases: Array<[string, CleanControls, (r: number) => boolean]> = [
    ["not yet treated controls", "notyet", () => true],
    ["never-treated controls", "never", () => true],
    ["cohort 2005's rows unusable: left out, the later segments move down", "notyet", (r) => f.numeric("cohort")[r] !== 2005],
  ];
  for (const [label, clean, use] of cases) {
    it(label, () => {
      const usable = Uint8Array.from({ length: f.nrow }, (_, r) => (use(r) ? 1 : 0));
      const s = buildStack({ timing, time: f.numeric("year"), unitIds: units.ids, units: units.G, usable, window: WINDOW, cleanControls: clean });
      const want = naive(f, usable, clean);
      expect(s.experiments.map((x) => x.cohort)).toEqual(want.kept);
      expect(Array.from(s.source)).toEqual(want.source);
      expect(Array.from(s.treated)).toEqual(want.treated);
      expect(Array.from(s.event)).toEqual(want.event);
      expect(Array.from(s.starts)).toEqual(want.starts);
      s.experiments.forEach((x, j) => {
        const rows = want.source.slice(want.starts[j], want.starts[j + 1]);
        const isTreated = (r: number) => f.numeric("cohort")[r] === x.cohort;
        expect(x.rows).toBe(rows.length);
        expect(x.treatedRows).toBe(rows.filter(isTreated).length);
        expect(x.treatedUnits).toBe(new Set(rows.filter(isTreated).map((r) => f.numeric("unit")[r])).size);
        expect(x.controlUnits).toBe(new Set(rows.filter((r) => !isTreated(r)).map((r) => f.numeric("unit")[r])).size);
      });
      if (label.startsWith("cohort 2005")) expect(s.notes.some((n) => n.message.includes("cohort 2005 left out"))).toBe(true);
    });
  }
});
