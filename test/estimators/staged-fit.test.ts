// Fits streamed through the WebAssembly heap (engine/staged/) give the numbers of the in-heap path. The
// staged backend is given a heap of 160 KB with 40 KB blocks, so that on these small panels every
// demeaning runs in blocks of columns and every crossproduct, residual and meat in blocks of rows (the
// spies below check that the splits happened); estimates and clustered standard errors agree to 1e-10.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { createStagedBackend } from "../../bindings/engine/staged/staged-backend.js";
import { feols } from "../../bindings/estimators/feols.js";
import type { Fit } from "../../bindings/estimators/fit.js";

const LIMITS = { heapBytes: 160_000, blockBytes: 40_000 };

/** The inner backend, recording the rows (N) and columns (C) of each kernel call. */
function spied(inner: Backend): { backend: Backend; calls: Array<{ kernel: string; N: number; C?: number }> } {
  const calls: Array<{ kernel: string; N: number; C?: number }> = [];
  const spy = (kernel: "crossprod" | "residuals" | "meatCluster" | "demeanTwoWay" | "fixefCg" | "demean" | "crossprodAB") =>
    (...a: unknown[]) => {
      calls.push({ kernel, N: a[0] as number, C: kernel.startsWith("demean") || kernel === "fixefCg" ? (a[1] as number) : undefined });
      return (inner[kernel] as (...x: unknown[]) => unknown)(...a);
    };
  const names = ["crossprod", "residuals", "meatCluster", "demeanTwoWay", "fixefCg", "demean", "crossprodAB"] as const;
  return { backend: { ...inner, ...Object.fromEntries(names.map((k) => [k, spy(k)])) } as Backend, calls };
}

function panel(missing: boolean) {
  const d = generateSyntheticPanel({ units: 300, periods: 8, regressors: 4, seed: 15, weights: true, unitsPerState: 10 });
  const cols = d as unknown as Record<string, Float64Array | Array<number | string>>;
  // An unbalanced panel (the direct two-way solve, not the balanced shortcut): some outcomes missing.
  if (missing) {
    const y = Float64Array.from(cols.y as Float64Array);
    for (let i = 3; i < y.length; i += 7) y[i] = NaN;
    cols.y = y;
  }
  return fromColumns(d);
}

const expectSame = (a: Fit, b: Fit) => {
  expect(a.nobs).toBe(b.nobs);
  expect(a.coefNames).toEqual(b.coefNames);
  for (const name of a.coefNames) {
    expect(Math.abs(a.coef(name) - b.coef(name))).toBeLessThanOrEqual(1e-10 * Math.abs(b.coef(name)));
    expect(Math.abs(a.se(name) - b.se(name))).toBeLessThanOrEqual(1e-10 * b.se(name));
  }
};

describe("fits on the staged backend equal the in-heap fits", () => {
  const cases: Array<[string, string, Record<string, unknown>, boolean, string]> = [
    ["two-way, clustered by unit, missing rows (direct solve)", "y ~ x1 + x2 + x3 + x4 | unit + year", { vcov: "cluster:unit" }, true, "demeanTwoWay"],
    ["two-way, weighted, two-way clustered", "y ~ x1 + x2 + x3 + x4 | unit + year", { vcov: "cluster:state+year", weights: "w" }, true, "demeanTwoWay"],
    ["three-way (conjugate gradient), clustered by state", "y ~ x1 + x2 + x3 + x4 | unit + year + state^year", { vcov: "cluster:state" }, true, "fixefCg"],
    ["one-way, heteroskedastic, balanced", "y ~ x1 + x2 + x3 + x4 | unit", { vcov: "hetero" }, false, "demean"],
  ];
  it.each(cases)("%s", (_, formula, options, missing, solver) => {
    const frame = panel(missing);
    const inHeap = feols(frame, formula, { ...options, engine: createEngine({ backend: "wasm" }) });
    const spy = spied(createEngine({ backend: "wasm" }).backend);
    const staged = feols(frame, formula, { ...options, engine: { backend: createStagedBackend(spy.backend, LIMITS) } });
    expectSame(staged, inHeap);
    const n = inHeap.nobs;
    // Demeaned in blocks of columns (each with every row), summed in blocks of rows.
    const demeans = spy.calls.filter((c) => c.kernel === solver);
    expect(demeans.length).toBeGreaterThan(1);
    expect(demeans.every((c) => c.N === n && c.C! < 5)).toBe(true);
    expect(spy.calls.some((c) => c.kernel === "crossprod" && c.N < n)).toBe(true);
    expect(spy.calls.some((c) => c.kernel === "residuals" && c.N < n)).toBe(true);
  });

  it("the staged backend refuses a column that cannot fit its heap, saying what it would need", () => {
    const frame = panel(true);
    const tiny = { backend: createStagedBackend(createEngine({ backend: "wasm" }).backend, { heapBytes: 20_000, blockBytes: 10_000 }) };
    expect(() => feols(frame, "y ~ x1 + x2 | unit + year", { engine: tiny })).toThrow(
      expect.objectContaining({ code: "TOO_LARGE", message: expect.stringMatching(/MiB of the WebAssembly heap/) }),
    );
  });
});
