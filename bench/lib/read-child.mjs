// One timed read in a fresh process (as a CLI run reads): `node read-child.mjs FILE THREADS` prints the
// milliseconds of readDataFile, wall and CPU, and the rows, as JSON. A fresh process each time, so no run
// profits from an earlier one's compiled code or warm heap. The library is the package's Node entry
// (dist/node, bundled with its worker scripts, as the CLI runs it), else tsc's output.
import { existsSync } from "node:fs";

const BUNDLE = new URL("../../dist/node/didwasm.js", import.meta.url);
const { readDataFile } = await import(existsSync(BUNDLE) ? BUNDLE.href : "../../dist/bindings/data/read-data-file.js");

const [file, threads] = process.argv.slice(2);
const c0 = process.cpuUsage(); // every thread of the process, the reader's workers included
const t0 = performance.now();
const frame = await readDataFile(file, { threads: Number(threads) });
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
// The parallel reader's columns live in shared memory, the serial reader's do not: a parallel read that
// fell back to the serial one (same frame, lost speed) shows here, and the benchmark refuses it.
const shared = frame.columns.every((col) => (col.kind === "numeric" ? col.values : col.codes).buffer instanceof SharedArrayBuffer);
process.stdout.write(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, rows: frame.nrow, columns: frame.columns.length, shared }) + "\n");
