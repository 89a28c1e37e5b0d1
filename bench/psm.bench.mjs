// PSM benchmarks against the targets:
//   logit     1,000,000 rows x 10 covariates (plus the intercept), the whole logit() call: < 2 s
//   matching  10,000 treated among 100,000 controls, nearest neighbour through the sorted score index: < 1 s
// the logit also through the CLI in a fresh process (as a user runs it), plus the other matching methods on the same scores, and psm() end to end on the smart-city demo panel.
// Data are generated in-process from the project's PRNG (seeded, so every run times the same problem).
// In-process measurements: warm-up call(s) (the first long wasm call runs in V8's baseline tier, see DESIGN.md),
// then RUNS timed calls; the median is reported.
//
//   node bench/psm.bench.mjs [--runs 5] [--write]     --write replaces its section of bench/RESULTS.md
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { toFrame } from "../dist/bindings/data/columns.js";
import { generateSmartCity } from "../dist/bindings/data/demo/smart-city.js";
import { createEngine } from "../dist/bindings/engine/engine.js";
import { logit } from "../dist/bindings/estimators/logit.js";
import { matchOnScore } from "../dist/bindings/estimators/psm/matching.js";
import { psm } from "../dist/bindings/estimators/psm/psm.js";
import { Xoshiro128 } from "../dist/bindings/random/xoshiro.js";
import { machineInfo } from "./lib/machine.mjs";
import { CLI, DATA_DIR, ensureDir, requireBuild } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "5" }, write: { type: "boolean", default: false } } });
const RUNS = Math.max(1, Number(args.runs));
requireBuild();
const log = (s) => process.stderr.write(`[psm-bench] ${s}\n`);

const TARGETS = { logitMs: 2000, matchMs: 1000 };

function time(fn, warmups = 1) {
  for (let w = 0; w < warmups; w++) fn();
  const ms = [];
  let out;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[ms.length >> 1], min: ms[0], max: ms[ms.length - 1], out };
}

// ---------------------------------------------------------------------------------------- logit data
const N = 1_000_000;
const K = 10;
function logitData() {
  const g = new Xoshiro128(2026);
  const cols = {};
  const beta = Array.from({ length: K }, (_, k) => (k % 2 ? 0.3 : -0.2) / (1 + k / 5));
  const eta = new Float64Array(N).fill(-0.5);
  for (let k = 0; k < K; k++) {
    const x = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      x[i] = g.normal() + (k === 3 ? 5 : 0); // one covariate far from 0, as a log level would be
      eta[i] += beta[k] * (x[i] - (k === 3 ? 5 : 0));
    }
    cols[`x${k + 1}`] = x;
  }
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) y[i] = g.uniform() < 1 / (1 + Math.exp(-eta[i])) ? 1 : 0;
  cols.y = y;
  return toFrame(cols);
}

// ------------------------------------------------------------------------------------- matching data
const N1 = 10_000;
const N0 = 100_000;
function scores() {
  const g = new Xoshiro128(7);
  const U = N1 + N0;
  const score = new Float64Array(U);
  const treated = new Uint8Array(U);
  // treated scores lean high (beta(2,1)-like), controls low (beta(1,2)-like): realistic overlap
  for (let u = 0; u < U; u++) {
    treated[u] = u % 11 === 0 ? 1 : 0;
    const a = g.uniform();
    const b = g.uniform();
    score[u] = treated[u] ? Math.max(a, b) : Math.min(a, b);
  }
  return { score, treated, eligible: new Uint8Array(U).fill(1) };
}

const results = { logit: [], matching: [], psm: [] };

log(`generating ${N.toLocaleString()} x ${K} logit data`);
const frame = logitData();
const formula = `y ~ ${Array.from({ length: K }, (_, k) => `x${k + 1}`).join(" + ")}`;
for (const backend of ["wasm", "reference"]) {
  const engine = createEngine({ backend });
  log(`logit, ${backend}`);
  const t = time(() => logit(frame, formula, { engine }));
  results.logit.push({ backend, ...t, iterations: t.out.iterations, converged: t.out.converged });
}
const parity = (() => {
  const [a, b] = results.logit.map((r) => r.out.estimates());
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
  return m;
})();

