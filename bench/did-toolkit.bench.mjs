#!/usr/bin/env node
// The modern DID estimators (etwfe, stacked, synthdid, csdid with covariates, dcdh, compare, ...) against a plain
// two-way fit of the same data, timed as a user
// runs them: fresh `didwasm ... --json` processes, the two commands alternating so that load from other
// processes falls on both alike, median of RUNS runs of the CLI's own timing_ms.fit (which excludes reading
// the CSV). Writes the "DID toolkit" section of bench/RESULTS.md (that section replaced, the rest kept).
//
// Target (issue 14): on the 1M-row staggered panel (50,000 units x 20 years, 3 cohorts, 3 controls) within
// 3x of the plain fit `y ~ treat + x1 + x2 + x3 | unit + year` clustered by unit.
//
// Also (issue 14, synthdid): 1,000 placebo replicates of a 1,000-unit x 40-period panel "in seconds": one
// whole CLI process, its wall time and CPU time (user + sys, all worker threads) from /usr/bin/time.
//
//   node bench/did-toolkit.bench.mjs [--runs 3] [--only id1,id2]   (--only synthdid-placebo: that line alone)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { waitForIdle } from "./lib/idle.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { CLI, DATA_DIR, PERIODS, ROOT, UNITS_PER_STATE, ensureDir, requireBuild } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "3" }, only: { type: "string" } } });
const RUNS = Math.max(1, Number(args.runs));
requireBuild();
const log = (s) => process.stderr.write(`[did-toolkit-bench] ${s}\n`);
// DIDWASM_CLI: a private build's CLI (e.g. tsc --outDir elsewhere), so a rebuild of dist/ mid-run cannot break it.
const cli = process.env.DIDWASM_CLI ?? CLI;

const DATA = join(ensureDir(DATA_DIR), "staggered3-1e6.csv");
const GENERATE = ["demo-data", "--kind", "panel", "--units", "50000", "--periods", String(PERIODS), "--regressors", "3",
  "--units-per-state", String(UNITS_PER_STATE), "--cohorts", "2005,2009,2013", "--out", DATA, "--quiet"];
if (!existsSync(DATA)) {
  log(`writing ${DATA}`);
  execFileSync(process.execPath, [cli, ...GENERATE], { stdio: "inherit" });
}

const PANEL = ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--controls", "x1,x2,x3"];
// One line per estimator; the plain fit first (the reference of every ratio).
const ALL_CASES = [
  { id: "fit", label: "plain two-way `fit`: y ~ treat + x1 + x2 + x3 \\| unit + year, clustered by unit", argv: ["fit", "--formula", "y ~ treat + x1 + x2 + x3 | unit + year", "--vcov", "cluster:unit"] },
  { id: "imputation-att", label: "`imputation`, overall ATT, 3 controls", argv: ["imputation", ...PANEL] },
  { id: "imputation", label: "`imputation --horizons all`, 3 controls", argv: ["imputation", ...PANEL, "--horizons", "all"] },
  { id: "imputation-pretrends", label: "`imputation --horizons all --pretrends 3` (adds a regression on the untreated rows), 3 controls", argv: ["imputation", ...PANEL, "--horizons", "all", "--pretrends", "3"] },
  { id: "did2s", label: "`did2s` static, 3 controls (the same point estimate as imputation)", argv: ["did2s", ...PANEL] },
  { id: "stacked", label: "`stacked --window -5:5`, corrective weights, 3 controls", argv: ["stacked", ...PANEL, "--window", "-5:5"] },
  // estimators: add a line here
  { id: "compare", label: "`compare` (TWFE event study + static fit, did2s event + static, imputation, Sun-Abraham, Callaway-Sant'Anna, ETWFE, stacked, dCDH), no controls", argv: ["compare", "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"] },
  { id: "csdid-dr", label: "`csdid --controls x1,x2,x3` (doubly robust ATT(g,t) with influence functions, 4 aggregations)", argv: ["csdid", "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--controls", "x1,x2,x3"] },
  { id: "synthdid", label: "`synthdid --vcov jackknife`, 3 controls projected out (3 cohorts on the never-treated units)", argv: ["synthdid", ...PANEL, "--vcov", "jackknife"] },
  { id: "dcdh", label: "`dcdh --effects 5 --placebo 3` (no controls: refused by dcdh), clustered by unit", argv: ["dcdh", "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--effects", "5", "--placebo", "3"] },
  { id: "etwfe", label: "`etwfe --controls x1,x2,x3` (cohort x period cells and control interactions, clustered by unit)", argv: ["etwfe", "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--controls", "x1,x2,x3", "--vcov", "cluster:unit"] },
];
const only = args.only ? new Set(["fit", ...args.only.split(",")]) : null;
const CASES = ALL_CASES.filter((c) => !only || only.has(c.id));

