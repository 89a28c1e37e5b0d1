// Per-phase time and memory of what `didwasm fit` does, in a fresh process: the same two calls as
// cli/commands/fit.ts (readCsvFile, then feolsMulti), with resident memory recorded after each. Peak RSS
// per phase is the kernel's high-water mark (process.resourceUsage().maxRSS) at the end of the phase;
// "frame" is what the Frame's columns hold. Prints one JSON object.
//
//   node bench/lib/phases-child.mjs FILE [wasm|reference]
import { readCsvFile } from "../../dist/bindings/data/read-file.js";
import { feolsMulti } from "../../dist/bindings/estimators/feols.js";
import { FORMULA, VCOV } from "./paths.mjs";

const [file, backend = "wasm"] = process.argv.slice(2);
const MiB = 2 ** 20;
const mem = () => {
  const m = process.memoryUsage();
  return {
    rssMiB: m.rss / MiB,
    peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
    heapUsedMiB: m.heapUsed / MiB,
    externalMiB: (m.external + m.arrayBuffers) / MiB,
  };
};

const start = mem();
let t0 = performance.now();
const frame = readCsvFile(file);
const readMs = performance.now() - t0;
const afterRead = mem();
const frameMiB = frame.columns.reduce((s, c) => s + (c.kind === "numeric" ? c.values.byteLength : c.codes.byteLength), 0) / MiB;

t0 = performance.now();
const fits = feolsMulti(frame, FORMULA, { vcov: VCOV, backend });
const fitMs = performance.now() - t0;
const afterFit = mem();
process.stdout.write(
  JSON.stringify({
    file, backend, nrow: frame.nrow, nobs: fits[0].nobs, readMs, fitMs, frameMiB, start, afterRead, afterFit,
  }) + "\n",
);