const m = scores();
const base = { method: "nearest", neighbors: 1, replace: true, caliper: null, kernel: "epan", bandwidth: 0.06 };
const variants = [
  ["nearest, 1 neighbour, with replacement", {}],
  ["nearest, 1 neighbour, with replacement, caliper 0.001", { caliper: 0.001 }],
  ["nearest, 5 neighbours, with replacement", { neighbors: 5 }],
  ["nearest, 1 neighbour, without replacement", { replace: false }],
  ["radius 0.001", { method: "radius", caliper: 0.001 }],
  ["kernel, Epanechnikov, bandwidth 0.001", { method: "kernel", bandwidth: 0.001 }],
];
for (const [label, o] of variants) {
  log(`matching: ${label}`);
  const t = time(() => matchOnScore(m.score, m.treated, m.eligible, { ...base, ...o }));
  results.matching.push({ label, ...t, pairs: t.out.pairs.length, unmatched: t.out.unmatched });
}

log("psm() on the smart-city panel");
const sc = toFrame(generateSmartCity());
for (const backend of ["wasm", "reference"]) {
  const t = time(() =>
    psm(sc, { unit: "city", time: "year", cohort: "cohort", covariates: ["lngdp", "lnfin", "upg", "lnfis", "fix", "tra"], pre: [2007, 2011], caliper: 0.05, y: "ire", backend }),
    5,
  );
  results.psm.push({ backend, ...t });
}

// The CLI as a user runs it: `didwasm logit FILE --formula ... --json` in a fresh process, on the same
// data written as CSV (bench/data/logit-1e6.csv, written once); timing_ms.fit excludes reading the CSV.
const csvFile = join(DATA_DIR, "logit-1e6.csv");
if (!existsSync(csvFile)) {
  log(`writing ${csvFile}`);
  ensureDir(DATA_DIR);
  const names = [...Array.from({ length: K }, (_, k) => `x${k + 1}`), "y"];
  const cols = names.map((nm) => frame.numeric(nm));
  const chunks = [names.join(",") + "\n"];
  for (let i = 0; i < N; i++) chunks.push(cols.map((c) => (Number.isInteger(c[i]) ? c[i] : c[i].toPrecision(10))).join(",") + "\n");
  writeFileSync(csvFile, chunks.join(""));
}
for (const backend of ["wasm", "reference"]) {
  const runs = [];
  for (let r = 0; r < Math.min(RUNS, 3); r++) {
    log(`didwasm logit (CLI, ${backend}) run ${r + 1}`);
    const t0 = performance.now();
    const out = execFileSync(process.execPath, [CLI, "logit", csvFile, "--formula", formula, "--json", "--backend", backend], { encoding: "utf8", maxBuffer: 1 << 26 });
    const wall = performance.now() - t0;
    const j = JSON.parse(out);
    runs.push({ read: j.timing_ms.read, fit: j.timing_ms.fit, wall });
  }
  const med = (k) => runs.map((x) => x[k]).sort((a, b) => a - b)[runs.length >> 1];
  results.cli = [...(results.cli ?? []), { backend, read: med("read"), fit: med("fit"), wall: med("wall"), runs: runs.length }];
}

// ------------------------------------------------------------------------------------------- report
const f1 = (x) => x.toFixed(1);
const lw = results.logit.find((r) => r.backend === "wasm");
const nn = results.matching[0];
const mi = machineInfo();
const lines = [];
lines.push(`## PSM: logit and matching (bench/psm.bench.mjs)`, "");
lines.push(`Measured ${mi.date}; ${mi.cpu} (${mi.cpuFamilyModel}), ${mi.cores} logical cores${mi.hypervisor ? " (virtual machine)" : ""}, ` +
  `${mi.ramGiB.toFixed(1)} GiB RAM, ${mi.kernel}, Node ${mi.node}; didwasm commit ${mi.git}${mi.gitDirty ? " + uncommitted changes" : ""}. ` +
  `Median of ${RUNS} in-process runs after one warm-up run.`, "");
