// Read speed against R's data.table::fread (issue 15: a 125 MB CSV read in at most fread's time with two
// threads), measured in the same run, interleaved, on the same generated file.
//
// didwasm: readDataFile (the CLI's reader: CSV in parallel byte ranges above 8 MB) timed inside a fresh Node
// process (bench/lib/read-child.mjs), with --threads threads and, for reference, serially (1 thread).
// fread: `fread(FILE, nThread = THREADS)` timed inside a fresh Rscript process (R's start-up not counted,
// as Node's is not). Each round runs the three in turn, after waiting (at most 20 s) for the CPUs to be
// idle; the medians of --reps rounds (at least 3) are compared.
//
// Optional Parquet section (--parquet): a ~1M-row file written by hyparquet-writer, read by didwasm
// (readDataFile, hyparquet) and, when installed, by DuckDB's Node API (`read_parquet` into a result) and
// parquet-wasm (Rust's parquet crate, to Arrow); neither is a dependency of didwasm: install them anywhere
// (`npm i @duckdb/node-api parquet-wasm` in some folder) and give that folder's node_modules as
// --readers DIR.
//
//   node bench/read.bench.mjs [--rows 1550000] [--reps 3] [--threads 2] [--parquet] [--readers DIR] [--write]
import { execFileSync } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { csvRows, dec6 } from "./lib/csv-rows.mjs";
import { waitForIdle } from "./lib/idle.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { DATA_DIR, ROOT } from "./lib/paths.mjs";
import { replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1550000" },
    reps: { type: "string", default: "3" },
    threads: { type: "string", default: "2" },
    parquet: { type: "boolean", default: false },
    readers: { type: "string" },
    write: { type: "boolean", default: false },
  },
});
const ROWS = Number(args.rows);
const REPS = Math.max(3, Number(args.reps));
const THREADS = Number(args.threads);
const CHILD = join(ROOT, "bench", "lib", "read-child.mjs");

/** A panel as users have them: integer ids, a text column, a year, six decimals and an outcome. Seeded. */
function generate(file, rows) {
  let s = 0x9e3779b9;
  const u = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0) >>> 0) / 2 ** 32;
  const w = csvRows(file, ["unit", "state", "year", "x1", "x2", "x3", "x4", "x5", "x6", "y"]);
  for (let i = 0; i < rows; i++) {
    const unit = Math.floor(i / 20) + 1;
    const x = Array.from({ length: 6 }, () => u() * 4 - 2);
    w.row([unit, `s${unit % 50}`, 2000 + (i % 20), ...x.map(dec6), dec6(x[0] + 0.5 * x[1] + u())]);
  }
  w.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function didwasmRead(file, threads) {
  return JSON.parse(execFileSync(process.execPath, [CHILD, file, String(threads)], { encoding: "utf8" }));
}

function freadRead(file, threads) {
  // user.self and sys.self count every thread of the R process (getrusage), as Node's cpuUsage does.
  const r = `suppressMessages(library(data.table)); t <- system.time(d <- fread(${JSON.stringify(file)}, nThread = ${threads}, showProgress = FALSE)); cat(t[["elapsed"]] * 1000, (t[["user.self"]] + t[["sys.self"]]) * 1000, nrow(d), "\\n")`;
  const [ms, cpuMs, rows] = execFileSync("Rscript", ["-e", r], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
  return { ms, cpuMs, rows };
}

const file = join(DATA_DIR, `read-${ROWS}.csv`);
if (!existsSync(file)) {
  process.stderr.write(`[read] writing ${file} ...\n`);
  generate(file, ROWS);
}
const mb = statSync(file).size / 1e6;
const runs = { parallel: [], serial: [], fread: [] };
const cpu = { parallel: [], serial: [], fread: [] };
const loads = [];
for (let k = 0; k < REPS; k++) {
  loads.push(await waitForIdle(`read round ${k + 1}`, { maxMs: 20_000 }));
  const order = k % 2 === 0 ? ["fread", "parallel", "serial"] : ["parallel", "fread", "serial"];
  for (const which of order) {
    const r = which === "fread" ? freadRead(file, THREADS) : didwasmRead(file, which === "parallel" ? THREADS : 1);
    if (r.rows !== ROWS) throw new Error(`${which} read ${r.rows} rows, expected ${ROWS}`);
    if (which === "parallel" && THREADS > 1 && !r.shared) throw new Error(`didwasm with ${THREADS} threads read the file serially (the parallel path fell back): not a parallel timing`);
    runs[which].push(r.ms);
    cpu[which].push(r.cpuMs);
    process.stderr.write(`[read] round ${k + 1} ${which}: ${r.ms.toFixed(0)} ms (CPU ${r.cpuMs.toFixed(0)} ms)\n`);
  }
}
const med = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
const cpuMed = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
const m = machineInfo();
const busy = loads.map((l) => (l.busyShare === null ? "?" : `${Math.round(100 * l.busyShare)}%`)).join(", ");
const f0 = (x) => x.toFixed(0);
let section =
  `## CSV read vs data.table::fread (issue 15)\n\n` +
  `${m.date}; ${m.cpu}, ${m.cores} cores, Node ${m.node}; commit ${m.git}${m.gitDirty ? " (uncommitted changes)" : ""}. ` +
  `File: ${ROWS.toLocaleString("en")} rows x 10 columns (integer ids, a text column, a year, 7 six-decimal numbers), ${mb.toFixed(1)} MB, generated by bench/read.bench.mjs. ` +
  `Median of ${REPS} interleaved rounds, each in fresh processes (start-up not counted): didwasm's readDataFile (the CLI's reader) and fread's own elapsed time. ` +
  `CPUs busy before each round (other users of this shared machine): ${busy}; load average ${loads.map((l) => l.loadavg1.toFixed(1)).join(", ")}.\n\n` +
  `| reader | median wall | runs | / fread | median CPU (all threads) | / fread |\n| --- | ---: | --- | ---: | ---: | ---: |\n` +
  [["fread", `fread, nThread = ${THREADS}`], ["parallel", `didwasm, ${THREADS} threads (parallel byte ranges)`], ["serial", "didwasm, 1 thread"]]
    .map(([k, label]) => `| ${label} | ${f0(med[k])} ms | ${runs[k].map(f0).join(", ")} | ${(med[k] / med.fread).toFixed(2)} | ${f0(cpuMed[k])} ms | ${(cpuMed[k] / cpuMed.fread).toFixed(2)} |`)
    .join("\n") +
  "\n\n" +
  `Target: didwasm with ${THREADS} threads / fread at most 1.0: ${med.parallel <= med.fread ? "met" : "not met"} (${(med.parallel / med.fread).toFixed(2)}). ` +
  `On CPUs that other processes keep busy, a second thread gains little wall time and its start (~0.1 s of CPU) and the merge cost CPU; compare the CPU columns there. ` +
  `Reproduce: \`node bench/read.bench.mjs [--parquet --readers DIR] --write\`.\n`;

if (args.parquet) {
  const { parquetSection } = await import("./lib/read-parquet.mjs");
  section += "\n" + (await parquetSection({ rows: 1_000_000, reps: REPS, readers: args.readers }));
}
process.stdout.write(section);
if (args.write) replaceSection("## CSV read vs data.table::fread", section);
writeFileSync(join(DATA_DIR, "results", "read.json"), JSON.stringify({ machine: m, rows: ROWS, mb, runs, cpu, medians: med, cpuMedians: cpuMed, loads }, null, 2));
