// Whole-fit benchmark, in process: feols(y ~ x1+...+x6 | unit + year, vcov cluster:unit) on the 1e6-row
// panel with the wasm and the reference backend (each on its shared default engine, warmed up), then a
// breakdown of one fit into kernel time (the backend calls), arena time (allocating and zero-filling the
// job's buffers) and host time (everything else: sample, design, group encodings, copies, statistics),
// from an engine whose calls are timed (bench/lib/instrument.mjs).
//
//   node bench/fit.bench.mjs [--data FILE] [--json OUT] [--time MS]
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { Bench } from "tinybench";
import { readCsvFile } from "../dist/bindings/data/read-file.js";
import { feols } from "../dist/bindings/estimators/feols.js";
import { timedEngine } from "./lib/instrument.mjs";
import { median } from "./lib/cli-measure.mjs";
import { FORMULA, VCOV, dataPath, requireBuild } from "./lib/paths.mjs";
import { printTable, summarize } from "./lib/tiny.mjs";

const { values: args } = parseArgs({
  options: { data: { type: "string", default: dataPath("1e6") }, json: { type: "string" }, time: { type: "string", default: "4000" } },
});
requireBuild();
const frame = readCsvFile(args.data);
const fit = (opts) => feols(frame, FORMULA, { vcov: VCOV, ...opts });

// Parity: same coefficients and standard errors from both backends.
const fw = fit({ backend: "wasm" });
const fr = fit({ backend: "reference" });
const tw = fw.tidy();
const tr = fr.tidy();
const parity = {
  coefMaxAbsDiff: Math.max(...tw.map((r, i) => Math.abs(r.estimate - tr[i].estimate))),
  seMaxAbsDiff: Math.max(...tw.map((r, i) => Math.abs(r.std_error - tr[i].std_error))),
  nobs: fw.nobs,
  iterations: fw.iterations,
};
console.log("parity (wasm vs reference):", JSON.stringify(parity));

const bench = new Bench({ name: "fit", time: Number(args.time), iterations: 5, warmupIterations: 2, warmupTime: 0 });
for (const b of ["wasm", "reference"]) bench.add(`feols 1e6 [${b}]`, () => fit({ backend: b }));
await bench.run();
const rows = summarize(bench);
printTable(rows);

// Breakdown, medians over 5 fits after 2 warm-up fits, on a dedicated timed engine per backend.
const breakdown = {};
for (const b of ["wasm", "reference"]) {
  const t = timedEngine(b);
  const runs = [];
  for (let r = 0; r < 7; r++) {
    t.reset();
    const t0 = performance.now();
    fit({ engine: t.engine });
    const total = performance.now() - t0;
    if (r < 2) continue;
    const kernels = t.kernelMs();
    const arena = t.ms.arena ?? 0;
    runs.push({ total, kernels, arena, host: total - kernels - arena, ...Object.fromEntries(Object.entries(t.ms).filter(([k]) => k !== "arena")) });
  }
  const keys = Object.keys(runs[0]);
  breakdown[b] = Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k] ?? 0))]));
}
console.table(Object.fromEntries(Object.entries(breakdown).map(([b, v]) => [b, Object.fromEntries(Object.entries(v).map(([k, x]) => [k, +x.toFixed(1)]))])));

const result = { suite: "fit", data: args.data, formula: FORMULA, vcov: VCOV, parity, tasks: rows, breakdown };
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