// synthdid's placebo standard error: 1,000 units (100 treated from 2030 on), 40 years, 1,000 replicates
const PLACEBO_DATA = join(DATA_DIR, "synthdid-1000x40.csv");
const PLACEBO_GENERATE = ["demo-data", "--kind", "panel", "--units", "1000", "--periods", "40", "--regressors", "1", "--cohorts", "2030", "--never-share", "0.9", "--out", PLACEBO_DATA, "--quiet"];
const PLACEBO_ARGV = ["synthdid", PLACEBO_DATA, "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--vcov", "placebo", "--reps", "1000", "--seed", "1", "--json"];
const runPlacebo = !only || only.has("synthdid-placebo");
if (runPlacebo && !existsSync(PLACEBO_DATA)) execFileSync(process.execPath, [cli, ...PLACEBO_GENERATE], { stdio: "inherit" });

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const times = Object.fromEntries(CASES.map((c) => [c.id, []]));
const loads = [];
for (let i = 0; i < RUNS; i++) {
  for (const c of CASES) {
    await waitForIdle(`${c.id} run ${i + 1}`, { maxMs: 5_000 });
    loads.push(loadavg()[0]);
    const r = spawnSync(process.execPath, [cli, c.argv[0], DATA, ...c.argv.slice(1), "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${c.id} failed with exit ${r.status}: ${r.stderr.slice(-2000)}`);
    times[c.id].push(JSON.parse(r.stdout).timing_ms.fit);
    log(`${c.id} run ${i + 1}: ${times[c.id].at(-1).toFixed(0)} ms`);
  }
}

/** One whole placebo run: wall and CPU seconds (GNU time's elapsed, user + system), the CLI's fit ms. */
function placeboRun() {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", process.execPath, cli, ...PLACEBO_ARGV], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`synthdid placebo failed with exit ${r.status}: ${r.stderr.slice(-2000)}`);
  const [wall, user, sys] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { wall, cpu: user + sys, fit: JSON.parse(r.stdout).timing_ms.fit };
}
const placebo = [];
if (runPlacebo) {
  for (let i = 0; i < RUNS; i++) {
    await waitForIdle(`synthdid-placebo run ${i + 1}`, { maxMs: 5_000 });
    loads.push(loadavg()[0]);
    placebo.push(placeboRun());
    log(`synthdid-placebo run ${i + 1}: ${placebo.at(-1).wall} s wall, ${placebo.at(-1).cpu.toFixed(1)} s CPU`);
  }
}

const f0 = (x) => Math.round(x).toLocaleString("en-US");
const plain = median(times.fit);
const mi = machineInfo();
const lines = ["## DID toolkit (bench/did-toolkit.bench.mjs)", ""];
lines.push(`Measured ${mi.date}; ${mi.cpu}, ${mi.cores} logical cores${mi.hypervisor ? " (virtual machine)" : ""}, Node ${mi.node}; didwasm commit ${mi.git}${mi.gitDirty ? " + uncommitted changes" : ""}. ` +
  `Median of ${RUNS} fresh CLI processes per command, the commands alternating; \`timing_ms.fit\` (reading the CSV excluded). ` +
  `1-minute load average during the runs: ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)} (the machine is shared).`, "");
lines.push(`Data: \`didwasm ${GENERATE.slice(0, -3).join(" ")}\` (1,000,000 rows, 50,000 units x 20 years, adoption in 2005, 2009 or 2013, 30% never treated).`, "");
lines.push("| command | median ms | runs (ms) | vs plain fit | target |", "| --- | ---: | ---: | ---: | ---: |");
for (const c of CASES) {
  const m = median(times[c.id]);
  const ratio = m / plain;
  const target = c.id === "fit" ? "" : c.id === "compare" ? "– (eight estimators in one run; its target is the bundled panel under 2 s)" : c.id === "did2s" ? "–" : ratio <= 3 ? "≤ 3x: pass" : "≤ 3x: **FAIL**";
  lines.push(`| ${c.label} | ${f0(m)} | ${times[c.id].map(f0).join(", ")} | ${c.id === "fit" ? "1.00x" : `${ratio.toFixed(2)}x`} | ${target} |`);
}
if (placebo.length) {
  const w = median(placebo.map((p) => p.wall));
  const c = median(placebo.map((p) => p.cpu));
  lines.push("", `\`synthdid --vcov placebo --reps 1000\` on \`didwasm ${PLACEBO_GENERATE.slice(0, -3).join(" ")}\` (1,000 units x 40 years, 100 treated from 2030): ` +
    `whole CLI process ${w.toFixed(1)} s wall (runs ${placebo.map((p) => p.wall.toFixed(1)).join(", ")}), ${c.toFixed(1)} s CPU over all threads, fit ${f0(median(placebo.map((p) => p.fit)))} ms; target "seconds" (< 10 s wall): ${w < 10 ? "pass" : "**FAIL**"}.`);
}
lines.push("", "Reproduce: `npx tsc -p tsconfig.build.json && node bench/did-toolkit.bench.mjs`.", "");
const text = lines.join("\n");
replaceSection("## DID toolkit", text, { before: (h) => h.startsWith("## PSM") || h.startsWith("## Browser") || h.startsWith("## Reproduce") });
console.log(text);
