// The Parquet part of bench/read.bench.mjs: a 1M-row file (the CSV's columns: INT32 ids and year, a
// dictionary-encoded string, DOUBLE numbers; snappy, row groups of 100,000 rows) written once with
// hyparquet-writer, then read by didwasm and by the optional readers found in --readers, each in a fresh
// process per round, interleaved.
import { execFileSync } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ByteWriter, parquetWrite } from "hyparquet-writer";
import { waitForIdle } from "./idle.mjs";
import { DATA_DIR, ROOT } from "./paths.mjs";

const CHILD = join(ROOT, "bench", "lib", "read-parquet-child.mjs");

function generate(file, rows) {
  let s = 0x2545f491;
  const u = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0) >>> 0) / 2 ** 32;
  const unit = new Int32Array(rows);
  const year = new Int32Array(rows);
  const state = new Array(rows);
  const xs = Array.from({ length: 7 }, () => new Float64Array(rows));
  for (let i = 0; i < rows; i++) {
    unit[i] = Math.floor(i / 20) + 1;
    year[i] = 2000 + (i % 20);
    state[i] = `s${unit[i] % 50}`;
    for (const x of xs) x[i] = Math.round((u() * 4 - 2) * 1e6) / 1e6;
  }
  const columnData = [
    { name: "unit", data: unit, type: "INT32", nullable: false },
    { name: "state", data: state, type: "STRING", nullable: false },
    { name: "year", data: year, type: "INT32", nullable: false },
    ...xs.map((data, k) => ({ name: k < 6 ? `x${k + 1}` : "y", data, type: "DOUBLE", nullable: false })),
  ];
  const writer = new ByteWriter();
  parquetWrite({ writer, columnData, rowGroupSize: 100_000 });
  writeFileSync(file, new Uint8Array(writer.getBuffer()));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function parquetSection({ rows, reps, readers }) {
  const file = join(DATA_DIR, `read-${rows}.parquet`);
  if (!existsSync(file)) generate(file, rows);
  const mb = statSync(file).size / 1e6;
  const names = ["didwasm", "didwasm-1"];
  const missing = [];
  for (const [name, entry] of [["duckdb", "@duckdb/node-api/lib/index.js"], ["parquet-wasm", "parquet-wasm/node/parquet_wasm.js"]]) {
    if (readers && existsSync(join(readers, entry))) names.push(name);
    else missing.push(name);
  }
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let k = 0; k < reps; k++) {
    await waitForIdle(`parquet round ${k + 1}`, { maxMs: 20_000 });
    for (const name of k % 2 ? [...names].reverse() : names) {
      const [reader, threads] = name === "didwasm-1" ? ["didwasm", "1"] : [name, "2"];
      const r = JSON.parse(execFileSync(process.execPath, [CHILD, reader, file, readers ?? "", threads], { encoding: "utf8" }));
      if (r.rows !== rows) throw new Error(`${name} read ${r.rows} rows, expected ${rows}`);
      runs[name].push(r.ms);
      process.stderr.write(`[read] parquet round ${k + 1} ${name}: ${r.ms.toFixed(0)} ms\n`);
    }
  }
  const base = median(runs.didwasm);
  const label = { didwasm: "didwasm readDataFile (hyparquet, row groups on 2 threads)", "didwasm-1": "didwasm readDataFile, 1 thread", duckdb: "DuckDB @duckdb/node-api, read_parquet into a table, 2 threads", "parquet-wasm": "parquet-wasm (Rust parquet, to Arrow), one thread" };
  return (
    `### Parquet read\n\n` +
    `File: ${rows.toLocaleString("en")} rows x 10 columns, ${mb.toFixed(1)} MB (hyparquet-writer, snappy, row groups of 100,000 rows). ` +
    `Median of ${reps} interleaved rounds, each read in a fresh process (start-up and module loading not counted).` +
    (missing.length ? ` Not measured (not installed in --readers): ${missing.join(", ")}.` : "") +
    `\n\n| reader | median | runs | didwasm / reader |\n| --- | ---: | --- | ---: |\n` +
    names.map((n) => `| ${label[n]} | ${median(runs[n]).toFixed(0)} ms | ${runs[n].map((x) => x.toFixed(0)).join(", ")} | ${(base / median(runs[n])).toFixed(2)} |`).join("\n") +
    "\n"
  );
}
