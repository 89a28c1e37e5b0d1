// Design columns made only when read, with writers that put them straight into a fit's buffer; buildDesign
// makes a subsample's plain variables that way.
import { describe, expect, it } from "vitest";
import { toFrame } from "../../bindings/data/columns.js";
import { buildDesign } from "../../bindings/model/design.js";
import { parseFormula } from "../../bindings/model/formula.js";
import { columnWriter, designColumns, gatheredColumn, indicatorColumn } from "../../bindings/model/lazy-columns.js";

describe("designColumns", () => {
  const code = Int32Array.from([1, -1, 0, 1, 0]);
  const plain = Float64Array.from([5, 6, 7, 8, 9]);

  it("plain columns stay as given; lazy ones are made on first read, once", () => {
    let made = 0;
    const cols = designColumns([plain, { make: () => (made++, Float64Array.from([1, 2, 3, 4, 5])), write: () => {} }]);
    expect(cols.length).toBe(2);
    expect(cols[0]).toBe(plain);
    expect(made).toBe(0);
    const first = cols[1];
    expect(Array.from(first)).toEqual([1, 2, 3, 4, 5]);
    expect(cols[1]).toBe(first);
    expect(made).toBe(1);
  });

  it("a lazy column's writer fills a buffer exactly as the made column, without making it", () => {
    const cols = designColumns([plain, indicatorColumn(code, 0), indicatorColumn(code, 1)]);
    expect(columnWriter(cols, 0)).toBeNull();
    const out = new Float64Array(12).fill(7); // stale values must be overwritten
    columnWriter(cols, 2)!(out, 1);
    expect(Array.from(out)).toEqual([7, 1, 0, 0, 1, 0, 7, 7, 7, 7, 7, 7]);
    expect(Array.from(cols[1])).toEqual([0, 0, 1, 0, 1]);
    expect(Array.from(cols[2])).toEqual([1, 0, 0, 1, 0]);
  });

  it("gathered columns: a subset is gathered; every row is the column itself", () => {
    const values = Float64Array.from([10, 11, 12, 13]);
    const sub = gatheredColumn(values, Int32Array.from([1, 3]));
    expect(Array.from(sub.make())).toEqual([11, 13]);
    const out = new Float64Array(4);
    sub.write(out, 2);
    expect(Array.from(out)).toEqual([0, 0, 11, 13]);
    expect(gatheredColumn(values, Int32Array.from([0, 1, 2, 3])).make()).toBe(values);
  });
});

describe("buildDesign over a subsample", () => {
  it("plain variables are gathered by the fit's writer (no array made first); over every row they are the column itself", () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const z = Float64Array.from([6, 5, 4, 3, 2, 1]);
    const frame = toFrame({ x, z });
    const rows = Int32Array.from([0, 2, 5]);
    const d = buildDesign(frame, parseFormula("y ~ x + x:z"), rows, true);
    expect(d.names).toEqual(["x", "x:z"]);
    expect(columnWriter(d.columns, 0)).not.toBeNull();
    const out = new Float64Array(3);
    columnWriter(d.columns, 0)!(out, 0);
    expect(Array.from(out)).toEqual([1, 3, 6]);
    expect(Array.from(d.columns[0])).toEqual([1, 3, 6]);
    expect(Array.from(d.columns[1])).toEqual([6, 12, 6]);
    const whole = buildDesign(frame, parseFormula("y ~ x"), Int32Array.from([0, 1, 2, 3, 4, 5]), true);
    expect(whole.columns[0]).toBe(x);
  });
});
