// What every command shares: reading the data with timing, writing JSON or text, and the error contract
// (user errors print a message and exit 2, never a stack trace).
import { readDataFile } from "../bindings/data/read-data-file.js";
import type { Frame } from "../bindings/data/frame.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Reads CSV (streamed), Parquet or Stata .dta, recognised by the first bytes or the extension. */
export async function readData(path: string, delimiter?: string): Promise<{ frame: Frame; ms: number }> {
  const t0 = performance.now();
  const frame = await readDataFile(path, { delimiter });
  return { frame, ms: performance.now() - t0 };
}

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n");
}

export const round3 = (ms: number) => Math.round(ms * 1000) / 1000;
