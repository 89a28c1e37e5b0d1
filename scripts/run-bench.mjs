// Runs every benchmark and writes bench/RESULTS.md (date, machine, tables of numbers against the targets).
//
//   npm run bench                 1e4, 1e5, 1e6 rows (the 1e7 row of the scaling table is reused from the
//                                 last --full run when bench/data/results/ still has it)
//   npm run bench -- --full       also 1e7 rows (generates a 1.2 GB CSV once; adds a few minutes)
//   npm run bench -- --runs 5     CLI repetitions per measurement (default 3; medians are reported)
//
// Then the other suites, each owning one section of RESULTS.md: bench/did.bench.mjs (DiD estimators,
// placebo, bdiff, wild bootstrap), bench/fixest.bench.mjs (the fixed-effects fit side by side with R's
// fixest; about 8 minutes), bench/psm.bench.mjs (logit, matching), bench/browser.bench.mjs (when Chromium
// is installed).
//
// Steps: generate missing panels (didwasm demo-data), run the tinybench suites (bench/kernels.bench.mjs, bench/fit.bench.mjs) in fresh processes, time
// `didwasm fit ... --json` as a separate process per backend and size (timing_ms, wall time, max RSS), record
// per-phase memory (bench/lib/phases-child.mjs), profile CLI fits, and write the report.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { hasGnuTime, measureCliFitRepeated } from "../bench/lib/cli-measure.mjs";
import { summarizeProfile, wasmExportNames } from "../bench/lib/cpuprofile.mjs";
import { waitForIdle, waits } from "../bench/lib/idle.mjs";
import { machineInfo } from "../bench/lib/machine.mjs";
import {
  CLI, DATA_DIR, FORMULA, PERIODS, REGRESSORS, ROOT, SIZES, UNITS_PER_STATE, VCOV, dataPath, ensureDir, requireBuild, resultPath,
} from "../bench/lib/paths.mjs";
import { replaceSections } from "../bench/lib/results-md.mjs";
import { speedups } from "../bench/lib/tiny.mjs";

/** Headings of the sections this script writes (older runs may have left some, e.g. a 1e7 profile). */
const CORE_HEADINGS = ["## Machine", "## Targets (1,000,000-row", "## Scaling", "## Kernels", "## Whole fit", "## Where the CLI's time goes", "## Reproduce"];

const { values: args } = parseArgs({
  options: { full: { type: "boolean", default: false }, runs: { type: "string", default: "3" } },
});
const RUNS = Math.max(1, Number(args.runs));

/** The project's issue: the targets, on the 1e6-row panel. */
const TARGETS = {
  fitMs: 700, // R fixest 0.12, single-threaded, on this machine, as stated in the issue (fixest is not installable here)
  speedup: 3,
  readMs: 2000,
  maxRssBytes: 1.5e9,
};

const log = (s) => process.stderr.write(`[bench] ${s}\n`);
requireBuild();
ensureDir(DATA_DIR);

// ---------------------------------------------------------------------------------------------- data
function generate(size) {
  const out = dataPath(size.label);
  const meta = `${out}.meta.json`;
  if (existsSync(out)) {
    const m = existsSync(meta) ? JSON.parse(readFileSync(meta, "utf8")) : { generator: "unknown (file not written by this script)" };
    return { file: out, generator: `${m.generator}${m.date ? `, ${m.date.slice(0, 10)}` : ""}, reused` };
  }
  const g = generateNew(size, out);
  writeFileSync(meta, JSON.stringify({ generator: g.generator, date: new Date().toISOString() }));
  return g;
}

function generateNew(size, out) {
  log(`generating ${out} with didwasm demo-data`);
  execFileSync(process.execPath, [
    CLI, "demo-data", "--kind", "panel", "--units", String(size.units), "--periods", String(PERIODS),
    "--regressors", String(REGRESSORS), "--units-per-state", String(UNITS_PER_STATE), "--out", out, "--quiet",
  ], { stdio: "inherit" });
  return { file: out, generator: "didwasm demo-data" };
}

