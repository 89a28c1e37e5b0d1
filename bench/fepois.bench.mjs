#!/usr/bin/env node
// fepois side by side with R's fixest, measured in the same run (issue 13's speed target: at most fixest's
// single-threaded time): fixest's trade data with its 4 fixed effects, and a 1M-row synthetic count panel
// (unit + year). fixest's best in-session time (bench/fepois-timing.R, one thread, fepois's defaults) against
// didwasm measured two ways: with fixest's own protocol (bench/lib/fepois-warm.mjs: the library in one
// process, one warm-up fit, best of the next fits; the like-for-like comparison, which the target uses),
// and as a fresh CLI process (`didwasm fepois FILE --formula F --json`, the package's bin, timing_ms.fit,
// median of fresh processes: what a one-off command costs, V8's compilation included), with the agreement
// of the coefficients and clustered standard errors. Writes its own section of bench/RESULTS.md (the rest
// kept) and bench/data/results/fepois.json.
//
//   node bench/fepois.bench.mjs [--runs 3] [--reps 3] [--only trade,counts]
//
// DIDWASM_CLI=path/to/cli.js times another CLI build (e.g. an exported tree) than this checkout's dist/node/cli.js.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Xoshiro128 } from "../dist/bindings/random/xoshiro.js";
import { compareFits } from "./lib/agreement.mjs";
import { median } from "./lib/cli-measure.mjs";
import { ensureDataset } from "./lib/fixest-cases.mjs";
import { COUNT_PANEL_DEFAULTS, writeCountPanel } from "./lib/gen-counts.mjs";
import { waitForIdle, waits } from "./lib/idle.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { DATA_DIR, ROOT, requireBuild, resultPath } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";
import { conformanceDir } from "./lib/trade-ln.mjs";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "3" }, reps: { type: "string", default: "3" }, only: { type: "string" } } });
const runs = Math.max(1, Math.round(Number(args.runs)));
const reps = Math.max(1, Math.round(Number(args.reps)));
/** The package's bin (what `didwasm` runs once installed): the bundled CLI with its V8 code cache. */
const cli = process.env.DIDWASM_CLI ?? join(ROOT, "dist", "node", "cli.js");
const WARM_DRIVER = join(ROOT, "bench", "lib", "fepois-warm.mjs");
const log = (s) => process.stderr.write(`[fepois-bench] ${s}\n`);
const HEADING = "## Poisson (fepois) vs fixest (bench/fepois.bench.mjs)";
/** Issue 13: fepois at most fixest's single-threaded time. */
const TARGET = 1;
const COUNTS_SEED = 13;

const DATASETS = [
  {
    id: "trade",
    title: "fixest's trade data (shared conformance data, read in place)",
    file: join(conformanceDir(), "data", "trade.csv"),
    models: [{ id: "trade", label: "trade, `Euros ~ log(dist_km) | Origin + Destination + Product + Year`", formula: "Euros ~ log(dist_km) | Origin + Destination + Product + Year" }],
  },
  {
    id: "counts",
    title: "count panel: 50,000 units x 20 years, Poisson outcome (bench/lib/gen-counts.mjs)",
    file: join(DATA_DIR, "counts-1e6.csv"),
    describe: { generator: "bench/lib/gen-counts.mjs", seed: COUNTS_SEED, ...COUNT_PANEL_DEFAULTS },
    make: (file) => writeCountPanel(file, new Xoshiro128(COUNTS_SEED)),
    models: [{ id: "counts", label: "count panel, `y ~ x1 + x2 | unit + year`", formula: "y ~ x1 + x2 | unit + year" }],
  },
].filter((d) => !args.only || args.only.split(",").includes(d.id));

function fixestTimes(ds) {
  const job = resultPath(`fepois-job-${ds.id}`);
  const out = resultPath(`fepois-r-${ds.id}`);
  writeFileSync(job, JSON.stringify({ data: ds.file, reps, models: ds.models.map(({ id, formula }) => ({ id, formula })) }));
  const r = spawnSync("Rscript", [join(ROOT, "bench", "fepois-timing.R"), job, out], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bench/fepois-timing.R failed: ${(r.stderr || "").slice(-2000)}`);
  return JSON.parse(readFileSync(out, "utf8"));
}

function didwasmOnce(file, model) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, "fepois", file, "--formula", model.formula, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`didwasm fepois ${model.id} failed (exit ${r.status}): ${(r.stderr || "").slice(-2000)}`);
  return { json: JSON.parse(r.stdout), wallMs };
}

/** fixest's protocol in one process (bench/lib/fepois-warm.mjs): warm-up fit, then best of `reps`. */
async function didwasmWarm(file, model) {
  await waitForIdle(`didwasm ${model.id} in-process`, { maxMs: 30_000 });
  const r = spawnSync(process.execPath, ["--expose-gc", WARM_DRIVER, file, model.formula, String(reps)], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/lib/fepois-warm.mjs ${model.id} failed (exit ${r.status}): ${(r.stderr || "").slice(-2000)}`);
  return JSON.parse(r.stdout);
}

async function didwasmTimes(file, model) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    await waitForIdle(`didwasm ${model.id} run ${i + 1}`, { maxMs: 30_000 });
    all.push(didwasmOnce(file, model));
  }
  const j = all[0].json;
  return {
    fitMs: median(all.map((r) => r.json.timing_ms.fit)), wallMs: median(all.map((r) => r.wallMs)), runsMs: all.map((r) => r.json.timing_ms.fit),
    nobs: j.nobs, iterations: j.iterations, converged: j.converged,
    coef: Object.fromEntries(j.coefficients.map((c) => [c.term, c.estimate])), se: Object.fromEntries(j.coefficients.map((c) => [c.term, c.std_error])),
  };
}

