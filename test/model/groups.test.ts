// Group encodings: dense ids in order of first appearance, whole-column encodings shared between fits,
// the integer fast path and the hash-map path agreeing, nesting.
import { describe, expect, it } from "vitest";
import { toFrame } from "../../bindings/data/columns.js";
import { parseCsv } from "../../bindings/data/csv.js";
import { groupIds, idsInMemory, isNested, namedGroups, writeIds } from "../../bindings/model/groups.js";
import { buildSample } from "../../bindings/model/sample.js";
import { fitPrepared, prepareModel } from "../../bindings/estimators/feols.js";

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe("groupIds", () => {
  it("dense ids in order of first appearance, for whole numbers, fractions and text", () => {
    const f = toFrame({ year: [2010, 2008, 2010, 2009], x: [0.5, -1.25, 0.5, 3], s: ["b", "a", "b", "c"] });
    for (const name of ["year", "x", "s"]) {
      const g = groupIds(f, name, all(4));
      expect(Array.from(g.ids), name).toEqual([0, 1, 0, 2]);
      expect(g.G, name).toBe(3);
    }
  });

  it("a whole column is encoded once: later calls get the same encoding (ids not recomputed)", () => {
    const f = toFrame({ unit: [3, 3, 7, 7, 9] });
    const a = groupIds(f, "unit", all(5));
    const b = groupIds(f, "unit", all(5));
    expect(b).toBe(a);
    expect(isNested(a, b)).toBe(true);
  });

  it("a subset of rows gets its own encoding, dense over the kept rows", () => {
    const f = toFrame({ unit: [3, 3, 7, 7, 9] });
    const whole = groupIds(f, "unit", all(5));
    const part = groupIds(f, "unit", Int32Array.from([2, 4]));
    expect(part).not.toBe(whole);
    expect(Array.from(part.ids)).toEqual([0, 1]);
    expect(part.G).toBe(2);
  });

  it("most rows of a complete column: renumbered from the whole column's encoding, same ids as encoding afresh", () => {
    const n = 1000;
    const csv = "u,y\n" + Array.from({ length: n }, (_, i) => `${1000 + ((i * 7919) % 37)},${i}`).join("\n") + "\n";
    const f = parseCsv(csv); // complete, so the renumbering path applies
    const plain = toFrame({ u: Array.from(f.numeric("u")) }); // completeness unknown: encoded afresh
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 2);
    const a = groupIds(f, "u", rows);
    const b = groupIds(plain, "u", rows);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
    expect(a.G).toBe(b.G);
    expect(a.ids[0]).toBe(0);
  });

  it("ids far apart (no compact range) go through the hash map and agree with the table path", () => {
    const wide = [1e12, 5, 1e12, -3e9, 5];
    const g = groupIds(toFrame({ v: wide }), "v", all(5));
    expect(Array.from(g.ids)).toEqual([0, 1, 0, 2, 1]);
    const tiny = [1, 1 + 2 ** -40, 1]; // the smallest fraction still makes the column not whole
    expect(Array.from(groupIds(toFrame({ v: tiny }), "v", all(3)).ids)).toEqual([0, 1, 0]);
  });
});