lines.push("| target | measured | limit | status |", "| --- | ---: | ---: | ---: |");
lines.push(`| logit, 1,000,000 rows x 10 covariates, wasm (whole \`logit()\` call, ${lw.iterations} Newton iterations) | ${f1(lw.median)} ms | < ${TARGETS.logitMs} ms | ${lw.median < TARGETS.logitMs ? "pass" : "**FAIL**"} |`);
const cw = results.cli.find((r) => r.backend === "wasm");
lines.push(`| the same through the CLI, fresh process, wasm (\`timing_ms.fit\`; reading the 1e6-row CSV adds ${f1(cw.read)} ms) | ${f1(cw.fit)} ms | < ${TARGETS.logitMs} ms | ${cw.fit < TARGETS.logitMs ? "pass" : "**FAIL**"} |`);
lines.push(`| nearest-neighbour matching, 10,000 treated among 100,000 controls | ${f1(nn.median)} ms | < ${TARGETS.matchMs} ms | ${nn.median < TARGETS.matchMs ? "pass" : "**FAIL**"} |`, "");
lines.push("Logit (1,000,000 x 10, intercept added; data from Xoshiro128(2026); one covariate centred at 5):", "");
lines.push("| backend | median ms | min ms | max ms | iterations | converged |", "| --- | ---: | ---: | ---: | ---: | --- |");
for (const r of results.logit) lines.push(`| ${r.backend} | ${f1(r.median)} | ${f1(r.min)} | ${f1(r.max)} | ${r.iterations} | ${r.converged} |`);
lines.push("", `Largest relative difference of the coefficients between backends: ${parity.toExponential(1)} (exp/log1p may differ in the last ulp, see assembly/logit.ts).`, "");
lines.push("The same logit through the CLI, one fresh process per run (`didwasm logit bench/data/logit-1e6.csv --formula ... --json`; median of the runs):", "");
lines.push("| backend | runs | read ms (timing_ms.read) | fit ms (timing_ms.fit) | wall ms (whole process) |", "| --- | ---: | ---: | ---: | ---: |");
for (const r of results.cli) lines.push(`| ${r.backend} | ${r.runs} | ${f1(r.read)} | ${f1(r.fit)} | ${f1(r.wall)} |`);
lines.push("");
lines.push("Matching (110,000 units, every 11th treated; scores: treated max of two uniforms, controls min of two):", "");
lines.push("| method | median ms | min ms | pairs | treated unmatched |", "| --- | ---: | ---: | ---: | ---: |");
for (const r of results.matching) lines.push(`| ${r.label} | ${f1(r.median)} | ${f1(r.min)} | ${r.pairs.toLocaleString("en-US")} | ${r.unmatched.toLocaleString("en-US")} |`);
lines.push("", "`psm()` end to end on the smart-city panel (284 cities x 14 years, 6 covariates, caliper 0.05, DID clustered by city):", "");
lines.push("| backend | median ms | min ms |", "| --- | ---: | ---: |");
for (const r of results.psm) lines.push(`| ${r.backend} | ${f1(r.median)} | ${f1(r.min)} |`);
lines.push("", "Reproduce: `npm run build && node bench/psm.bench.mjs --write` (also run by `npm run bench`).", "");
const text = lines.join("\n");
console.log(text);
if (args.write) {
  replaceSection("## PSM", text, { before: (h) => h.startsWith("## Browser") || h.startsWith("## Reproduce") });
  log("wrote the PSM section of bench/RESULTS.md");
}
