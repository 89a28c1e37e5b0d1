// Jobs larger than the engine can hold end in a TOO_LARGE error, counted before anything is allocated,
// that says what is needed, what the engine gives and what reduces it; they used to fail halfway with
// "internal error ... (please report this)". Nothing here allocates more than a few megabytes: the limits
// are lowered through OlsJob.memoryLimits, or the designs asked for are refused before they are made.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { eventStudy } from "../../bindings/estimators/did/event-study.js";
import { checkMemory, memoryLimitsOf, olsBuffers, type OlsShape } from "../../bindings/estimators/ols-memory.js";
import { runOls, type OlsJob } from "../../bindings/estimators/ols-core.js";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { groupIds } from "../../bindings/model/groups.js";
import { designColumns, indicatorColumn } from "../../bindings/model/lazy-columns.js";
import { DEFAULT_SSC } from "../../bindings/model/vcov-spec.js";
import { backendNames } from "../helpers/backends.js";
import { errorOf } from "../helpers/frames.js";

const GiB = 2 ** 30;

describe("memory needed by a least-squares job", () => {
  const shape = (n: number, K: number): OlsShape => ({
    n, outcomes: 1, regressors: K, indicatorBlocks: [], fixefGroups: [n / 20, 20], weighted: false, clusterings: [n / 20], vcov: "cluster",
  });

  it("20M rows x 6 regressors: one 1.04 GiB buffer for [y X], over the wasm heap's 1 GiB blocks", () => {
    const needs = olsBuffers(shape(20_000_000, 6));
    const largest = needs.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    expect(largest.bytes).toBe(8 * 20_000_000 * 7);
    expect(largest.what).toMatch(/20,000,000 rows x 7 columns/);
    const e = errorOf(() => checkMemory(needs, memoryLimitsOf("wasm"), "WebAssembly engine", ["a subset"]));
    expect(e.code).toBe("TOO_LARGE");
    expect(e.message).toMatch(/1\.04 GiB of it in one buffer .* at most 1\.00 GiB per buffer and 3\.94 GiB in all \(the one buffer is over\)\. To reduce it: a subset/);
    // The reference backend's typed arrays take it.
    expect(() => checkMemory(needs, memoryLimitsOf("reference"), "reference engine", [])).not.toThrow();
  });

  it("1M rows x 6 regressors fits the wasm heap", () => {
    expect(() => checkMemory(olsBuffers(shape(1_000_000, 6)), memoryLimitsOf("wasm"), "WebAssembly engine", [])).not.toThrow();
    const total = olsBuffers(shape(1_000_000, 6)).reduce((s, b) => s + b.bytes, 0);
    expect(total).toBeLessThan(0.2 * GiB);
  });
});

/** A backend that counts the arenas asked of it: a refused job must not have started one. */
function counting(b: Backend): { backend: Backend; arenas: () => number } {
  let count = 0;
  return { backend: { ...b, arena: () => (count++, b.arena()) }, arenas: () => count };
}

describe.each(backendNames)("runOls refuses a job over its backend's limits before allocating (%s)", (name) => {
  const frame = fromColumns(generateSyntheticPanel({ units: 50, periods: 4, regressors: 3, seed: 2 }));
  const rows = Int32Array.from({ length: frame.nrow }, (_, i) => i);
  const unit = { name: "unit", ...groupIds(frame, "unit", rows) };
  const names = ["x1", "x2", "x3"];
  const job = (backend: Backend, memoryLimits: OlsJob["memoryLimits"]): OlsJob => ({
    backend, outcomes: [{ name: "y", values: frame.numeric("y") }], design: { names, columns: names.map((x) => frame.numeric(x)), intercept: false },
    weights: null, fixef: [unit], tol: 1e-8, maxIter: 1000, vcov: { type: "hetero" }, ssc: DEFAULT_SSC, clusterGroups: () => unit, memoryLimits,
  });

  it("a buffer over the block limit", () => {
    const c = counting(createEngine({ backend: name }).backend);
    const e = errorOf(() => runOls(job(c.backend, { blockBytes: 4096, totalBytes: Infinity })));
    expect(e.code).toBe("TOO_LARGE");
    // [y X] is 200 rows x 4 columns of 8 bytes.
    expect(e.message).toMatch(/7 KiB of it in one buffer for the outcome and regressor columns \(200 rows x 4 columns\)/);
    expect(e.message).toMatch(/at most 4 KiB per buffer \(the one buffer is over\)/);
    expect(e.message).toMatch(/fewer regressors \(3\); a subset of the 200 rows/);
    if (name === "wasm") expect(e.message).toMatch(/--backend reference/);
    else expect(e.message).not.toMatch(/--backend reference/);
    expect(e.details.largestBufferBytes).toBe(6400);
    expect(c.arenas()).toBe(0);
  });

  it("a total over the heap", () => {
    const c = counting(createEngine({ backend: name }).backend);
    const e = errorOf(() => runOls(job(c.backend, { blockBytes: GiB, totalBytes: 12_000 })));
    expect(e.message).toMatch(/at most 1\.00 GiB per buffer and 12 KiB in all \(the total is over\)/);
    expect(c.arenas()).toBe(0);
  });

  it("the same job within the limits runs", () => {
    expect(runOls(job(createEngine({ backend: name }).backend, { blockBytes: GiB, totalBytes: 4 * GiB })).outcomes[0].coef).toHaveLength(3);
  });
});

