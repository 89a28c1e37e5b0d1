// Wild cluster bootstrap benchmark (the target: 9,999 replicates on 1,000,000 rows and 1,000
// clusters in under 5 s). Two measurements:
//   1. the CLI as a user runs it, one cold process per run: `didwasm boot bench/data/panel-1e6.csv --formula
//      "y ~ x1+...+x6 | unit + year" --coef x1 --cluster state --reps 9999 --seed 1 --json`, its own
//      timing_ms (read = CSV, run = model + bootstrap + interval) and the whole process's wall time;
//   2. in process, one run split into phases: sample + fit, the cluster design (demeaning, crossproduct),
//      the cluster-level sums (wild-fast.ts), the replicate kernel, the test inversion.
//
//   node bench/boot.bench.mjs [--data FILE] [--runs 3] [--json OUT]
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { readCsvFile } from "../dist/bindings/data/read-file.js";
import { prepareModel } from "../dist/bindings/estimators/feols.js";
import { fitDesign } from "../dist/bindings/estimators/fit-design.js";
import { groupIds } from "../dist/bindings/model/groups.js";
import { sampleValues } from "../dist/bindings/model/sample.js";
import { buildClusterDesign } from "../dist/bindings/resampling/cluster-design.js";
import { invertTest } from "../dist/bindings/resampling/test-inversion.js";
import { buildWildModel, wildDraws } from "../dist/bindings/resampling/wild-fast.js";
import { CLI, FORMULA, ROOT, dataPath, requireBuild } from "./lib/paths.mjs";

const { values: args } = parseArgs({
  options: { data: { type: "string", default: dataPath("1e6") }, runs: { type: "string", default: "3" }, json: { type: "string" } },
});
requireBuild();
const REPS = 9999;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Cold CLI runs.
const cli = {};
for (const backend of ["wasm", "reference"]) {
  const runs = [];
  for (let i = 0; i < Number(args.runs); i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, "boot", args.data, "--formula", FORMULA, "--coef", "x1", "--cluster", "state", "--reps", String(REPS), "--seed", "1", "--backend", backend, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(r.stderr);
    const j = JSON.parse(r.stdout);
    runs.push({ read: j.timing_ms.read, run: j.timing_ms.run, wall, p: j.p_value, ci: [j.conf_low, j.conf_high] });
  }
  cli[backend] = { read: median(runs.map((r) => r.read)), run: median(runs.map((r) => r.run)), wall: median(runs.map((r) => r.wall)), last: runs.at(-1) };
  console.log(`CLI boot (${backend}), median of ${runs.length}: read ${cli[backend].read.toFixed(0)} ms, run ${cli[backend].run.toFixed(0)} ms, wall ${cli[backend].wall.toFixed(0)} ms; CI [${runs.at(-1).ci.join(", ")}]`);
}

// 2. Phases, in process (second pass: warmed up).
const frame = readCsvFile(args.data);
let phases = null;
for (let pass = 0; pass < 2; pass++) {
  const out = {};
  let t = performance.now();
  const lap = (k) => {
    const now = performance.now();
    out[k] = now - t;
    t = now;
  };
  const p = prepareModel(frame, FORMULA, { vcov: "cluster:state" });
  const { sample, design } = p.groups[0];
  const y = sampleValues(frame, "y", sample.rows, "outcome");
  const [fit] = fitDesign({ frame, label: FORMULA, outcomes: [{ name: "y", values: y }], sample, design, common: p.common });
  const cl = groupIds(frame, "state", sample.rows);
  lap("sample_and_fit");
  const be = p.common.engine.backend;
  const arena = be.arena();
  const d = buildClusterDesign(be, arena, {
    y, regressors: fit.coefNames.map((nm) => design.columns[design.names.indexOf(nm)]), names: fit.coefNames, fixef: sample.fixef, weights: null,
    cluster: cl, clusterName: "state", tol: p.common.tol, maxIter: p.common.maxIter,
  });
  lap("cluster_design");
  const n = sample.rows.length;
  const factor = (cl.G / (cl.G - 1)) * ((n - 1) / (n - fit.dofK));
  const m = buildWildModel(be, arena, d, cl, null, 0, factor, 0, true);
  arena.release();
  lap("cluster_sums");
  const dr = wildDraws(p.common.engine, m, 0, 1, REPS);
  lap("replicates_kernel");
  invertTest({ estimate: m.estimate, se: m.se, factor, r0: 0, t: dr.t, moments: dr.moments }, 0.05);
  lap("test_inversion");
  phases = { ...out, K: d.K, G: cl.G, n };
}
console.log("in-process phases (ms, warm):", JSON.stringify(Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)]))));
if (args.json) writeFileSync(args.json, JSON.stringify({ reps: REPS, cli, phases }, null, 2));