const sizes = SIZES.filter((s) => s.rows <= 1e6 || args.full);
const datasets = {};
for (const s of sizes) {
  const g = generate(s);
  datasets[s.label] = { ...g, bytes: statSync(g.file).size };
}

// -------------------------------------------------------------------------------- fixest availability
function probe(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: "utf8" });
  if (r.error) return `(${cmd} not available: ${r.error.code})`;
  return (r.stdout + r.stderr).trim() || "(no output)";
}
const fixest = {
  aptCachePolicy: probe("apt-cache", ["policy", "r-cran-fixest"]),
  rHasFixest: probe("Rscript", ["-e", 'cat(requireNamespace("fixest", quietly = TRUE))']),
};

// ------------------------------------------------------------------------------------ tinybench suites
async function runSuite(script) {
  const out = resultPath(script.replace(/\.bench\.mjs$/, ""));
  await waitForIdle(`bench/${script}`);
  log(`running bench/${script}`);
  execFileSync(process.execPath, [join(ROOT, "bench", script), "--data", dataPath("1e6"), "--json", out], { stdio: "inherit" });
  return JSON.parse(readFileSync(out, "utf8"));
}
const kernels = await runSuite("kernels.bench.mjs");
const fitSuite = await runSuite("fit.bench.mjs");

// ---------------------------------------------------------------------------------- CLI measurements
async function cli(label, backend, runs, nodeFlags = []) {
  const what = `didwasm fit ${label} --backend ${backend}${nodeFlags.length ? ` (node ${nodeFlags.join(" ")})` : ""} x${runs}`;
  await waitForIdle(what);
  log(what);
  return measureCliFitRepeated(dataPath(label), runs, { backend, nodeFlags });
}
async function phases(label, backend) {
  await waitForIdle(`phases ${label} ${backend}`);
  log(`phases ${label} ${backend}`);
  const out = execFileSync(process.execPath, [join(ROOT, "bench", "lib", "phases-child.mjs"), dataPath(label), backend], {
    encoding: "utf8", maxBuffer: 1 << 20,
  });
  return JSON.parse(out);
}

const scaling = {};
for (const s of sizes) {
  const runs = RUNS; // also for 1e7: a single run of a 1.2 GB read is too noisy on a shared machine
  const row = { label: s.label, rows: s.rows, bytes: datasets[s.label].bytes, measured: new Date().toISOString() };
  for (const b of ["wasm", "reference"]) {
    row[b] = { cli: await cli(s.label, b, runs), phases: await phases(s.label, b) };
  }
  scaling[s.label] = row;
  writeFileSync(resultPath(`scaling-${s.label}`), JSON.stringify(row, null, 2));
}
if (!args.full && existsSync(resultPath("scaling-1e7"))) {
  scaling["1e7"] = { ...JSON.parse(readFileSync(resultPath("scaling-1e7"), "utf8")), reused: true };
}

// CPU profiles of one CLI fit (wasm backend): 1e6 rows, and 1e7 with --full.
const profDir = ensureDir(join(DATA_DIR, "profiles"));
const wasmNames = wasmExportNames(readFileSync(join(ROOT, "build", "didwasm.simd.wasm")));
async function profileCli(label) {
  await waitForIdle(`CPU profile ${label}`);
  log(`CPU profile of didwasm fit ${label}`);
  const name = `cli-fit-${label}-wasm.cpuprofile`;
  rmSync(join(profDir, name), { force: true });
  execFileSync(process.execPath, [
    "--cpu-prof", "--cpu-prof-dir", profDir, "--cpu-prof-name", name, "--cpu-prof-interval", label === "1e7" ? "1000" : "250",
    CLI, "fit", dataPath(label), "--formula", FORMULA, "--vcov", VCOV, "--json",
  ], { stdio: ["ignore", "ignore", "inherit"] });
  const file = join(profDir, name);
  return {
    label, name,
    fit: summarizeProfile(file, { under: "feolsMulti", wasmNames, root: ROOT }),
    read: summarizeProfile(file, { under: "readCsvFile", wasmNames, root: ROOT }),
  };
}
const profiles = [await profileCli("1e6")];
if (args.full) profiles.push(await profileCli("1e7"));

