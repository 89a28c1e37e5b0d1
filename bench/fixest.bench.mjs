#!/usr/bin/env node
// The fixed-effects fit side by side with R's fixest, measured in the same run (issue 12, part 3): the
// hard worker x firm x year panel (3 and 2 fixed effects), fixest's own "difficult" case (1M rows, 3 fixed
// effects), the trade data's 4 fixed effects, and the easy 1M panel (unit + year). For each model:
// fixest's best in-session time (bench/fixest-timing.R, one thread, fixef.tol 1e-8) and didwasm's cold
// CLI (median of fresh processes), the ratio, both sides' iterations, and whether the coefficients and
// clustered standard errors agree to the issue's tolerances. didwasm is also timed with fixest's own
// protocol (bench/lib/feols-warm.mjs: in one process, the CSV read first, a warm-up fit, the best of
// --reps), with 1 and 2 threads: the like-for-like comparison, which the easy panel's targets use. Writes
// its own section of bench/RESULTS.md (the rest kept) and bench/data/results/fixest.json.
//
//   node bench/fixest.bench.mjs [--runs 3] [--reps 3] [--timeout-s 120] [--long-run-s 60] [--warm easy,trade] [--only hard,easy]
//
// --runs: didwasm processes per model; --reps: fixest's timed fits after its warm-up; --timeout-s: a
// didwasm process running longer is killed (reported as such); --long-run-s: a first didwasm run longer
// than this is not repeated; --warm: the models timed with the same protocol too, "all" or "none" (1 +
// reps fits per thread count: by default the easy panel and the trade data, a few seconds; the hard panel
// would add ~20 s and the difficult case ~90 s); --only: some data sets (then RESULTS.md is left alone).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compareFits } from "./lib/agreement.mjs";
import { fitHasThreadsOption, timeDidwasm } from "./lib/didwasm-cold.mjs";
import { DATASETS, ensureDataset } from "./lib/fixest-cases.mjs";
import { fixestAvailable, runFixest } from "./lib/fixest-r.mjs";
import { HEADING, fixestSection } from "./lib/fixest-section.mjs";
import { waitForIdle, waits } from "./lib/idle.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { ROOT, requireBuild, resultPath } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    reps: { type: "string", default: "3" },
    "timeout-s": { type: "string", default: "120" },
    "long-run-s": { type: "string", default: "60" },
    warm: { type: "string", default: "easy,trade" },
    only: { type: "string" },
  },
});
const positive = (name) => {
  const v = Number(args[name]);
  if (!(v > 0)) throw new Error(`--${name} must be a positive number, got ${args[name]}`);
  return v;
};
/** fixest's fixef.tol and didwasm's --tol, as the issue measured them. */
const TOL = 1e-8;
const MODEL_IDS = DATASETS.flatMap((d) => d.models.map((m) => m.id));
const warmIds = args.warm === "all" ? MODEL_IDS : args.warm === "none" ? [] : args.warm.split(",").map((s) => s.trim());
const unknownWarm = warmIds.filter((id) => !MODEL_IDS.includes(id));
if (unknownWarm.length) throw new Error(`--warm: unknown model(s) ${unknownWarm.join(", ")} (known: ${MODEL_IDS.join(", ")}, or all, none)`);
const options = { runs: Math.round(positive("runs")), reps: Math.round(positive("reps")), timeoutS: positive("timeout-s"), longRunS: positive("long-run-s"), warm: warmIds, tol: TOL };
const only = args.only ? args.only.split(",").map((s) => s.trim()) : null;
const unknown = (only ?? []).filter((id) => !DATASETS.some((d) => d.id === id));
if (unknown.length) throw new Error(`--only: unknown data set(s) ${unknown.join(", ")} (known: ${DATASETS.map((d) => d.id).join(", ")})`);

const t0 = performance.now();
const log = (s) => process.stderr.write(`[fixest-bench] ${s}\n`);
requireBuild();
const fx = fixestAvailable();
if (!fx.ok) log(`fixest will not be timed: ${fx.why}`);
const hasThreads = fitHasThreadsOption();
log(`didwasm fit ${hasThreads ? "takes --threads: timing 1 and 2 threads" : "has no --threads option yet: threads column n/a"}`);

// A busy machine would end up in the timings: before each measurement wait for the other processes to
// idle, at most 30 s each and 3 minutes in all, so that a machine busy for long cannot stretch the suite
// past its budget (measurements started on a busy machine are listed in the section).
const WAIT_EACH_MS = 30_000;
let waitBudgetMs = 180_000;
async function idle(what) {
  const rec = await waitForIdle(what, { maxMs: Math.max(0, Math.min(WAIT_EACH_MS, waitBudgetMs)) });
  waitBudgetMs -= rec.waitedMs;
}

/** fixest's protocol in one process (bench/lib/feols-warm.mjs), for each thread count: warm-up fit, then the best of reps. */
const WARM_DRIVER = join(ROOT, "bench", "lib", "feols-warm.mjs");
/** Processes of the same protocol per model: one process's best varies by 20-40% from one process to the next
 *  on this virtual machine (its timed fits agree within the process), so the median of several processes'
 *  bests is reported, each process's best beside it. */
