// What every command shares: reading the data with timing, writing JSON or text, and the error contract
// (user errors print a message and exit 2, never a stack trace).
import { statSync } from "node:fs";
import { nonFiniteAsNull } from "../bindings/commands/json.js";
import { readDataFile } from "../bindings/data/read-data-file.js";
import { checkFileFitsMemory } from "../bindings/data/file-memory.js";
import { delimiterByte } from "../bindings/data/delimiter.js";
import { preloadOptimisedKernels } from "../bindings/engine/node-compile.js";
import type { Frame } from "../bindings/data/frame.js";
import { nowMs } from "./clock.js";
import { writeStdout } from "./stdout-write.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: writeStdout,
  err: (t) => process.stderr.write(t),
};

/** Reads CSV (streamed), Parquet or Stata .dta, recognised by the first bytes or the extension. Meanwhile
 *  the wasm kernels compile on V8's background threads (node-compile.ts), unless the command runs on the
 *  reference backend; `ms` is the reading alone. */
export async function readData(path: string, delimiter?: string, backend?: unknown, optimise = true, threads?: unknown): Promise<{ frame: Frame; ms: number }> {
  const kernels = backend === "reference" || !optimise ? null : preloadOptimisedKernels(fileBytes(path));
  delimiterByte(delimiter); // an impossible delimiter is refused before the file is touched
  checkFileFitsMemory(path); // a file past the machine's memory is refused before reading starts
  const t0 = nowMs();
  // A command's --threads also caps the threads that parse a large CSV file (default: every core).
  const frame = await readDataFile(path, { delimiter, threads: typeof threads === "number" ? threads : undefined });
  const ms = nowMs() - t0;
  await kernels;
  return { frame, ms };
}

/** The file's size, or Infinity when it cannot be read (reading it reports why). */
function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return Infinity;
  }
}

/** A result as the CLI prints it: indented JSON, non-finite numbers as null. */
export const jsonText = (value: unknown): string => JSON.stringify(value, nonFiniteAsNull, 2) + "\n";