// --------------------------------------------------------------------------------------------- report
const machine = machineInfo();
const m6 = scaling["1e6"];
const cliW = m6.wasm.cli;
const cliR = m6.reference.cli;
const cliSpeedup = cliR.median.fitMs / cliW.median.fitMs;
const inproc = speedups(fitSuite.tasks)["feols 1e6"];
const kernelOnly = fitSuite.breakdown.reference.kernels / fitSuite.breakdown.wasm.kernels;
const maxRssBytes = cliW.max.maxRssMiB * 2 ** 20;

function status(value, limit, lowerIsBetter) {
  const ok = lowerIsBetter ? value <= limit : value >= limit;
  const margin = lowerIsBetter ? value / limit : limit / value;
  if (!ok) return "**FAIL**";
  return margin > 0.9 ? "pass (marginal, within 10%)" : "pass";
}

function idleSummary() {
  const busy = waits.filter((w) => !w.idle);
  const waited = waits.reduce((s, w) => s + w.waitedMs, 0);
  return `the machine is shared: before each of ${waits.length} measurements the script waited for the CPUs to be at most 15% busy ` +
    `(${(waited / 1000).toFixed(0)} s of waiting in all); ` +
    (busy.length ? `**${busy.length} measurement(s) started on a busy machine**: ${busy.map((w) => w.what).join("; ")}` : "every measurement started on an idle machine");
}
const f0 = (x) => (x === undefined || x === null || Number.isNaN(x) ? "–" : Math.round(x).toLocaleString("en-US"));
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const table = (head, rows, align = "right") =>
  [`| ${head.join(" | ")} |`, `| ${head.map((h, i) => (i === 0 || align === "left" ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

const lines = [];
const p = (s = "") => lines.push(s);
p("# didwasm benchmark results");
p();
p(`Generated by \`npm run bench${args.full ? " -- --full" : ""}\` (scripts/run-bench.mjs). Numbers are medians of ${RUNS} runs unless noted.`);
p();
p("## Machine");
p();
p(table(["", ""], [
  ["date", machine.date],
  ["CPU", `${machine.cpu} (${machine.cpuFamilyModel})${machine.cacheSize ? `, ${machine.cacheSize} cache` : ""}, AVX2 ${machine.avx2 ? "yes" : "no"}, AVX-512 ${machine.avx512f ? "yes" : "no"}`],
  ["cores", `${machine.cores} logical${machine.hypervisor ? " (virtual machine)" : ""}`],
  ["RAM", `${machine.ramGiB.toFixed(1)} GiB`],
  ["OS", machine.kernel],
  ["Node", `${machine.node} (V8 ${machine.v8})`],
  ["didwasm", `commit ${machine.git}${machine.gitDirty ? " + uncommitted changes in assembly/, bindings/ or cli/" : ""}; wasm kernels: ${kernels.simd ? "SIMD build" : "scalar build"}`],
  ["peak memory measured with", hasGnuTime() ? "GNU time -v (max RSS of the node process)" : "/proc/PID/status VmHWM polled every 5 ms"],
  ["other load", idleSummary()],
], "left"));
p();

p("## Targets (1,000,000-row panel: 50,000 units x 20 years, 6 regressors, cluster by unit)");
p();
p(`Model: \`didwasm fit bench/data/panel-1e6.csv --formula "${FORMULA}" --vcov ${VCOV} --json\`; data: ${mb(m6.bytes)} ` +
  `(${datasets["1e6"] ? datasets["1e6"].generator : "existing file"}; the issue says about 125 MB). Fit and read times are the CLI's own ` +
  "`timing_ms` fields, each from a separate process (a cold start, as a user gets it).");