describe("ids kept out of memory until read", () => {
  // Values with runs, a value coming back after others, a negative one below the table's first low end.
  const values = [5, 5, 5, 7, 7, 5, 9, -20, 9, 7];
  const expected = [0, 0, 0, 1, 1, 0, 2, 3, 2, 1];

  it("a whole column of whole numbers: counted at once, written where asked, the ids of encoding afresh", () => {
    const g = groupIds(toFrame({ v: values }), "v", all(values.length));
    expect(g.G).toBe(4);
    expect(idsInMemory(g)).toBeNull(); // nothing encoded into a fresh array yet
    const into = new Int32Array(values.length + 2).fill(-7);
    writeIds(g, into.subarray(1, 1 + values.length));
    expect(Array.from(into)).toEqual([-7, ...expected, -7]);
    expect(idsInMemory(g)).toBeNull();
    // Read: encoded once and kept; writing then copies the kept ids.
    expect(Array.from(g.ids)).toEqual(expected);
    expect(idsInMemory(g)).toBe(g.ids);
    const again = new Int32Array(values.length);
    writeIds(g, again);
    expect(Array.from(again)).toEqual(expected);
    // The same ids as the eager paths: text codes and a subset renumbered.
    expect(Array.from(groupIds(toFrame({ s: values.map(String) }), "s", all(values.length)).ids)).toEqual(expected);
  });

  it("a subset of most rows: its own values encoded while the column's ids are not in memory, renumbered once they are; the same ids", () => {
    // Values with runs and returns; the subset keeps 7 of 10 rows (over half: the shared encoding's path,
    // taken for columns the reader saw complete).
    const frame = parseCsv(`v\n${values.join("\n")}\n`);
    expect(frame.knownFinite("v")).toBe(true);
    const rows = Int32Array.from([0, 2, 3, 5, 6, 7, 9]);
    const expectedSubset = [0, 0, 1, 0, 2, 3, 1];
    const direct = groupIds(frame, "v", rows);
    expect(Array.from(direct.ids)).toEqual(expectedSubset);
    expect(direct.G).toBe(4);
    expect(idsInMemory(groupIds(frame, "v", all(values.length)))).toBeNull(); // encoded from the rows' values
    // Once the column's ids are read, the subset renumbers them: the same ids.
    groupIds(frame, "v", all(values.length)).ids;
    const renumbered = groupIds(frame, "v", rows);
    expect(Array.from(renumbered.ids)).toEqual(expectedSubset);
    expect(renumbered.G).toBe(4);
    // A subset whose values span too wide a range for the table (relative to its rows) still gets its ids.
    const wide = parseCsv("v\n1\n1000000\n1\n2000000\n5\n1\n1000000\n7\n");
    const some = Int32Array.from([0, 1, 2, 3, 5, 6]);
    expect(Array.from(groupIds(wide, "v", some).ids)).toEqual([0, 1, 0, 2, 0, 1]);
  });

  it("a named encoding stays unread until its ids are read, and a spread of it copies them", () => {
    const g = groupIds(toFrame({ v: values }), "v", all(values.length));
    const named = namedGroups("v", g);
    expect(named.name).toBe("v");
    expect(named.G).toBe(4);
    const into = new Int32Array(values.length);
    writeIds(named, into);
    expect(Array.from(into)).toEqual(expected);
    expect(idsInMemory(named)).toBeNull();
    const spread = { ...named, slopes: null };
    expect(Array.from(spread.ids)).toEqual(expected);
    expect(idsInMemory(named)).toBe(g.ids); // read through the name: kept once, for both
  });

  it("a fit on a whole-number panel never reads its fixed effects' or clusters' ids into fresh arrays", () => {
    const U = 40;
    const T = 5;
    const cols = { unit: [] as number[], year: [] as number[], x: [] as number[], y: [] as number[] };
    for (let i = 0; i < U * T; i++) {
      cols.unit.push(100 + Math.floor(i / T));
      cols.year.push(2000 + (i % T));
      cols.x.push(Math.sin(i));
      cols.y.push(Math.cos(3 * i) + Math.sin(i));
    }
    const m = prepareModel(toFrame(cols), "y ~ x | unit + year", { vcov: "cluster:unit" });
    const [fit] = fitPrepared(m, "y ~ x | unit + year");
    expect(fit.nobs).toBe(U * T);
    expect(m.groups[0].sample.fixef.map((g) => idsInMemory(g))).toEqual([null, null]);
    // Read on demand, they are the encodings of the columns.
    expect(Array.from(m.groups[0].sample.fixef[1].ids.subarray(0, 2 * T))).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });
});

describe("isNested", () => {
  it("answers from the group counts when the inner encoding has fewer groups, else from the ids", () => {
    const f = toFrame({ unit: [1, 1, 2, 2, 3, 3], state: [9, 9, 9, 9, 8, 8], year: [1, 2, 1, 2, 1, 2] });
    const unit = groupIds(f, "unit", all(6));
    const state = groupIds(f, "state", all(6));
    const year = groupIds(f, "year", all(6));
    expect(isNested(state, unit)).toBe(false); // fewer groups: not nested, ids unread
    expect([idsInMemory(state), idsInMemory(unit)]).toEqual([null, null]);
    expect(isNested(unit, state)).toBe(true);
    expect(isNested(unit, year)).toBe(false); // as many groups or more, but units span both years
  });
});

describe("columns the reader saw complete", () => {
  it("the CSV reader marks a numeric column complete only when no cell was missing or infinite", () => {
    const f = parseCsv("a,b,c,d\n1,2,3,x\n4,,Inf,y\n5,6,7,z\n");
    expect(f.knownFinite("a")).toBe(true);
    expect(f.knownFinite("b")).toBe(false); // an empty cell
    expect(f.knownFinite("c")).toBe(false); // infinite
    expect(f.knownFinite("d")).toBe(false); // text
    expect(f.knownFinite("nope")).toBe(false);
    expect(toFrame({ a: [1, 2] }).knownFinite("a")).toBe(false); // unknown: the sample scans it
  });

  it("the sample is the same whether a column's completeness is known or scanned", () => {
    const csv = "y,x,g\n1,2,1\n2,,1\n3,4,2\n4,5,2\n";
    const parsed = parseCsv(csv);
    const plain = toFrame({ y: [1, 2, 3, 4], x: [2, NaN, 4, 5], g: [1, 1, 2, 2] });
    const req = {
      numeric: [{ name: "y", role: "outcome" }, { name: "x", role: "regressor" }],
      categorical: [{ name: "g", role: "fixed effect" }],
      fixef: [{ name: "g", vars: ["g"], pos: 0 }],
      fixefRm: "none" as const,
    };
    const a = buildSample(parsed, req);
    const b = buildSample(plain, req);
    expect(Array.from(a.rows)).toEqual([0, 2, 3]);
    expect(Array.from(b.rows)).toEqual([0, 2, 3]);
    expect(a.dropped.missing).toBe(1);
    expect(b.dropped.missing).toBe(1);
  });
});