/** A backend whose arenas record the bytes of every buffer they hand out. */
function metered(b: Backend): { backend: Backend; buffers: number[] } {
  const buffers: number[] = [];
  const arena = () => {
    const a = b.arena();
    return {
      ...a,
      f64: (len: number, zero?: boolean) => (buffers.push(8 * len), a.f64(len, zero)),
      i32: (len: number, zero?: boolean) => (buffers.push(4 * len), a.i32(len, zero)),
      f64From: (v: ArrayLike<number>) => (buffers.push(8 * v.length), a.f64From(v)),
      i32From: (v: ArrayLike<number>) => (buffers.push(4 * v.length), a.i32From(v)),
      f64Part: a.f64Part.bind(a),
      release: a.release.bind(a),
    };
  };
  return { backend: { ...b, arena }, buffers };
}

describe.each(backendNames)("the count bounds what runOls allocates (%s)", (name) => {
  const frame = fromColumns(generateSyntheticPanel({ units: 300, periods: 8, regressors: 4, seed: 6, weights: true, unitsPerState: 10 }));
  const rows = Int32Array.from({ length: frame.nrow }, (_, i) => i);
  const enc = (v: string) => ({ name: v, ...groupIds(frame, v, rows) });
  const names = ["x1", "x2", "x3", "x4"];
  const cases: Array<[string, Pick<OlsJob, "fixef" | "vcov" | "weights">]> = [
    ["two-way, weighted, two-way clustered", { fixef: [enc("unit"), enc("year")], vcov: { type: "cluster", vars: ["state", "year"] }, weights: frame.numeric("w") }],
    ["one-way, heteroskedastic", { fixef: [enc("unit")], vcov: { type: "hetero" }, weights: null }],
    ["three-way, iid", { fixef: [enc("unit"), enc("year"), enc("state")], vcov: { type: "iid" }, weights: null }],
  ];
  it.each(cases)("%s", (_, c) => {
    const m = metered(createEngine({ backend: name }).backend);
    const job: OlsJob = {
      backend: m.backend, outcomes: [{ name: "y", values: frame.numeric("y") }], design: { names, columns: names.map((x) => frame.numeric(x)), intercept: false },
      tol: 1e-8, maxIter: 1000, ssc: DEFAULT_SSC, clusterGroups: enc, ...c,
    };
    runOls(job);
    const vcov = job.vcov;
    const counted = olsBuffers({
      n: frame.nrow, outcomes: 1, regressors: 4, indicatorBlocks: [], fixefGroups: job.fixef.map((f) => f.G), weighted: job.weights !== null, vcov: vcov.type,
      clusterings: vcov.type === "cluster" ? [enc("state").G, enc("year").G, frame.nrow] : [],
    }).map((b) => b.bytes);
    const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
    expect(Math.max(...counted)).toBeGreaterThanOrEqual(Math.max(...m.buffers));
    expect(sum(counted)).toBeGreaterThanOrEqual(sum(m.buffers));
    expect(sum(counted)).toBeLessThan(2 * sum(m.buffers));
  });

  it("a design with an indicator block between dense regressors", () => {
    const m = metered(createEngine({ backend: name }).backend);
    const year = enc("year");
    const code = Int32Array.from(year.ids, (t) => t - 1);
    const dummies = Array.from({ length: year.G - 1 }, (_, j) => indicatorColumn(code, j));
    const design = {
      names: ["x1", ...dummies.map((_, j) => `d${j}`), "x2"], columns: designColumns([frame.numeric("x1"), ...dummies, frame.numeric("x2")]), intercept: false,
      indicators: [{ start: 1, count: dummies.length, code }],
    };
    const unit = enc("unit");
    runOls({
      backend: m.backend, outcomes: [{ name: "y", values: frame.numeric("y") }], design, weights: null, fixef: [unit], tol: 1e-8, maxIter: 1000,
      vcov: { type: "cluster", vars: ["unit"] }, ssc: DEFAULT_SSC, clusterGroups: enc,
    });
    const counted = olsBuffers({
      n: frame.nrow, outcomes: 1, regressors: design.names.length, indicatorBlocks: [dummies.length], fixefGroups: [unit.G], weighted: false, vcov: "cluster",
      clusterings: [unit.G],
    }).map((b) => b.bytes);
    expect(Math.max(...counted)).toBeGreaterThanOrEqual(Math.max(...m.buffers));
    expect(counted.reduce((s, x) => s + x, 0)).toBeGreaterThanOrEqual(m.buffers.reduce((s, x) => s + x, 0));
  });
});

describe("estimators built on the core refuse designs too large for the wasm heap, before making them", () => {
  it("an event study with 2,000 periods: ~4,000 relative-time dummies on 120,000 rows", () => {
    const units = 60;
    const periods = 2000;
    const unit = new Float64Array(units * periods);
    const year = new Float64Array(units * periods);
    const cohort = new Float64Array(units * periods);
    const y = new Float64Array(units * periods);
    for (let u = 0; u < units; u++) {
      for (let t = 0; t < periods; t++) {
        const r = u * periods + t;
        unit[r] = u;
        year[r] = t;
        cohort[r] = u % 3 === 0 ? 0 : 1 + ((u * 37) % (periods - 1));
        y[r] = Math.sin(r);
      }
    }
    const e = errorOf(() => eventStudy({ unit, year, cohort, y }, { y: "y", unit: "unit", time: "year", cohort: "cohort", never: 0, engine: createEngine() }));
    expect(e.code).toBe("TOO_LARGE");
    expect(e.message).toMatch(/120,000 rows x \d,\d{3} columns/);
    expect(e.message).toMatch(/event-time cells/);
  });
});