p();
p(table(["target", "measured", "limit", "status"], [
  ["in-process fit time, wasm (`timing_ms.fit`)", `${f0(cliW.median.fitMs)} ms`, `≤ ${TARGETS.fitMs} ms (R fixest 0.12, 1 thread, per the issue)`, status(cliW.median.fitMs, TARGETS.fitMs, true)],
  ["wasm vs reference backend, same fit (in process, both warmed up; tinybench medians)", `${f2(inproc.speedup)}x (${f0(inproc.wasm)} vs ${f0(inproc.reference)} ms)`, `≥ ${TARGETS.speedup}x`, status(inproc.speedup, TARGETS.speedup, false)],
  ["CSV read (`timing_ms.read`)", `${f0(cliW.median.readMs)} ms`, `≤ ${TARGETS.readMs} ms`, status(cliW.median.readMs, TARGETS.readMs, true)],
  ["peak memory of the whole CLI run (max RSS, worst of runs)", `${f0(cliW.max.maxRssMiB)} MiB (${mb(maxRssBytes)})`, "< 1.5 GB", status(maxRssBytes, TARGETS.maxRssBytes, true)],
]));
p();
p("Supporting measurements of the 3x target (same model, same data). The target compares the backends on the same fit, " +
  "so both run in one process, warmed up, as tinybench measures them. A cold CLI process adds costs that are not the backend's " +
  "speed and weigh on the wasm side: its first fit touches fresh WebAssembly memory (page faults on every new page), runs the " +
  "shared TypeScript once before V8 has optimised it, and encodes the groups for the first time; the reference backend's " +
  "typed arrays are fresh memory in every fit, warm or cold.");
p();
p(table(["measurement", "wasm", "reference", "ratio"], [
  ["in-process fit, warmed up (tinybench median)", `${f0(inproc.wasm)} ms`, `${f0(inproc.reference)} ms`, `${f2(inproc.speedup)}x`],
  ["kernel calls only, within a warm fit", `${f0(fitSuite.breakdown.wasm.kernels)} ms`, `${f0(fitSuite.breakdown.reference.kernels)} ms`, `${f2(kernelOnly)}x`],
  ["host (TypeScript) part of a warm fit", `${f0(fitSuite.breakdown.wasm.host + fitSuite.breakdown.wasm.arena)} ms`, `${f0(fitSuite.breakdown.reference.host + fitSuite.breakdown.reference.arena)} ms`, "shared code"],
  ["CLI fit, cold process (`timing_ms.fit`)", `${f0(cliW.median.fitMs)} ms`, `${f0(cliR.median.fitMs)} ms`, `${f2(cliSpeedup)}x`],
]));
p();
p("fixest could not be run here, so the 0.7 s comparison figure is the one given by the issue. Checks:");
p();
p("```");
p(`$ apt-cache policy r-cran-fixest`);
p(fixest.aptCachePolicy === "(no output)" ? "(no output: the package is unknown to apt)" : fixest.aptCachePolicy);
p(`$ Rscript -e 'cat(requireNamespace("fixest", quietly = TRUE))'`);
p(fixest.rHasFixest);
p("```");
p();

p("## Scaling (same model; panels of 20 years, 50 units per state, 6 regressors)");
p();
p("CLI columns: one `didwasm fit --json` process per run (read and fit from `timing_ms`, wall = whole process, " +
  "peak RSS = max RSS of the process). Phase memory: a fresh process doing the CLI's two calls " +
  "(bench/lib/phases-child.mjs): peak RSS at the end of the read, then at the end of the fit, and the frame's column bytes.");
