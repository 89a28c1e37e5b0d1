// Writes the project's synthetic panel (generateSyntheticPanel, the generator behind
// `didwasm demo-data --kind panel`) to CSV in the same format as toCsv, but streamed row block by row
// block. `demo-data` builds the whole file as one string, which fails above V8's string limit
// (~512 Mi chars, so somewhere between 1e6 and 1e7 rows: "Invalid string length"). For sizes that
// demo-data can write, this writer produces byte-identical files (checked by run-bench.mjs --check-gen).
//
//   node bench/lib/gen-panel.mjs --units 500000 --periods 20 --regressors 6 --units-per-state 50 --out FILE
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { generateSyntheticPanel } from "../../dist/bindings/data/demo/panel.js";

/** Same rule as cell() in bindings/data/csv-write.ts for the value types the panel generator emits. */
function cell(v) {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function writePanelCsv({ units, periods, regressors, unitsPerState, seed = 1, out }) {
  const data = generateSyntheticPanel({ units, periods, regressors, unitsPerState, seed });
  const names = Object.keys(data);
  const cols = names.map((nm) => data[nm]);
  const n = cols[0].length;
  mkdirSync(dirname(out), { recursive: true });
  const fd = openSync(out, "w");
  try {
    writeSync(fd, names.map(cell).join(",") + "\n");
    const BLOCK = 50_000;
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const lines = [];
      const r1 = Math.min(n, r0 + BLOCK);
      for (let r = r0; r < r1; r++) lines.push(cols.map((c) => cell(c[r])).join(","));
      writeSync(fd, lines.join("\n") + "\n");
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      units: { type: "string" }, periods: { type: "string", default: "20" }, regressors: { type: "string", default: "6" },
      "units-per-state": { type: "string", default: "50" }, seed: { type: "string", default: "1" }, out: { type: "string" },
    },
  });
  const n = writePanelCsv({
    units: Number(values.units), periods: Number(values.periods), regressors: Number(values.regressors),
    unitsPerState: Number(values["units-per-state"]), seed: Number(values.seed), out: values.out,
  });
  process.stderr.write(`wrote ${values.out}: ${n} rows\n`);
}
