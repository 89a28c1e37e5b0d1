// Kernel benchmarks, wasm vs reference backend, on the 1e6-row benchmark panel (y and x1..x6: 7 columns):
//   demean (2 FE)  unit + year, default tol 1e-8: what feols runs on this panel (balanced: 2 sweeps)
//   demean x20     unit + a weakly connected "period" FE, capped at 20 sweeps: cost of one sweep
//   crossprod      [y X]'[y X], 7 x 7
//   meatCluster    sum_g s_g s_g' for 6 regressors, 50,000 clusters
// Every task is warmed up before timing (tinybench warmup; the first long wasm call runs in V8's
// baseline tier, see DESIGN.md). Outputs agree between backends (checked below before timing).
//
//   node bench/kernels.bench.mjs [--data FILE] [--json OUT] [--time MS]
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { Bench } from "tinybench";
import { readCsvFile } from "../dist/bindings/data/read-file.js";
import { createEngine } from "../dist/bindings/engine/engine.js";
import { backendJob, hostInputs } from "./lib/kernel-inputs.mjs";
import { dataPath, requireBuild } from "./lib/paths.mjs";
import { summarize, printTable } from "./lib/tiny.mjs";

const { values: args } = parseArgs({
  options: { data: { type: "string", default: dataPath("1e6") }, json: { type: "string" }, time: { type: "string", default: "2000" } },
});
requireBuild();

const frame = readCsvFile(args.data);
const host = hostInputs(frame);
const jobs = {
  wasm: backendJob(createEngine({ backend: "wasm" }).backend, host),
  reference: backendJob(createEngine({ backend: "reference" }).backend, host),
};

// Parity check (and the first, cold, call of each kernel).
const check = {};
for (const [b, j] of Object.entries(jobs)) {
  j.demeanPanel();
  const panelSweeps = j.sweeps();
  const out = Float64Array.from(j.results().out);
  j.demeanChain20();
  const chainSweeps = j.sweeps();
  j.crossprod();
  j.meatCluster();
  check[b] = { panelSweeps, chainSweeps, out, ...j.results() };
}
const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const parity = {
  demeanMaxAbsDiff: maxDiff(check.wasm.out, check.reference.out),
  crossprodMaxAbsDiff: maxDiff(check.wasm.XtX, check.reference.XtX),
  meatMaxAbsDiff: maxDiff(check.wasm.meat, check.reference.meat),
  panelSweeps: check.wasm.panelSweeps,
  chainSweeps: check.wasm.chainSweeps,
};
console.log("parity (wasm vs reference):", JSON.stringify(parity));

const bench = new Bench({ name: "kernels", time: Number(args.time), iterations: 5, warmupIterations: 3, warmupTime: 500 });
const tasks = [
  ["demean (2 FE)", "demeanPanel"],
  ["demean x20 sweeps", "demeanChain20"],
  ["crossprod", "crossprod"],
  ["meatCluster", "meatCluster"],
];
for (const [label, fn] of tasks) for (const b of ["wasm", "reference"]) bench.add(`${label} [${b}]`, jobs[b][fn]);
await bench.run();
const rows = summarize(bench);
printTable(rows);

const result = {
  suite: "kernels",
  data: args.data,
  N: host.N,
  C: host.C,
  groups: { unit: host.GPanel[0], year: host.GPanel[1], chainPeriods: host.GChain[1] },
  simd: createEngine({ backend: "wasm" }).backend.simd,
  parity,
  tasks: rows,
};
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
for (const j of Object.values(jobs)) j.release();