p();
const scaleRows = [];
for (const label of ["1e4", "1e5", "1e6", "1e7"]) {
  const r = scaling[label];
  if (!r) {
    scaleRows.push([label, "–", "not run (use `npm run bench -- --full`)", "", "", "", "", "", "", ""]);
    continue;
  }
  for (const b of ["wasm", "reference"]) {
    const c = r[b].cli;
    const ph = r[b].phases;
    const runsNote = c.runs.length === 1 ? " (1 run)" : "";
    const reuse = r.reused ? ` (measured ${r.measured.slice(0, 10)}, reused)` : "";
    scaleRows.push([
      `${f0(r.rows)}${reuse}`, b, `${f0(c.median.readMs)}${runsNote}`, f0(c.median.fitMs), f0(c.median.wallMs), f0(c.median.maxRssMiB),
      `${f1((r.bytes / 1e6) / (c.median.readMs / 1000))}`, f0(ph.frameMiB), f0(ph.afterRead.peakRssMiB), f0(ph.afterFit.peakRssMiB),
    ]);
  }
}
p(table(["rows", "backend", "read ms", "fit ms", "wall ms", "peak RSS MiB", "read MB/s", "frame MiB", "peak RSS after read MiB", "peak RSS after fit MiB"], scaleRows));
p();
if (scaling["1e7"]) {
  p(`The 1e7-row file (${mb(scaling["1e7"].bytes)}) is written by \`didwasm demo-data\` like the others (in blocks of rows).`);
  p();
}

p("## Kernels (tinybench, 1e6 rows, warmed up)");
p();
p(`Inputs: y and x1..x6 of the 1e6 panel (N = ${f0(kernels.N)}, C = ${kernels.C} columns), ${f0(kernels.groups.unit)} units, ` +
  `${kernels.groups.year} years. Wasm and reference outputs are bit-identical (max abs differences: demean ${kernels.parity.demeanMaxAbsDiff}, ` +
  `crossprod ${kernels.parity.crossprodMaxAbsDiff}, meat ${kernels.parity.meatMaxAbsDiff}). "demean (2 FE)" is the fit's call ` +
  `(sweeps per column: ${kernels.parity.panelSweeps.join(", ")}: a balanced panel converges at once); "demean x20 sweeps" replaces the ` +
  `year effect by a weakly connected ${kernels.groups.chainPeriods}-period effect and stops at 20 sweeps, to price one sweep.`);
p();
const ks = speedups(kernels.tasks);
const kRow = (label, desc) => {
  const v = ks[label];
  const w = kernels.tasks.find((t) => t.name === `${label} [wasm]`);
  const r = kernels.tasks.find((t) => t.name === `${label} [reference]`);
  return [desc, `${f2(v.wasm)} (±${f1(w.rmePct)}%)`, `${f2(v.reference)} (±${f1(r.rmePct)}%)`, `${f2(v.speedup)}x`];
};
p(table(["kernel", "wasm ms", "reference ms", "wasm speed-up"], [
  kRow("demean (2 FE)", "demean, unit + year, 7 columns, tol 1e-8"),
  kRow("demean x20 sweeps", "demean, 7 columns x 20 sweeps"),
  kRow("crossprod", "crossprod 7 x 7"),
  kRow("meatCluster", "cluster meat, K = 6, 50,000 clusters"),
]));
p();
p(`Per sweep and column: wasm ${f2((ks["demean x20 sweeps"].wasm / 20 / kernels.C) * 1e6 / kernels.N)} ns/row, ` +
  `reference ${f2((ks["demean x20 sweeps"].reference / 20 / kernels.C) * 1e6 / kernels.N)} ns/row.`);
p();

p("## Whole fit in process (tinybench, 1e6 rows, warmed up)");
p();
p(`Wasm and reference fits agree exactly (max abs difference of coefficients ${fitSuite.parity.coefMaxAbsDiff}, of standard errors ` +
  `${fitSuite.parity.seMaxAbsDiff}). Breakdown from an engine whose calls are timed (median of 5 fits after 2 warm-up fits; ` +
  "arena = allocating and zero-filling the job's buffers; host = everything else in feols).");
