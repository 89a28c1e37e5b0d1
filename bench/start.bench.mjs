#!/usr/bin/env node
// Fast start (issue 15): what a user waits for before any estimation, measured as whole fresh processes.
//   - `import("didwasm")`: the library's import, timed inside the process (performance.now and
//     process.cpuUsage around the import), and the whole process;
//   - `didwasm --version`: the whole process;
//   - the 500-draw mixed placebo on the bundled panel (examples/smart-city.json's placebo analysis), the
//     whole process, against an R loop of fixest refits of the same model measured in the same run.
// Every job runs RUNS times, the jobs interleaved so that load from other processes falls on all alike;
// medians of wall time and of CPU time (user + system, from GNU time when installed): on a shared machine
// CPU time is the steadier of the two. A bare `node -e 0` is measured alongside as the floor no Node
// program goes below.
//
// NODE_EXTRA_CA_CERTS is removed from the children's environment: with it set, every Node process parses
// that certificate file at start (about 60 ms on the 2-core VM), a cost of the machine's set-up and not of
// didwasm.
//
// The R loop takes about 25 ms a refit: it runs --r-draws draws (default 50) and its time is scaled to 500,
// which the section says.
//
//   node bench/start.bench.mjs [--runs 9] [--r-draws 50] [--root DIR] [--baseline DIR] [--no-write]
// --root measures another build than this checkout's (a folder with package.json, dist/ and node_modules);
// --baseline DIR also measures the build in DIR, interleaved with the first, and the section shows both
// (before / after); --no-write prints the section without touching bench/RESULTS.md.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { GNU_TIME, hasGnuTime } from "./lib/cli-measure.mjs";
import { fixestAvailable } from "./lib/fixest-r.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { ROOT } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "9" },
    "r-draws": { type: "string", default: "50" },
    root: { type: "string", default: ROOT },
    baseline: { type: "string" },
    "no-write": { type: "boolean", default: false },
  },
});
const RUNS = Math.max(1, Number(args.runs));
const R_DRAWS = Math.max(1, Number(args["r-draws"]));
const log = (s) => process.stderr.write(`[start-bench] ${s}\n`);

/** A build to measure: its folder and the package's bin there (import("didwasm") resolves its "." export). */
function buildAt(dir, tag) {
  const cli = join(dir, JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).bin.didwasm);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npx tsc -p tsconfig.build.json && node scripts/build-node.mjs\` first`);
  return { dir, cli, tag };
}
const BUILDS = [...(args.baseline ? [buildAt(args.baseline, "before")] : []), buildAt(args.root, args.baseline ? "after" : "this build")];

const DATA = join(ROOT, "examples", "smart-city.csv");
const SPEC = JSON.parse(readFileSync(join(ROOT, "examples", "smart-city.json"), "utf8"));
const roles = SPEC.roles;
const PLACEBO_DRAWS = 500;
// The demo's placebo analysis (examples/smart-city.json; bindings/report/plan.ts builds the same options).
const FORMULA = `${roles.outcome} ~ ${[roles.treatment, ...roles.controls].join(" + ")} | ${roles.unit} + ${roles.time}`;
const placeboArgv = (cli) => [cli, "placebo", DATA, "--formula", FORMULA, "--treat", roles.treatment, "--unit", roles.unit, "--time", roles.time,
  "--cohort", roles.cohort, "--kind", "mixed", "--variant", "1", "--vcov", `cluster:${roles.cluster}`, "--seed", String(SPEC.seed),
  "--reps", String(PLACEBO_DRAWS), "--json"];

/** Prints how long the import itself took, from inside the process. */
const IMPORT_PROBE = `const t0 = performance.now(); const c0 = process.cpuUsage();
await import("didwasm");
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }));`;

const JOBS = [
  { id: "node", label: "bare `node -e 0` (the floor)", argv: () => ["-e", "0"], once: true },
  { id: "import", label: '`import("didwasm")`, whole process', argv: () => ["--input-type=module", "-e", IMPORT_PROBE], inner: true },
  { id: "version", label: "`didwasm --version`, whole process", argv: (cli) => [cli, "--version"] },
  { id: "placebo", label: `\`didwasm placebo\`, ${PLACEBO_DRAWS} mixed draws on the bundled panel, whole process`, argv: placeboArgv, json: true },
];
const TARGETS = { version: 100, placebo: 250 };
const IMPORT_TARGET = 50;

