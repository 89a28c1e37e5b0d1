// The balanced panel's closed form without ids (demeanPanelOrder): rows stored unit by unit (or period by
// period) imply their ids, and the kernel must give demeanBalanced's bits over those ids, in both
// orientations, on both backends, in place too.
import { describe, expect, it } from "vitest";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

function columns(N: number, C: number, seed: number): number[] {
  const g = new Xoshiro128(seed);
  // magnitudes that make the order of additions show in the last bits
  return Array.from({ length: N * C }, (_, i) => (g.uniform() - 0.3) * 10 ** ((i % 7) - 3));
}

describe.each(backendNames)("demeanPanelOrder (%s)", (name) => {
  it.each([
    ["unit by unit", 1],
    ["period by period", 0],
  ])("stored %s: demeanBalanced's bits over the implied ids", (_label, unitOuter) => {
    const b = freshBackend(name);
    const a = b.arena();
    const U = 37;
    const T = 6;
    const N = U * T;
    const C = 3;
    const x = columns(N, C, 11 + unitOuter);
    const unit = Int32Array.from({ length: N }, (_, i) => (unitOuter ? Math.floor(i / T) : i % U));
    const time = Int32Array.from({ length: N }, (_, i) => (unitOuter ? i % T : Math.floor(i / U)));
    const viaIds = a.f64(N * C);
    b.demeanBalanced(N, C, a.f64From(x), viaIds, a.i32From(unit), a.i32From(time), U, T, a.f64(U + T));
    const out = a.f64(N * C);
    b.demeanPanelOrder(N, C, a.f64From(x), out, U, T, unitOuter, a.f64(U + T));
    expect(sameBits(out.view, viaIds.view)).toBe(true);
    // in place, as the fit calls it
    const inPlace = a.f64From(x);
    b.demeanPanelOrder(N, C, inPlace, inPlace, U, T, unitOuter, a.f64(U + T));
    expect(sameBits(inPlace.view, viaIds.view)).toBe(true);
    // worked: every unit's and every period's demeaned values sum to zero
    const o = Array.from(out.view.subarray(0, N));
    for (let u = 0; u < U; u++) expect(Math.abs(o.filter((_, i) => unit[i] === u).reduce((s, v) => s + v, 0))).toBeLessThan(1e-9);
    for (let t = 0; t < T; t++) expect(Math.abs(o.filter((_, i) => time[i] === t).reduce((s, v) => s + v, 0))).toBeLessThan(1e-9);
    a.release();
  });
});

describe("parity of demeanPanelOrder", () => {
  it("wasm and reference give bit-identical results", () => {
    const U = 101;
    const T = 9;
    const N = U * T;
    const x = columns(N, 4, 5);
    const run = (name: (typeof backendNames)[number], unitOuter: number) => {
      const b = freshBackend(name);
      const a = b.arena();
      const out = a.f64(N * 4);
      b.demeanPanelOrder(N, 4, a.f64From(x), out, U, T, unitOuter, a.f64(U + T));
      const r = Array.from(out.view);
      a.release();
      return r;
    };
    for (const unitOuter of [0, 1]) expect(sameBits(run("wasm", unitOuter), run("reference", unitOuter))).toBe(true);
  });
});
