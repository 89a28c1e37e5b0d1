// What the parallel CSV reader asks of a thread, and what comes back: one byte range of a file parsed into
// columns (csv.ts's parseCsvBody). Shared by the main thread and the worker script.
import { parseCsvBody, type CsvBody } from "./csv.js";
import type { CsvRange } from "./csv-merge.js";
import { fileRangeSource } from "./read-file.js";

export interface CsvRangeJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly body: CsvBody;
  readonly delimiter?: string;
}

export type CsvRangeReply = { readonly ok: true; readonly range: CsvRange } | { readonly ok: false; readonly message: string };

export function runRangeJob(job: CsvRangeJob): CsvRange {
  return parseCsvBody(fileRangeSource(job.path, job.start, job.end), job.body, { delimiter: job.delimiter });
}

/** The buffers of a range's columns, to be moved (not copied) to the main thread. */
export function rangeBuffers(range: CsvRange): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | null) => {
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  };
  for (const c of range.columns) add(c.kind === "numeric" ? c.values : c.codes);
  add(range.rowLine);
  return [...out];
}