const childEnv = { ...process.env };
delete childEnv.NODE_EXTRA_CA_CERTS;

/** One process: wall ms, CPU ms (GNU time's user + system, else null) and its stdout. */
function runOnce(argv, cwd) {
  const timed = hasGnuTime();
  const cmd = timed ? GNU_TIME : process.execPath;
  const full = timed ? ["-f", "didwasm-bench-cpu %U %S", process.execPath, ...argv] : argv;
  const t0 = performance.now();
  const r = spawnSync(cmd, full, { cwd, env: childEnv, encoding: "utf8", maxBuffer: 1 << 26 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${argv.slice(0, 2).join(" ")} ... failed (exit ${r.status}): ${(r.stderr || "").slice(-2000)}`);
  const m = (r.stderr || "").match(/didwasm-bench-cpu ([\d.]+) ([\d.]+)/);
  return { wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null, stdout: r.stdout };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Jobs x builds, in the order each round runs them (the bare node once a round).
const CASES = JOBS.flatMap((job) => (job.once ? [{ job, build: BUILDS.at(-1), key: job.id }] : BUILDS.map((build) => ({ job, build, key: `${build.tag}:${job.id}` }))));
const results = Object.fromEntries(CASES.map((c) => [c.key, { wall: [], cpu: [], innerWall: [], innerCpu: [], timing: [] }]));
const loads = [];
for (let i = 0; i < RUNS; i++) {
  for (const { job, build, key } of CASES) {
    loads.push(loadavg()[0]);
    const r = runOnce(job.argv(build.cli), build.dir);
    const res = results[key];
    res.wall.push(r.wallMs);
    res.cpu.push(r.cpuMs);
    if (job.inner) {
      const inner = JSON.parse(r.stdout.trim().split("\n").at(-1));
      res.innerWall.push(inner.wallMs);
      res.innerCpu.push(inner.cpuMs);
    }
    if (job.json) res.timing.push(JSON.parse(r.stdout).timing_ms);
  }
  log(`round ${i + 1}/${RUNS}: ${CASES.map((c) => `${c.key} ${results[c.key].wall.at(-1).toFixed(0)} ms`).join(", ")}`);
}

// The R loop, once (its per-draw time is steady over a loop; R's own start is not counted).
let r = null;
const rOk = fixestAvailable();
if (rOk.ok) {
  const out = join(tmpdir(), `didwasm-start-r-${process.pid}.json`);
  log(`R: ${R_DRAWS} fixest refits`);
  const run = spawnSync("Rscript", [join(ROOT, "bench", "placebo-loop.R"), DATA, String(R_DRAWS), String(SPEC.seed), out], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`Rscript bench/placebo-loop.R failed (exit ${run.status}): ${(run.stderr || "").slice(-2000)}`);
  r = JSON.parse(readFileSync(out, "utf8"));
} else log(`R skipped: ${rOk.why}`);

const f0 = (x) => (x === null ? "–" : Math.round(x).toLocaleString("en-US"));
const verdict = (x, limit) => (x === null ? "–" : x <= limit ? "pass" : "**not met**");
const last = BUILDS.at(-1);
const stat = (key, field) => median(results[key][field]);

const mi = machineInfo();
const lines = ["## Fast start (bench/start.bench.mjs)", ""];
lines.push(`Measured ${mi.date}; ${mi.cpu}, ${mi.cores} logical cores${mi.hypervisor ? " (virtual machine)" : ""}, Node ${mi.node}; didwasm commit ${mi.git}${mi.gitDirty ? " + uncommitted changes" : ""}. ` +
  `Median of ${RUNS} fresh processes per job, the jobs${BUILDS.length > 1 ? " and builds" : ""} interleaved; CPU time is user + system of the whole process (GNU time, 10 ms resolution). ` +
  `NODE_EXTRA_CA_CERTS unset in the children (it adds a certificate parse to every Node start). ` +
  `1-minute load average during the runs: ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)} (the machine is shared: wall times include waiting for a core).`, "");
if (BUILDS.length > 1) lines.push(`Builds: before = \`${BUILDS[0].dir}\`, after = \`${last.dir}\` (each run through its package's bin and "." export).`, "");
const head = BUILDS.flatMap((b) => [`${b.tag} wall ms`, `${b.tag} CPU ms`]);
lines.push(`| job | ${head.join(" | ")} | target (${last.tag}) |`, `| --- | ${head.map(() => "---:").join(" | ")} | --- |`);
for (const job of JOBS) {
  const keys = job.once ? [job.id] : BUILDS.map((b) => `${b.tag}:${job.id}`);
  const cells = job.once ? [...BUILDS.slice(1).flatMap(() => ["", ""]), f0(stat(job.id, "wall")), f0(stat(job.id, "cpu"))] : keys.flatMap((k) => [f0(stat(k, "wall")), f0(stat(k, "cpu"))]);
  const limit = TARGETS[job.id];
  const lk = `${last.tag}:${job.id}`;
  const target = limit === undefined ? "" : `< ${limit} ms: wall ${verdict(stat(lk, "wall"), limit)}, CPU ${verdict(stat(lk, "cpu"), limit)}`;
  lines.push(`| ${job.label} | ${cells.join(" | ")} | ${target} |`);
  if (job.inner) {
    const inner = keys.flatMap((k) => [f0(stat(k, "innerWall")), f0(stat(k, "innerCpu"))]);
    lines.push(`| \`import("didwasm")\` itself, timed in the process | ${inner.join(" | ")} | < ${IMPORT_TARGET} ms: wall ${verdict(stat(lk, "innerWall"), IMPORT_TARGET)}, CPU ${verdict(stat(lk, "innerCpu"), IMPORT_TARGET)} |`);
  }
}
const timing = (b, field) => median(results[`${b.tag}:placebo`].timing.map((t) => t[field]));
lines.push("", `The placebo's own \`timing_ms\` (medians): ${BUILDS.map((b) => `${BUILDS.length > 1 ? `${b.tag}: ` : ""}reading the CSV (and waiting for the kernels' compilation) ${f0(timing(b, "read"))} ms, the ${PLACEBO_DRAWS} draws ${f0(timing(b, "run"))} ms`).join("; ")}.`);
if (r) {
  const scale = PLACEBO_DRAWS / r.draws;
  const rWall = r.elapsed_s * 1000 * scale;
  const rCpu = r.cpu_s * 1000 * scale;
  const ratio = stat(`${last.tag}:placebo`, "wall") / rWall;
  const ratioCpu = stat(`${last.tag}:placebo`, "cpu") / rCpu;
  lines.push("", `R loop of fixest refits (${r.r.replace("R version ", "R ")}, fixest ${r.fixest}, one thread; \`bench/placebo-loop.R\`): ${r.draws} draws took ${f0(r.elapsed_s * 1000)} ms wall, ` +
    `${f0(r.cpu_s * 1000)} ms CPU (R's start, loading packages and reading the CSV not counted), scaled to ${PLACEBO_DRAWS} draws: ${f0(rWall)} ms wall, ${f0(rCpu)} ms CPU. ` +
    `didwasm's whole process${BUILDS.length > 1 ? ` (${last.tag})` : ""} / R's loop: ${ratio.toFixed(3)} wall (1/${(1 / ratio).toFixed(0)}), ${ratioCpu.toFixed(3)} CPU (1/${(1 / ratioCpu).toFixed(0)}); target at most 1/30: ` +
    `wall ${ratio <= 1 / 30 ? "pass" : "**not met**"}, CPU ${ratioCpu <= 1 / 30 ? "pass" : "**not met**"}.`);
} else lines.push("", `R loop of fixest refits: not measured (${rOk.why}).`);
lines.push("", "Reproduce: `npx tsc -p tsconfig.build.json && node scripts/build-node.mjs && node bench/start.bench.mjs` (add `--baseline DIR` to compare with another build).", "");
const text = lines.join("\n");
if (!args["no-write"]) replaceSection("## Fast start", text, { before: (h) => h.startsWith("## Reproduce") });
console.log(text);
