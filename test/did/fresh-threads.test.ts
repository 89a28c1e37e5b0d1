// Estimators whose per-row arrays come from memory that kernel threads touch first (engine/fresh-arrays.ts)
// give exactly the one-thread numbers with two or three threads: touching changes no value, and arrays from
// the region start at zero as new ones do. Kernel threads run the built JavaScript (dist/), as in
// test/estimators/threads.test.ts.
import { describe, expect, it } from "vitest";
import { callawaySantAnna, dcdh, etwfe, imputation, twoStage } from "../../dist/bindings/index.js";
import { fromColumns } from "../../dist/bindings/data/columns.js";
import { freshRoomLeft } from "../../dist/bindings/engine/fresh-arrays.js";
import { Xoshiro128 } from "../../dist/bindings/random/xoshiro.js";

/** The result's JSON without what says how many threads ran: the note that more were asked for than the
 *  machine has, and a fit's "threads" count. */
function numbers(r: { toJSON(): unknown }): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.filter((x) => !(x && typeof x === "object" && (x as { kind?: string }).kind === "threads")).map(strip);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "threads").map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(JSON.parse(JSON.stringify(r.toJSON())));
}

/** 5,000 units x 12 years, cohorts 2004, 2006, 2008 and never treated, effects growing with time since
 *  adoption (60,000 rows: per-row arrays large enough to come from the touched region). */
function panel() {
  const g = new Xoshiro128(2027, 3);
  const cols = { unit: [] as number[], year: [] as number[], cohort: [] as number[], treat: [] as number[], x1: [] as number[], y: [] as number[] };
  for (let u = 0; u < 5000; u++) {
    const cohort = [2004, 2006, 2008, 0][u % 4];
    const a = g.normal();
    for (let t = 2000; t < 2012; t++) {
      const x1 = g.normal();
      const d = cohort > 0 && t >= cohort ? 1 : 0;
      cols.unit.push(u + 1); cols.year.push(t); cols.cohort.push(cohort); cols.treat.push(d); cols.x1.push(x1);
      cols.y.push(a + 0.1 * (t - 2000) + 0.5 * x1 + d * (1 + 0.2 * (t - cohort)) + g.normal());
    }
  }
  return fromColumns(cols);
}

describe("estimators with arrays touched first by kernel threads", () => {
  const data = panel();
  const panelSpec = { y: "y", unit: "unit", time: "year" };
  const cases = {
    imputation: (threads: number) => imputation(data, { ...panelSpec, treat: "treat", controls: ["x1"], horizons: "all", pretrends: 2, threads }),
    did2s: (threads: number) => twoStage(data, { ...panelSpec, treat: "treat", controls: ["x1"], threads }),
    etwfe: (threads: number) => etwfe(data, { ...panelSpec, cohort: "cohort", controls: ["x1"], vcov: "cluster:unit", aggregate: "event", threads }),
    csdid: (threads: number) => callawaySantAnna(data, { ...panelSpec, cohort: "cohort", controls: ["x1"], threads }),
    dcdh: (threads: number) => dcdh(data, { ...panelSpec, treat: "treat", effects: 3, placebo: 2, threads }),
  };
  it.each(Object.keys(cases) as Array<keyof typeof cases>)("%s: the same numbers for 1, 2 and 3 threads, the arrays from a touched region", (name) => {
    const one = numbers(cases[name](1));
    const room = freshRoomLeft();
    const two = numbers(cases[name](2));
    expect(freshRoomLeft()).toBeLessThan(room); // a region was reserved (until the process's cap)
    expect(two).toEqual(one);
    expect(numbers(cases[name](3))).toEqual(one);
  });
});