p();
const bd = fitSuite.breakdown;
p(table(["", "total ms", "host ms", "arena ms", "kernels ms", "demean", "crossprod", "meatCluster", "solve (chol*)"], ["wasm", "reference"].map((b) => [
  b, f1(bd[b].total), f1(bd[b].host), f1(bd[b].arena), f1(bd[b].kernels), f1(bd[b].demean ?? 0), f1(bd[b].crossprod ?? 0), f1(bd[b].meatCluster ?? 0),
  f1((bd[b].cholesky ?? 0) + (bd[b].cholSolve ?? 0) + (bd[b].cholInverse ?? 0)),
])));
p();

for (const prof of profiles) {
  p(`## Where the CLI's time goes (CPU profile of one \`didwasm fit\`, wasm, ${prof.label} rows)`);
  p();
  p(`\`node --cpu-prof\`; profile: bench/data/profiles/${prof.name}. Self time of the top functions under ` +
    `feolsMulti (fit, ${f0(prof.fit.totalMs)} ms sampled) and under readCsvFile (read, ${f0(prof.read.totalMs)} ms sampled). ` +
    "Time spent first touching fresh memory (page faults) is counted in the function that touches it, e.g. `fillData` " +
    "(copying [y X] into fresh WebAssembly memory) or the arena's zero-fill (`f64 dist/bindings/engine/wasm.js`).");
  p();
  const top = (s, n) => s.self.slice(0, n).map((x) => [`\`${x.name}\``, f1(x.ms), `${f0((100 * x.ms) / s.totalMs)}%`]);
  p(table(["fit: function", "self ms", "share"], top(prof.fit, 14)));
  p();
  p(table(["read: function", "self ms", "share"], top(prof.read, 6)));
  p();
}

p("## Reproduce");
p();
p("```sh");
p("npm run build");
p("npm run bench            # every suite, 1e4..1e6 rows (about 10 minutes)");
p("npm run bench -- --full  # and 1e7 rows (generates a 1.2 GB CSV once)");
p("node bench/kernels.bench.mjs         # one suite on its own");
p("node bench/did.bench.mjs             # DiD estimators and resampling (writes its section)");
p("node bench/fixest.bench.mjs          # the fixed-effects fit vs R's fixest, same run (writes its section)");
p("node bench/psm.bench.mjs --write     # logit and matching (writes its section)");
p("npm run bench:browser                # the web tool in Chromium (writes its section)");
p("```");
p();

// This script owns the sections above; the suites run below own theirs (bench/lib/results-md.mjs).
const [preamble, ...ownSections] = lines.join("\n").split(/\n(?=## )/);
const owned = new Set(ownSections.map((s) => s.slice(0, s.indexOf("\n")).trim()));
replaceSections((h) => owned.has(h) || CORE_HEADINGS.some((c) => h.startsWith(c)), ownSections.join("\n"), { preamble: preamble.trimEnd() });
writeFileSync(resultPath("all"), JSON.stringify({ machine, waits, datasets, fixest, kernels, fitSuite, scaling, profiles: profiles.map((x) => ({ label: x.label, fit: x.fit.self.slice(0, 30), read: x.read.self.slice(0, 30) })) }, null, 2));
log("wrote the core sections of bench/RESULTS.md");

// The other suites, each in a fresh process, each replacing its own section.
async function suite(script, argv = []) {
  await waitForIdle(`bench/${script}`);
  log(`running bench/${script} ${argv.join(" ")}`);
  execFileSync(process.execPath, [join(ROOT, "bench", script), ...argv], { stdio: ["ignore", "ignore", "inherit"] });
}
await suite("did.bench.mjs", ["--runs", String(RUNS)]);
await suite("fixest.bench.mjs", ["--runs", String(RUNS)]);
await suite("psm.bench.mjs", ["--write"]);
if (["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].some(existsSync) || process.env.CHROMIUM_PATH) {
  await suite("browser.bench.mjs");
} else {
  log("no Chromium found: the Browser section of bench/RESULTS.md is left as it was");
}
