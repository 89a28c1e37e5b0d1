#!/usr/bin/env node
// Staggered-DID estimators and resampling, timed as a user runs them: one fresh `didwasm ... --json`
// process per run (a cold start), median of RUNS runs, each backend. Written as the "DiD estimators and
// resampling" section of bench/RESULTS.md (that section replaced, the rest kept).
//
// Targets (the issues):
//   - on the 1M-row benchmark panel: eventstudy and did2s within 2x of a plain `fit`, csdid within 3x
//     (ratios of the CLI's own timing_ms.fit, which excludes reading the CSV);
//   - 500 mixed placebo draws of the bundled panel's baseline: the whole CLI process <= 0.45 s;
//   - a 500-draw bdiff on the bundled panel: < 1 s (whole process);
//   - 9,999 wild cluster bootstrap replicates on 1M rows and 1,000 clusters: < 5 s.
//
// The core 1M panel (bench/data/panel-1e6.csv) has no treatment, so the DiD estimators run on the same
// generator's staggered version (bench/data/staggered-1e6.csv, written once here): 50,000 units x 20
// years, 6 regressors, adoption cohorts 2005/2008/2011/2014 and 30% never treated, effect 1.
//
//   node bench/did.bench.mjs [--runs 3]
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { waitForIdle } from "./lib/idle.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { CLI, DATA_DIR, FORMULA, PERIODS, REGRESSORS, ROOT, UNITS_PER_STATE, dataPath, ensureDir, requireBuild } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Math.max(1, Number(args.runs));
requireBuild();
const log = (s) => process.stderr.write(`[did-bench] ${s}\n`);

const STAGGERED = join(ensureDir(DATA_DIR), "staggered-1e6.csv");
const BUNDLED = join(ROOT, "examples", "smart-city.csv");
if (!existsSync(STAGGERED)) {
  log(`writing ${STAGGERED}`);
  execFileSync(process.execPath, [
    CLI, "demo-data", "--kind", "panel", "--units", "50000", "--periods", String(PERIODS), "--regressors", String(REGRESSORS),
    "--units-per-state", String(UNITS_PER_STATE), "--cohorts", "2005,2008,2011,2014", "--out", STAGGERED, "--quiet",
  ], { stdio: "inherit" });
}
if (!existsSync(dataPath("1e6"))) throw new Error(`${dataPath("1e6")} is missing: run \`npm run bench\` (it generates the panels)`);

const CONTROLS = "x1,x2,x3,x4,x5,x6";
const PANEL = ["--y", "y", "--unit", "unit", "--time", "year"];
const BASELINE = "ire ~ did + lngdp + lnfin + upg + lnfis + fix + tra | city + year";

