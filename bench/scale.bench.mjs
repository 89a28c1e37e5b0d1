// 50 million rows (issue 15): a panel of 2.5M units x 20 years with six regressors, written once to /tmp as
// CSV (unit, year, y, x1..x6; about 3.6 GB), then fitted by the CLI as a separate process:
//   didwasm fit FILE --formula "y ~ x1+...+x6 | unit + year" --vcov cluster:unit --json
// Reports the CLI's own read and fit times (timing_ms), whole-process wall and CPU time (on a loaded, shared
// machine the CPU time says more) and peak resident memory (GNU time -v). Such a job is larger than one WebAssembly heap: the fit streams it through the heap
// (bindings/engine/staged/). Run by hand (not in CI); it takes minutes and most of the machine's memory:
//   node bench/scale.bench.mjs [--rows 50000000] [--units 2500000] [--file /tmp/...] [--runs 1] [--write]
// --write puts the numbers in bench/RESULTS.md (section "Millions of rows").
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { spawn } from "node:child_process";
import { Xoshiro128 } from "../dist/bindings/random/xoshiro.js";
import { GNU_TIME, hasGnuTime } from "./lib/cli-measure.mjs";
import { csvRows } from "./lib/csv-rows.mjs";
import { CLI, ROOT, requireBuild } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: opt } = parseArgs({
  options: {
    rows: { type: "string", default: "50000000" },
    units: { type: "string", default: "2500000" },
    file: { type: "string" },
    runs: { type: "string", default: "1" },
    write: { type: "boolean", default: false },
    "generate-only": { type: "boolean", default: false },
  },
});
const rows = Number(opt.rows);
const units = Number(opt.units);
const periods = Math.round(rows / units);
if (!(units * periods === rows)) throw new Error(`--rows ${rows} is not a multiple of --units ${units}`);
const file = opt.file ?? `/tmp/didwasm-scale-${units}x${periods}.csv`;
const FORMULA = "y ~ x1+x2+x3+x4+x5+x6 | unit + year";
const VCOV = "cluster:unit";
const BETA = [0.5, -0.3, 0.2, 0.1, -0.1, 0.05];

/** Four decimals, without toFixed's cost. */
function dec4(v) {
  const q = Math.round(v * 10000);
  const a = q < 0 ? -q : q;
  const frac = a % 10000;
  return `${q < 0 ? "-" : ""}${(a - frac) / 10000}.${frac < 10 ? "000" : frac < 100 ? "00" : frac < 1000 ? "0" : ""}${frac}`;
}

function generate() {
  const t0 = Date.now();
  const g = new Xoshiro128(15);
  const out = csvRows(file, ["unit", "year", "y", "x1", "x2", "x3", "x4", "x5", "x6"]);
  const yearEffect = Array.from({ length: periods }, (_, t) => 0.05 * t + 0.2 * g.normal());
  const x = new Array(6);
  for (let u = 1; u <= units; u++) {
    const a = g.normal();
    for (let t = 0; t < periods; t++) {
      let y = a + yearEffect[t] + g.normal();
      for (let j = 0; j < 6; j++) {
        const v = 0.5 * a + g.normal();
        x[j] = dec4(v);
        y += BETA[j] * Number(x[j]);
      }
      out.row([u, 2000 + t, dec4(y), ...x]);
    }
  }
  out.close();
  console.log(`generated ${file}: ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

requireBuild();
if (!existsSync(file)) generate();
if (opt["generate-only"]) process.exit(0);
if (!hasGnuTime()) throw new Error(`${GNU_TIME} (GNU time) is needed for peak memory and CPU time`);

/** One CLI fit under GNU time: the CLI's read and fit times (wall), whole-process wall and CPU time, peak RSS. */
function measure() {
  return new Promise((resolve, reject) => {
    const args = ["-v", process.execPath, CLI, "fit", file, "--formula", FORMULA, "--vcov", VCOV, "--json"];
    const child = spawn(GNU_TIME, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      const stderr = Buffer.concat(err).toString("utf8");
      if (code !== 0) return reject(new Error(`didwasm fit failed (exit ${code}): ${stderr.slice(-2000)}`));
      const json = JSON.parse(Buffer.concat(out).toString("utf8"));
      const num = (re) => Number(stderr.match(re)?.[1] ?? NaN);
      const wall = stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/)?.[1] ?? "";
      resolve({
        readMs: json.timing_ms.read,
        fitMs: json.timing_ms.fit,
        wallMs: wall.split(":").reduce((t, p) => t * 60 + Number(p), 0) * 1000,
        cpuMs: (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 1000,
        maxRssMiB: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
        nobs: json.nobs,
        coef: Object.fromEntries(json.coefficients.map((c) => [c.term, c.estimate])),
        se: Object.fromEntries(json.coefficients.map((c) => [c.term, c.std_error])),
      });
    });
  });
}

const load = os.loadavg()[0];
const runs = [];
for (let r = 0; r < Number(opt.runs); r++) {
  const m = await measure();
  runs.push(m);
  console.log(
    `run ${r + 1}: read ${(m.readMs / 1000).toFixed(1)} s, fit ${(m.fitMs / 1000).toFixed(1)} s, whole process ${(m.wallMs / 1000).toFixed(1)} s ` +
      `(CPU ${(m.cpuMs / 1000).toFixed(1)} s), peak RSS ${(m.maxRssMiB / 1024).toFixed(2)} GiB; nobs ${m.nobs}; x1 ${m.coef.x1} (se ${m.se.x1})`,
  );
}

if (opt.write) {
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const lines = runs.map(
    (m) =>
      `| ${(m.readMs / 1000).toFixed(1)} | ${(m.fitMs / 1000).toFixed(1)} | ${((m.readMs + m.fitMs) / 1000).toFixed(1)} | ${(m.wallMs / 1000).toFixed(1)} | ` +
      `${(m.cpuMs / 1000).toFixed(1)} | ${(m.maxRssMiB / 1024).toFixed(2)} |`,
  );
  replaceSection(
    "## Millions of rows",
    [
      `## Millions of rows: ${(rows / 1e6).toFixed(0)}M, beyond one WebAssembly heap (bench/scale.bench.mjs)`,
      "",
      `${date} UTC, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${load.toFixed(1)} at the start (a shared machine: ` +
        `other jobs ran alongside). ${units.toLocaleString("en")} units x ${periods} years, \`didwasm fit FILE --formula "${FORMULA}" --vcov ${VCOV} --json\`, ` +
        `CSV of ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB; larger than one WebAssembly heap, so the fit streams its kernels through the heap.`,
      "",
      "| read (s) | fit (s) | read + fit (s) | whole process, wall (s) | whole process, CPU (s) | peak RSS (GiB) |",
      "|---:|---:|---:|---:|---:|---:|",
      ...lines,
      "",
    ].join("\n"),
  );
  console.log("bench/RESULTS.md updated");
}