const WARM_PROCESSES = 3;
async function timeWarm(file, model, threadCounts) {
  const runs = [];
  for (let p = 0; p < WARM_PROCESSES; p++) {
    await idle(`didwasm ${model.id} same protocol, process ${p + 1}`);
    const r = spawnSync(process.execPath, ["--expose-gc", WARM_DRIVER, file, model.formula, model.cluster, String(TOL), String(options.reps), threadCounts.join(",")], {
      cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`bench/lib/feols-warm.mjs ${model.id} failed (exit ${r.status}): ${(r.stderr || "").slice(-2000)}`);
    runs.push(JSON.parse(r.stdout));
  }
  // The estimates of every process are the first's to the bit (checked), the time the median best.
  const threads = {};
  for (const t of Object.keys(runs[0].threads)) {
    const per = runs.map((r) => r.threads[t]);
    for (const q of per.slice(1)) {
      if (JSON.stringify([q.coef, q.se]) !== JSON.stringify([per[0].coef, per[0].se])) throw new Error(`${model.id}, ${t} thread(s): the same-protocol estimates differ between processes`);
    }
    const bests = per.map((q) => q.bestMs);
    const median = [...bests].sort((a, b) => a - b)[Math.floor(bests.length / 2)];
    threads[t] = { ...per[0], bestMs: median, processBestMs: bests, timesMs: per.flatMap((q) => q.timesMs) };
  }
  return { reps: runs[0].reps, processes: WARM_PROCESSES, threads };
}

const datasets = [];
let fixestInfo = { ok: fx.ok, why: fx.why };
for (const ds of DATASETS.filter((d) => !only || only.includes(d.id))) {
  const got = ensureDataset(ds, log);
  let fixest = null;
  if (fx.ok) {
    await idle(`fixest ${ds.id}`);
    log(`fixest: ${ds.models.map((m) => m.id).join(", ")}`);
    fixest = runFixest(ds.id, ds.file, ds.models.map(({ id, formula, cluster }) => ({ id, formula, cluster })), { tol: TOL, reps: options.reps });
    fixestInfo = { ok: true, r: fixest.r, fixest: fixest.fixest, data_table: fixest.data_table };
  }
  const models = [];
  for (const model of ds.models) {
    const timing = { runs: options.runs, tol: TOL, timeoutMs: options.timeoutS * 1000, longRunMs: options.longRunS * 1000 };
    log(`didwasm: ${model.id}`);
    const didwasm = await timeDidwasm(ds.file, model, { ...timing, threads: hasThreads ? 1 : undefined, beforeEach: (i) => idle(`didwasm ${model.id} run ${i + 1}`) });
    const threads2 = hasThreads && !didwasm.timedOut
      ? await timeDidwasm(ds.file, model, { ...timing, threads: 2, beforeEach: (i) => idle(`didwasm ${model.id} --threads 2 run ${i + 1}`) })
      : null;
    const warmWanted = !didwasm.timedOut && options.warm.includes(model.id);
    const warm = warmWanted ? await timeWarm(ds.file, model, hasThreads ? [1, 2] : [1]) : null;
    if (warm) log(`${model.id}, same protocol: ${Object.entries(warm.threads).map(([t, w]) => `${t} thread(s) ${Math.round(w.bestMs)} ms`).join(", ")}`);
    const fm = fixest?.models.find((m) => m.id === model.id) ?? null;
    const agreement = fm && !didwasm.timedOut ? compareFits(didwasm, fm) : null;
    const fixMs = fm ? `${Math.round(fm.best_s * 1000)} ms` : "–";
    const dwMs = didwasm.timedOut ? `> ${options.timeoutS} s (killed)` : `${Math.round(didwasm.fitMs)} ms`;
    log(`${model.id}: fixest ${fixMs}, didwasm ${dwMs}` + (agreement ? `; coef rel diff ${agreement.coefMax.toExponential(1)}, SE rel diff ${agreement.seMax.toExponential(1)}` : ""));
    models.push({ model, fixest: fm, didwasm, threads2: threads2 && !threads2.timedOut ? threads2 : null, warm, agreement });
  }
  datasets.push({ ds, got, models });
}

const run = { machine: machineInfo(), fixestInfo, options, datasets, waits, totalS: (performance.now() - t0) / 1000 };
writeFileSync(resultPath("fixest"), JSON.stringify(run, (k, v) => (k === "make" ? undefined : v), 2));
const text = fixestSection(run);
console.log(text);
if (only) {
  log("--only: bench/RESULTS.md left as it was");
} else {
  replaceSection(HEADING.slice(0, HEADING.indexOf("(")).trim(), text, {
    before: (h) => h.startsWith("## PSM") || h.startsWith("## DiD estimators") || h.startsWith("## Browser") || h.startsWith("## Reproduce"),
  });
  log("wrote the fixest section of bench/RESULTS.md");
}