requireBuild();
if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`node scripts/build-node.mjs\` (or \`npm run build\`) first`);
const results = [];
for (const ds of DATASETS) {
  if (ds.make) ensureDataset(ds, log);
  await waitForIdle(`fixest ${ds.id}`, { maxMs: 30_000 });
  log(`fixest: ${ds.id}`);
  const fx = fixestTimes(ds);
  for (const model of ds.models) {
    log(`didwasm: ${model.id}`);
    const dw = await didwasmTimes(ds.file, model);
    const warm = await didwasmWarm(ds.file, model);
    const fm = fx.models.find((m) => m.id === model.id);
    const agreement = compareFits(dw, fm);
    const ratio = warm.bestMs / (fm.best_s * 1000);
    const cliRatio = dw.fitMs / (fm.best_s * 1000);
    log(`${model.id}: fixest ${Math.round(fm.best_s * 1000)} ms, didwasm in-process ${Math.round(warm.bestMs)} ms (${ratio.toFixed(2)}x), fresh CLI ${Math.round(dw.fitMs)} ms (${cliRatio.toFixed(2)}x); coef rel diff ${agreement.coefMax.toExponential(1)}, SE ${agreement.seMax.toExponential(1)}`);
    results.push({ ds: { id: ds.id, title: ds.title }, model, fixest: fm, didwasm: dw, warm, ratio, cliRatio, agreement, r: fx.r, fixestVersion: fx.fixest });
  }
}

const mi = machineInfo();
// How loaded the machine was: the 1-minute load average at each measurement, and how many measurements
// started with the CPUs still busy after the wait.
const loads = waits.map((w) => w.loadavg1);
const busyStarts = waits.filter((w) => !w.idle).length;
const loadText = loads.length
  ? `1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} at the ${loads.length} measurements, ` +
    (busyStarts ? `${busyStarts} of which started with the CPUs still busy after 30 s of waiting` : "each started on idle CPUs")
  : "load not recorded";
const f0 = (x) => Math.round(x).toLocaleString("en-US");
const sci = (x) => (Number.isFinite(x) ? x.toExponential(1) : "–");
const cell = (c) => String(c).replaceAll("|", "\\|");
const L = [
  HEADING,
  "",
  `Measured ${mi.date}; ${mi.cpu}, ${mi.cores} logical cores${mi.hypervisor ? " (virtual machine)" : ""}; Node ${mi.node}; ${results[0]?.r ?? "R not run"}, fixest ${results[0]?.fixestVersion ?? "–"}; ` +
    `didwasm commit ${mi.git}${mi.gitDirty ? " + uncommitted changes" : ""}. Machines shared with other work: each measurement waited for idle CPUs (at most 30 s); ${loadText}.`,
  "",
  `fixest: \`fepois(FORMULA, data, nthreads = 1)\` (its defaults: glm.tol 1e-8, fixef.tol 1e-6, clustered by the first fixed effect), data.table threads 1, ` +
    `CSV read first with fread (not timed), one warm-up fit (the estimates compared), best of ${reps} fits after a garbage collection each (bench/fepois-timing.R). ` +
    `didwasm (its defaults: glm tolerance 1e-8, demeaning tolerance 1e-8), two ways. Same protocol as fixest: \`fepois(frame, FORMULA)\` through the library ` +
    `in one Node process, the CSV read first (not timed), one warm-up fit, best of ${reps} fits after a garbage collection each (bench/lib/fepois-warm.mjs). ` +
    `Fresh CLI process: \`didwasm fepois FILE --formula FORMULA --json\` (the package's bin, dist/node/cli.js), median of ${runs} processes, \`timing_ms.fit\` ` +
    "(without reading the file; V8 compiles and optimises the code as it runs, which fixest's compiled code does not pay). " +
    "Target of issue 13, on the like-for-like column (same protocol): didwasm / fixest at most 1; the fresh-process ratio is shown beside it.",
  "",
  "| model | rows | fixest ms (best) | fixest iterations | didwasm ms, same protocol (best) | didwasm / fixest | target | didwasm fresh CLI fit ms (median) | fresh CLI whole process ms | fresh CLI / fixest | didwasm iterations | coef / SE rel. diff |",
  "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
  ...results.map((m) =>
    `| ${[m.model.label, f0(m.didwasm.nobs), f0(m.fixest.best_s * 1000), m.fixest.iterations, f0(m.warm.bestMs), m.ratio.toFixed(2), m.ratio <= TARGET ? "pass" : "**FAIL**",
      f0(m.didwasm.fitMs), f0(m.didwasm.wallMs), m.cliRatio.toFixed(2), m.didwasm.iterations, `${sci(m.agreement.coefMax)} / ${sci(m.agreement.seMax)}`].map(cell).join(" | ")} |`),
];
const text = L.join("\n");
writeFileSync(resultPath("fepois"), JSON.stringify({ machine: mi, runs, reps, results, waits }, null, 2));
console.log(text);
if (args.only) log("--only: bench/RESULTS.md left as it was");
else {
  replaceSection(HEADING.slice(0, HEADING.indexOf("(")).trim(), text);
  log("wrote the fepois section of bench/RESULTS.md");
}
