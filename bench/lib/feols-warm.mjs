#!/usr/bin/env node
// feols timed in one process with fixest's protocol (bench/fixest-timing.R), for bench/fixest.bench.mjs:
// the CSV read first through the library (not timed), then for each thread count one warm-up fit and
// `reps` fits with a garbage collection before each (untimed), the best elapsed time reported. The library
// as the package exports it for Node (dist/node/didwasm.js: run `node scripts/build-node.mjs` after tsc).
// The like-for-like comparison with fixest's in-session time; the benchmark keeps the cold CLI process's
// time beside it. Thread counts run one after the other in the same process, so the file is read once.
// Each fit gets its own copy of the columns (made before the untimed garbage collection): the library
// keeps a column's group encoding for as long as the column lives (model/groups.ts), which fixest does not
// do between calls, so fitting the same frame again would skip the fixed effects' and clusters' encoding
// that fixest's timed fits pay.
//
//   node --expose-gc bench/lib/feols-warm.mjs FILE FORMULA CLUSTER TOL REPS THREADS
//
// THREADS: comma-separated counts, e.g. "1,2". Prints one JSON object: per thread count the warm-up and
// timed fits, the best, and the estimates (coefficients and clustered standard errors by term).
import { Frame, feols, readCsvFile } from "../../dist/node/didwasm.js";

const [file, formula, cluster, tolArg, repsArg, threadsArg] = process.argv.slice(2);
if (!file || !formula || !cluster) throw new Error("usage: node --expose-gc bench/lib/feols-warm.mjs FILE FORMULA CLUSTER [TOL] [REPS] [THREADS]");
const tol = Number(tolArg ?? 1e-8);
const reps = Math.max(1, Math.round(Number(repsArg ?? 3)));
const threadCounts = [...new Set(String(threadsArg ?? "1").split(",").map((s) => Math.round(Number(s))))];
if (threadCounts.some((t) => !(t >= 1))) throw new Error(`THREADS must be positive integers, got ${threadsArg}`);
const collect = typeof globalThis.gc === "function" ? globalThis.gc : () => {};

const frame = readCsvFile(file);
/** The frame with fresh copies of its columns: no group encoding cached for them. */
const freshCopy = () => new Frame(frame.nrow, frame.columns.map((c) => (c.kind === "numeric" ? { ...c, values: c.values.slice() } : { ...c, codes: c.codes.slice() })));
const options = (threads) => ({ vcov: `cluster:${cluster}`, tol, threads });
const byThreads = {};
for (const threads of threadCounts) {
  let data = freshCopy();
  collect();
  let t0 = performance.now();
  const fit = feols(data, formula, options(threads));
  const warmupMs = performance.now() - t0;
  const timesMs = [];
  for (let r = 0; r < reps; r++) {
    data = freshCopy();
    collect();
    t0 = performance.now();
    feols(data, formula, options(threads));
    timesMs.push(performance.now() - t0);
  }
  const coef = fit.coef();
  const se = fit.se();
  byThreads[threads] = {
    warmupMs, timesMs, bestMs: Math.min(...timesMs), nobs: fit.nobs, iterations: fit.iterations,
    coef, se, notes: (fit.notes ?? []).map((n) => (typeof n === "string" ? n : `${n.kind}: ${n.message}`)),
  };
}
process.stdout.write(JSON.stringify({ reps, threads: byThreads }) + "\n");
