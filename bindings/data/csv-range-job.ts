// What the parallel CSV reader asks of a thread, and what comes back: byte ranges of a file parsed into
// columns (csv.ts's parseCsvBody). Ranges are handed out one at a time through a shared counter, so every
// thread (the calling one included) keeps taking the next range until none is left: a thread that starts
// late or runs slowly (a busy core) simply takes fewer. Shared by the main thread and the worker script.
import { parseCsvBody, type CsvBody } from "./csv.js";
import type { CsvRange } from "./csv-merge.js";
import type { SlotMove } from "./csv-slot-moves.js";
import { fileRangeSource } from "./read-file.js";

export interface CsvRangeJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly body: CsvBody;
  readonly delimiter?: string;
}

/** One round of ranges (null: nothing to do for that range this round). `state` is shared memory:
 *  state[0] the next range to take; state[t] (t >= 1) set to 1 by worker thread t when it starts taking,
 *  so the caller knows which threads can still hold ranges (see csv-parallel.ts). */
export interface CsvRound {
  readonly jobs: readonly (CsvRangeJob | null)[];
  readonly state: Int32Array;
}

/** A worker's message: the round, and its own index in state. */
export interface CsvRoundRequest {
  readonly round: CsvRound;
  readonly thread: number;
}

/** A worker's other message, after the rounds: move these columns' ranges down in their shared buffers
 *  (csv-merge.ts's slotMoves), while the main thread merges the other columns. Answered with no ranges. */
export interface CsvMoveRequest {
  readonly move: { readonly slots: readonly SharedArrayBuffer[]; readonly moves: readonly SlotMove[] };
}

export type CsvRoundReply =
  | { readonly ok: true; readonly ranges: readonly (readonly [number, CsvRange])[] }
  | { readonly ok: false; readonly message: string };

/** Parses ranges for one thread, reusing one read buffer across them (fresh memory costs page faults). */
export class RangeRunner {
  private readonly scratch = { bytes: new Uint8Array(0) };

  run(job: CsvRangeJob): CsvRange {
    return parseCsvBody(fileRangeSource(job.path, job.start, job.end, this.scratch), job.body, { delimiter: job.delimiter });
  }

  /** Takes ranges of the round until none is left; each parsed one goes to `out` with its index. A failure
   *  is thrown after the ranges already parsed were kept in `out`. */
  take(round: CsvRound, out: Array<readonly [number, CsvRange]>): void {
    for (;;) {
      const k = Atomics.add(round.state, 0, 1);
      if (k >= round.jobs.length) return;
      const job = round.jobs[k];
      if (job) out.push([k, this.run(job)]);
    }
  }
}

/** The buffers of ranges' columns, to be moved (not copied) to the main thread. */
export function rangeBuffers(ranges: readonly CsvRange[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | null) => {
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  };
  for (const range of ranges) {
    for (const c of range.columns) add(c.kind === "numeric" ? c.values : c.codes);
    add(range.rowLine);
  }
  return [...out];
}
