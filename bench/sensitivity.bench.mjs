#!/usr/bin/env node
// Issue 14's two whole-process targets on the bundled panel (examples/smart-city.csv, made by `npm run
// build`): HonestDiD sensitivity for 10 values of M under 1 s, and `compare` (every estimator side by side)
// under 2 s. Each command runs as a user runs it, a fresh `didwasm ... --json` process, the commands
// alternating; the median of RUNS runs of the whole process's wall time (GNU time) and of the CLI's own
// timing_ms.fit. HonestDiD is timed on the TWFE event study of the panel (7 pre-periods and 6 post-periods
// around the reference year 2012: a harder case than the 5 and 2, since the relative-magnitude
// bounds' linear programs grow with the pre-periods), for both restrictions: relative magnitudes (ARP/C-LF,
// a linear program per M and grid point) and smoothness (FLCI). Writes the "Sensitivity and compare"
// section of bench/RESULTS.md.
//
//   node bench/sensitivity.bench.mjs [--runs 5]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { waitForIdle } from "./lib/idle.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { CLI, ROOT, requireBuild } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Math.max(1, Number(args.runs));
requireBuild();
const DATA = join(ROOT, "examples", "smart-city.csv");
if (!existsSync(DATA)) throw new Error(`${DATA} is made by \`npm run build\``);
const log = (s) => process.stderr.write(`[sensitivity-bench] ${s}\n`);

const EVENT = ["--formula", "ire ~ i(year, treat, ref = 2012) | city + year", "--vcov", "cluster:city", "--num-pre", "7", "--num-post", "6"];
const CASES = [
  { id: "rm", label: "`honestdid`, relative magnitudes, 10 values of Mbar (0.25-3)", limitS: 1,
    argv: ["honestdid", DATA, ...EVENT, "--delta", "rm", "--mbar", "0.25,0.5,0.75,1,1.25,1.5,1.75,2,2.5,3"] },
  { id: "sd", label: "`honestdid`, smoothness, 10 values of M (0-0.09)", limitS: 1,
    argv: ["honestdid", DATA, ...EVENT, "--delta", "sd", "--m", "0,0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09"] },
  { id: "compare", label: "`compare` (TWFE, did2s, imputation, Sun-Abraham, Callaway-Sant'Anna, ETWFE, stacked, dCDH)", limitS: 2,
    argv: ["compare", DATA, "--y", "ire", "--unit", "city", "--time", "year", "--cohort", "cohort"] },
];

/** One fresh process: its wall seconds (GNU time) and the CLI's timing_ms.fit. */
function runOnce(argv) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e", process.execPath, CLI, ...argv, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${argv[0]} failed with exit ${r.status}: ${r.stderr.slice(-2000)}`);
  return { wall: Number(r.stderr.trim().split("\n").at(-1)), fit: JSON.parse(r.stdout).timing_ms.fit };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const runs = Object.fromEntries(CASES.map((c) => [c.id, []]));
const loads = [];
for (let i = 0; i < RUNS; i++) {
  for (const c of CASES) {
    await waitForIdle(`${c.id} run ${i + 1}`, { maxMs: 5_000 });
    loads.push(loadavg()[0]);
    runs[c.id].push(runOnce(c.argv));
    log(`${c.id} run ${i + 1}: ${runs[c.id].at(-1).wall} s`);
  }
}

const mi = machineInfo();
const lines = ["## Sensitivity and compare (bench/sensitivity.bench.mjs)", ""];
lines.push(`Measured ${mi.date}; ${mi.cpu}, ${mi.cores} logical cores${mi.hypervisor ? " (virtual machine)" : ""}, Node ${mi.node}; didwasm commit ${mi.git}${mi.gitDirty ? " + uncommitted changes" : ""}. ` +
  `Median of ${RUNS} fresh CLI processes per command, the commands alternating. 1-minute load average during the runs: ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}.`, "");
const rows = readFileSync(DATA, "utf8").trimEnd().split("\n").length - 1;
lines.push(`Data: the bundled panel (examples/smart-city.csv, ${rows.toLocaleString("en-US")} rows). HonestDiD runs on \`${EVENT.join(" ")}\`.`, "");
lines.push("| command | whole process, median s | runs (s) | timing_ms.fit, median | target |", "| --- | ---: | ---: | ---: | --- |");
for (const c of CASES) {
  const w = median(runs[c.id].map((r) => r.wall));
  const f = median(runs[c.id].map((r) => r.fit));
  lines.push(`| ${c.label} | ${w.toFixed(2)} | ${runs[c.id].map((r) => r.wall.toFixed(2)).join(", ")} | ${Math.round(f)} ms | < ${c.limitS} s: ${w < c.limitS ? "pass" : "**FAIL**"} |`);
}
lines.push("", "Reproduce: `npm run build && node bench/sensitivity.bench.mjs`.", "");
const text = lines.join("\n");
replaceSection("## Sensitivity and compare", text, { before: (h) => h.startsWith("## PSM") || h.startsWith("## Browser") || h.startsWith("## Reproduce") });
console.log(text);
