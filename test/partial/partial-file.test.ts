// The pieces of a partial result: numbers through JSON bit for bit, the data's content hash, and the
// library's merge refusing parts that do not make one run.
import { describe, expect, it } from "vitest";
import { fromExactJson, numbersOf, toExactJson } from "../../bindings/commands/partial/exact-json.js";
import { mergePartials } from "../../bindings/commands/partial/merge.js";
import { runCommandByName } from "../../bindings/commands/run.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { frameHash } from "../../bindings/data/frame-hash.js";
import { isDidwasmError } from "../../bindings/errors.js";

const bits = (x: Float64Array) => Array.from(new Uint32Array(x.buffer));

describe("exact JSON", () => {
  it("NaN, infinities and -0 come back as themselves, finite doubles bit for bit", () => {
    const x = Float64Array.of(NaN, Infinity, -Infinity, -0, 0, 0.1 + 0.2, 1 / 3, Number.MIN_VALUE, -Number.MAX_VALUE, 5e-324);
    const text = JSON.stringify(toExactJson({ draws: x, s: { e: -0, n: [NaN, 2] } }));
    const back = JSON.parse(text);
    expect(bits(numbersOf(back.draws)!)).toEqual(bits(x));
    const s = fromExactJson(back.s) as { e: number; n: number[] };
    expect(Object.is(s.e, -0)).toBe(true);
    expect(s.n[0]).toBeNaN();
    expect(numbersOf([1, "2"])).toBeNull();
  });
});

describe("the data's content hash", () => {
  const cols = { unit: ["a", "a", "b"], year: [1, 2, 1], y: [0.5, 1.5, -2] };
  const h = frameHash(fromColumns(cols));
  it("is the same for the same content and changes with any cell, name or order", () => {
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(frameHash(fromColumns({ ...cols }))).toBe(h);
    expect(frameHash(fromColumns({ ...cols, y: [0.5, 1.5, -2.0000000001] }))).not.toBe(h);
    expect(frameHash(fromColumns({ ...cols, unit: ["a", "a", "c"] }))).not.toBe(h);
    expect(frameHash(fromColumns({ unit: cols.unit, year: cols.year, z: cols.y }))).not.toBe(h);
    expect(frameHash(fromColumns({ unit: ["b", "a", "a"], year: [1, 1, 2], y: [-2, 0.5, 1.5] }))).not.toBe(h);
  });
});

describe("mergePartials refuses what is not one run", () => {
  const data = fromColumns(generateSyntheticPanel({ units: 30, periods: 6, regressors: 1, seed: 2, staggered: { cohorts: [2002, 2004], neverShare: 0.4, effect: 1 } }));
  const O = { formula: "y ~ treat + x1 | unit + year", coef: "treat", cluster: "unit", method: "pairs", reps: 40, seed: 1 };
  const part = (range: string, extra: Record<string, unknown> = {}) => runCommandByName("boot", data, { ...O, ...extra, replicates: range });
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(isDidwasmError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error("not refused");
  };

  it("a range beyond reps is refused when the part runs", async () => {
    const e = await part("30:41").then(() => null, (err: unknown) => err);
    expect(isDidwasmError(e)).toBe(true);
    expect((e as Error).message).toMatch(/replicates 30:41 lie outside this run's replicates 1:40/);
  });

  it("names differing options, overlaps and gaps; merges the complete set", async () => {
    const a = await part("1:20");
    const b = await part("21:40");
    expect(mergePartials([b, a])).toMatchObject({ method: "pairs", reps: 40 });
    expect(refusal(() => mergePartials([a, b].map((p, i) => (i ? p : { ...p, reps: 41 }))))).toMatch(/part 1 belongs to a run of 41 replicates and part 2 to one of 40/);
    expect(refusal(() => mergePartials([a, (async () => null)()]))).toMatch(/part 2 is not a didwasm partial result/);
    expect(refusal(() => mergePartials([a, { ...b }, b]))).toMatch(/replicates overlap/);
    const other = await part("21:40", { reps: 40, tol: 1e-7 });
    expect(refusal(() => mergePartials([a, other]))).toMatch(/part 1 and part 2 were run with different options: tol/);
    expect(refusal(() => mergePartials([]))).toMatch(/give the partial results/);
  });
});
