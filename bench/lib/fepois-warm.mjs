#!/usr/bin/env node
// fepois timed in one process with fixest's protocol (bench/fepois-timing.R), for bench/fepois.bench.mjs:
// the CSV read first through the library (not timed), one warm-up fit, then `reps` fits with a garbage
// collection before each (untimed), the best elapsed time reported. The library as the package exports it
// for Node (dist/node/didwasm.js: run `node scripts/build-node.mjs` after tsc). The like-for-like comparison with
// fixest's in-session time; the benchmark keeps the cold CLI process's time beside it.
//
//   node --expose-gc bench/lib/fepois-warm.mjs FILE FORMULA REPS    (prints one JSON object)
import { fepois, readCsvFile } from "../../dist/node/didwasm.js";

const [file, formula, repsArg] = process.argv.slice(2);
if (!file || !formula) throw new Error("usage: node --expose-gc bench/lib/fepois-warm.mjs FILE FORMULA [REPS]");
const reps = Math.max(1, Math.round(Number(repsArg ?? 3)));
const collect = typeof globalThis.gc === "function" ? globalThis.gc : () => {};

const frame = readCsvFile(file);
let t0 = performance.now();
const fit = fepois(frame, formula);
const warmupMs = performance.now() - t0;
const timesMs = [];
for (let r = 0; r < reps; r++) {
  collect();
  t0 = performance.now();
  fepois(frame, formula);
  timesMs.push(performance.now() - t0);
}
process.stdout.write(JSON.stringify({ warmupMs, timesMs, bestMs: Math.min(...timesMs), nobs: fit.nobs, iterations: fit.iterations, coef: fit.coef(), se: fit.se() }) + "\n");