/** What is timed: label, data file, CLI arguments after the file, and the group it belongs to. */
const CASES = [
  { id: "fit", label: "`fit` (the core issue's model: 6 regressors, unit + year FE, cluster by unit)", file: STAGGERED, argv: ["fit", "--formula", FORMULA, "--vcov", "cluster:unit"] },
  { id: "es", label: "`eventstudy`, window -7:7 binned at 5, 6 controls", file: STAGGERED, argv: ["eventstudy", ...PANEL, "--cohort", "cohort", "--controls", CONTROLS, "--window", "-7:7", "--bin", "5"] },
  { id: "esNoCtl", label: "`eventstudy`, window -7:7 binned at 5, no controls", file: STAGGERED, argv: ["eventstudy", ...PANEL, "--cohort", "cohort", "--window", "-7:7", "--bin", "5"] },
  { id: "esAll", label: "`eventstudy`, every relative period (28 coefficients), 6 controls", file: STAGGERED, argv: ["eventstudy", ...PANEL, "--cohort", "cohort", "--controls", CONTROLS] },
  { id: "did2s", label: "`did2s` static, 6 controls", file: STAGGERED, argv: ["did2s", ...PANEL, "--treat", "treat", "--controls", CONTROLS] },
  { id: "did2sNoCtl", label: "`did2s` static, no controls", file: STAGGERED, argv: ["did2s", ...PANEL, "--treat", "treat"] },
  { id: "did2sEvent", label: "`did2s --event`, window -7:7 binned at 5, 6 controls", file: STAGGERED, argv: ["did2s", ...PANEL, "--treat", "treat", "--controls", CONTROLS, "--event", "--cohort", "cohort", "--window", "-7:7", "--bin", "5"] },
  { id: "sunab", label: "`sunab` (cohort x period interactions), 6 controls", file: STAGGERED, argv: ["sunab", ...PANEL, "--cohort", "cohort", "--controls", CONTROLS] },
  { id: "csdid", label: "`csdid`, never-treated controls, no covariates", file: STAGGERED, argv: ["csdid", ...PANEL, "--cohort", "cohort"] },
  { id: "bacon", label: "`bacon`, no controls", file: STAGGERED, argv: ["bacon", ...PANEL, "--treat", "treat"] },
  { id: "placebo", label: "`placebo --kind mixed --variant 1 --reps 500` on the bundled panel's baseline", file: BUNDLED, argv: ["placebo", "--formula", BASELINE, "--treat", "did", "--unit", "city", "--time", "year", "--kind", "mixed", "--variant", "1", "--reps", "500", "--seed", "1"] },
  { id: "bdiff", label: "`bdiff --reps 500 --cluster-level city`, east vs other cities, bundled panel", file: BUNDLED, argv: ["bdiff", "--formula", BASELINE, "--group", "east", "--coef", "did", "--cluster-level", "city", "--reps", "500", "--seed", "1"] },
  { id: "boot", label: "`boot`, wild cluster bootstrap, 9,999 replicates, 1M rows, 1,000 clusters (state), coefficient x1", file: dataPath("1e6"), argv: ["boot", "--formula", FORMULA, "--coef", "x1", "--cluster", "state", "--reps", "9999", "--seed", "1"] },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

async function measure(c, backend) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    await waitForIdle(`${c.id} ${backend} run ${i + 1}`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, c.argv[0], c.file, ...c.argv.slice(1), "--backend", backend, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${c.id} (${backend}) failed with exit ${r.status}: ${r.stderr.slice(-2000)}`);
    const t = JSON.parse(r.stdout).timing_ms ?? {};
    // fit-like commands report timing_ms.fit; resampling commands report timing_ms.run
    runs.push({ read: t.read ?? NaN, work: t.fit ?? t.run ?? NaN, wall });
  }
  log(`${c.id} (${backend}): work ${median(runs.map((r) => r.work)).toFixed(0)} ms, wall ${median(runs.map((r) => r.wall)).toFixed(0)} ms`);
  return { read: median(runs.map((r) => r.read)), work: median(runs.map((r) => r.work)), wall: median(runs.map((r) => r.wall)) };
}

const results = {};
for (const c of CASES) {
  results[c.id] = {};
  for (const backend of ["wasm", "reference"]) results[c.id][backend] = await measure(c, backend);
}

// ------------------------------------------------------------------------------------------- report
const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const f2 = (x) => x.toFixed(2);
const plain = results.fit.wasm.work;
const ratio = (id) => results[id].wasm.work / plain;
const status = (ok, margin) => (ok ? (margin > 0.9 ? "pass (marginal, within 10%)" : "pass") : "**FAIL**");
const within = (value, limit) => status(value <= limit, value / limit);
const mi = machineInfo();

const lines = [];
lines.push("## DiD estimators and resampling (bench/did.bench.mjs)", "");
lines.push(`Measured ${mi.date}; ${mi.cpu} (${mi.cpuFamilyModel}), ${mi.cores} logical cores${mi.hypervisor ? " (virtual machine)" : ""}, ` +
  `${mi.ramGiB.toFixed(1)} GiB RAM, ${mi.kernel}, Node ${mi.node}; didwasm commit ${mi.git}${mi.gitDirty ? " + uncommitted changes" : ""}. ` +
  `Each number is the median of ${RUNS} fresh CLI processes (\`didwasm COMMAND FILE ... --json\`). "work" is the CLI's own timing ` +
  "(`timing_ms.fit`, or `timing_ms.run` for resampling), which excludes reading the file; \"wall\" is the whole process.", "");
lines.push("The 1M-row staggered panel: `didwasm demo-data --kind panel --units 50000 --periods 20 --regressors 6 --units-per-state 50 " +
  "--cohorts 2005,2008,2011,2014` (the core benchmark panel's generator with staggered adoption, 30% never treated, effect 1; " +
  "bench/data/staggered-1e6.csv). The bundled panel: examples/smart-city.csv (284 cities x 14 years).", "");
lines.push("| target | measured | limit | status |", "| --- | ---: | ---: | ---: |");
lines.push(`| \`eventstudy\` (window -7:7, bin 5), 6 controls, vs plain \`fit\`, 1M rows | ${f2(ratio("es"))}x (${f0(results.es.wasm.work)} vs ${f0(plain)} ms) | ≤ 2x | ${within(ratio("es"), 2)} |`);
lines.push(`| \`eventstudy\` (window -7:7, bin 5), no controls, vs plain \`fit\` | ${f2(ratio("esNoCtl"))}x (${f0(results.esNoCtl.wasm.work)} vs ${f0(plain)} ms) | ≤ 2x | ${within(ratio("esNoCtl"), 2)} |`);
lines.push(`| \`did2s\` static, 6 controls, vs plain \`fit\`, 1M rows | ${f2(ratio("did2s"))}x (${f0(results.did2s.wasm.work)} vs ${f0(plain)} ms) | ≤ 2x | ${within(ratio("did2s"), 2)} |`);
lines.push(`| \`did2s\` static, no controls, vs plain \`fit\` | ${f2(ratio("did2sNoCtl"))}x (${f0(results.did2sNoCtl.wasm.work)} vs ${f0(plain)} ms) | ≤ 2x | ${within(ratio("did2sNoCtl"), 2)} |`);
lines.push(`| \`did2s --event\` (window -7:7, bin 5), 6 controls, vs plain \`fit\`, 1M rows | ${f2(ratio("did2sEvent"))}x (${f0(results.did2sEvent.wasm.work)} vs ${f0(plain)} ms) | ≤ 2x | ${within(ratio("did2sEvent"), 2)} |`);
lines.push(`| \`csdid\` vs plain \`fit\`, 1M rows | ${f2(ratio("csdid"))}x (${f0(results.csdid.wasm.work)} vs ${f0(plain)} ms) | ≤ 3x | ${within(ratio("csdid"), 3)} |`);
lines.push(`| 500 mixed placebo draws, bundled panel, whole CLI process | ${f0(results.placebo.wasm.wall)} ms | ≤ 450 ms (aim 200 ms) | ${within(results.placebo.wasm.wall, 450)} |`);
lines.push(`| 500-draw bdiff, bundled panel, whole CLI process | ${f0(results.bdiff.wasm.wall)} ms | < 1000 ms | ${within(results.bdiff.wasm.wall, 1000)} |`);
lines.push(`| 9,999 wild bootstrap replicates, 1M rows, 1,000 clusters (bootstrap incl. model, \`timing_ms.run\`) | ${f0(results.boot.wasm.work)} ms (whole process ${f0(results.boot.wasm.wall)} ms) | < 5000 ms | ${within(results.boot.wasm.work, 5000)} |`);
lines.push("");
lines.push("Every command, both backends:", "");
lines.push("| command | wasm work ms | wasm wall ms | reference work ms | reference wall ms | wasm speed-up (work) | work / plain fit |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const c of CASES) {
  const w = results[c.id].wasm;
  const r = results[c.id].reference;
  const vsFit = c.file === STAGGERED ? `${f2(w.work / plain)}x` : "–";
  lines.push(`| ${c.label} | ${f0(w.work)} | ${f0(w.wall)} | ${f0(r.work)} | ${f0(r.wall)} | ${f2(r.work / w.work)}x | ${vsFit} |`);
}
lines.push("");
lines.push("Reproduce: `npm run build && node bench/did.bench.mjs` (also run by `npm run bench`).", "");
const text = lines.join("\n");
replaceSection("## DiD estimators and resampling", text, { before: (h) => h.startsWith("## PSM") || h.startsWith("## Browser") || h.startsWith("## Reproduce") });
console.log(text);
log("wrote the DiD section of bench/RESULTS.md");
