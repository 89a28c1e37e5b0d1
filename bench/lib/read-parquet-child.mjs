// One timed Parquet read in a fresh process: `node read-parquet-child.mjs READER FILE [MODULES] [THREADS]`
// prints {ms, rows} as JSON. READER: didwasm (readDataFile, hyparquet), duckdb (@duckdb/node-api:
// read_parquet into an in-memory table), parquet-wasm (its Node build: the file to an Arrow table).
// MODULES: the node_modules folder holding the optional readers (they are not didwasm's dependencies).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [reader, file, modules = "", threads = "2"] = process.argv.slice(2);
const load = (name, entry) => import(pathToFileURL(join(modules, name, entry)).href);

let run;
if (reader === "didwasm") {
  // The package's Node entry (bundled, with its worker scripts, as the CLI runs it), else tsc's output.
  const bundle = new URL("../../dist/node/didwasm.js", import.meta.url);
  const { readDataFile } = await import(existsSync(bundle) ? bundle.href : "../../dist/bindings/data/read-data-file.js");
  run = async () => (await readDataFile(file, { threads: Number(threads) })).nrow;
} else if (reader === "duckdb") {
  const { DuckDBInstance } = await load("@duckdb/node-api", "lib/index.js");
  const db = await DuckDBInstance.create(":memory:", { threads });
  const conn = await db.connect();
  run = async () => {
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
    const r = await conn.runAndReadAll("SELECT count(*)::INTEGER AS n FROM t");
    return r.getRows()[0][0];
  };
} else if (reader === "parquet-wasm") {
  const pw = await load("parquet-wasm", "node/parquet_wasm.js");
  run = async () => {
    const table = pw.readParquet(readFileSync(file));
    return table.recordBatches().reduce((n, b) => n + b.numRows, 0);
  };
} else throw new Error(`unknown reader ${reader}`);

const t0 = performance.now();
const rows = await run();
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, rows: Number(rows) }) + "\n");
