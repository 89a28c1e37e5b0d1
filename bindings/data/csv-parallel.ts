// Node-only: a large CSV file parsed by several threads at once over byte ranges (cut at line ends,
// csv-split.ts) into typed columns; the ranges are joined into exactly the Frame the serial reader gives
// (csv-merge.ts). The file is cut into many more ranges than threads, and every thread, the calling one
// included, takes the next range until none is left (csv-range-job.ts): the calling thread starts at once
// while the workers are still starting, and no thread idles at the end while another has a long range
// left. Whenever the parallel reading cannot be trusted (a cut inside a quoted field that holds a line end
// makes the range before it end inside an open quote) or any range fails, the file is read serially, so
// errors keep their messages and the file's line numbers; options.onSerial says so, for tests and benchmarks.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { startWorker } from "../engine/node-worker.js";
import { parseCsv, readCsvHeader, type CsvOptions } from "./csv.js";
import { mergeRanges, textToReread, type CsvRange } from "./csv-merge.js";
import { RangeRunner, type CsvMoveRequest, type CsvRangeJob, type CsvRound, type CsvRoundReply, type CsvRoundRequest } from "./csv-range-job.js";
import { applySlotMoves, callerMoveShare, slotMoves, type SlotMove } from "./csv-slot-moves.js";
import { textColumnsAtStart } from "./csv-sample.js";
import { cutAtLines, cutOffsets } from "./csv-split.js";
import type { Frame } from "./frame.js";
import { fileSource } from "./read-file.js";

const SCRIPT = new URL("./csv-worker-node.js", import.meta.url);

/** Files from this size are read in parallel by default: below it, starting a worker (~30-50 ms) costs
 *  about what it saves (a thread parses some 150-250 MB/s). */
export const PARALLEL_CSV_MIN_BYTES = 8 << 20;
/** Room in each range's slot over its rows estimated from its own first lines. Tight, because the room
 *  costs twice: the merge moves every range down over the gaps before it, into memory touched for the
 *  first time (page faults). A range that outgrows its slot still reads correctly, into storage of its own.
 *  Measured on generated panels of 82-126 MB, the rows a range held were within 0.5% of the estimate
 *  (the first range 2-4% under it: ids are shorter at the top of a file), so 2% leaves a margin. */
const SLOT_ROOM = 1.02;
/** Rows added to every slot, for ranges whose lines are shorter than their first ones. */
const SLOT_EXTRA_ROWS = 512;
/** Threads by default: every core, up to this many (reading is soon limited by memory bandwidth). */
const MAX_DEFAULT_THREADS = 8;
/** Bytes per range: small enough that the last ranges even out the threads (a range takes some 15-30 ms),
 *  large enough that a range's fixed costs (its columns' set-up, a message) stay small. */
const RANGE_BYTES = 4 << 20;
/** The last `threads` ranges are cut this many times finer (csv-split.ts's cutOffsets): a thread that
 *  finds no range left waits for the others' last ones, at most one short range instead of a whole one. */
const TAIL_SPLIT = 4;
/** Bytes read at a time for the header (a large read would cost the page faults of its buffer). */
const HEADER_CHUNK_BYTES = 1 << 16;
/** Ranges per thread at least, so that a late worker still gets a share of a file just past the minimum. */
const MIN_RANGES_PER_THREAD = 3;

export interface ParallelCsvOptions extends CsvOptions {
  /** Threads, the calling one included (default: the machine's cores, at most 8); 1 reads serially. */
  readonly threads?: number;
  /** Smaller files are read serially (default PARALLEL_CSV_MIN_BYTES). */
  readonly minBytes?: number;
  /** Called when the file is read serially after all, with why. The serial read gives the same frame, so a
   *  parallel path that broke would otherwise show only as lost speed: tests and benchmarks check this. */
  readonly onSerial?: (why: string) => void;
}

/** Why worker threads cannot read here (running from TypeScript sources, where the worker script is not
 *  built), or null. */
export function parallelCsvUnavailable(): string | null {
  return existsSync(fileURLToPath(SCRIPT)) ? null : "the CSV worker script csv-worker-node.js is not built (running from TypeScript sources)";
}

class RangeThread {
  /** No execArgv: the worker inherits the process's Node flags as they are. Given explicitly, they are
   *  checked, and Node refuses V8 flags there (a process started with `node --max-old-space-size=...`
   *  could not start the worker at all), and --input-type. */
  private readonly worker = startWorker(SCRIPT);
  /** Messages sent and not yet answered, oldest first: the worker answers each once, in order (a round
   *  it joined too late to take any range from is still answered, with none). */
  private readonly pending: { resolve: (r: CsvRoundReply) => void; reject: (e: Error) => void }[] = [];
  /** Whether it has answered a message: it is up and can take a share of the merge at once. */
  answered = false;

  constructor(private readonly index: number) {
    this.worker.on("message", (m: CsvRoundReply) => {
      this.answered = true;
      this.pending.shift()?.resolve(m);
    });
    this.worker.on("error", (e: Error) => this.failAll(e));
    this.worker.on("exit", (code) => this.failAll(new Error(`CSV reader thread exited (${code})`)));
  }

  private failAll(error: Error): void {
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  private send(message: CsvRoundRequest | CsvMoveRequest): Promise<CsvRoundReply> {
    return new Promise<CsvRoundReply>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(message);
    }).then((r) => {
      if (!r.ok) throw new Error(r.message);
      return r;
    });
  }

  /** Sends the round; the answer is the ranges this thread took (none if it started after all were taken). */
  start(round: CsvRound): Promise<readonly (readonly [number, CsvRange])[]> {
    return this.send({ round, thread: this.index }).then((r) => (r.ok ? r.ranges : []));
  }

  /** Moves the columns with these buffers into place (slotMoves); resolves when done. */
  move(slots: readonly SharedArrayBuffer[], moves: readonly SlotMove[]): Promise<void> {
    return this.send({ move: { slots, moves } }).then(() => undefined);
  }

  stop(): void {
    void this.worker.terminate();
  }
}

/** Runs one round on this thread and the pool; the ranges in order (null where a job was null). A worker
 *  that had not started taking when this thread found none left cannot hold any, so it is not waited for
 *  (a small file may be read before the workers are up). */
async function runRound(jobs: readonly (CsvRangeJob | null)[], runner: RangeRunner, pool: readonly RangeThread[]): Promise<(CsvRange | null)[]> {
  const round: CsvRound = { jobs, state: new Int32Array(new SharedArrayBuffer(4 * (pool.length + 1))) };
  const replies = pool.map((t) => t.start(round));
  replies.forEach((p) => p.catch(() => undefined)); // a failure is handled below, after this thread's share
  const taken: Array<readonly [number, CsvRange]> = [];
  runner.take(round, taken);
  const started = pool.map((_, t) => Atomics.load(round.state, t + 1) === 1);
  for (const r of await Promise.all(replies.filter((_, t) => started[t]))) taken.push(...r);
  const out: (CsvRange | null)[] = jobs.map(() => null);
  for (const [k, range] of taken) out[k] = range;
  if (jobs.some((job, k) => job && !out[k])) throw new Error("a CSV range was not read"); // cannot happen: every range is taken once
  return out;
}

/** mergeRanges, with the numeric columns' moves shared out: the workers that are up each move some columns
 *  (csv-slot-moves.ts) while this thread moves its own share and merges the text columns and row labels;
 *  its share is smaller by the text columns it merges (callerMoveShare), so that all finish together. */
async function mergeInParallel(
  ranges: readonly CsvRange[],
  head: { names: string[]; hint: string; line: number },
  slots: readonly SharedArrayBuffer[],
  codeSlots: readonly (SharedArrayBuffer | null)[],
  pool: readonly RangeThread[],
): Promise<Frame> {
  const { columns, moves } = slotMoves(ranges, slots);
  const helpers = pool.filter((t) => t.answered);
  const own = callerMoveShare(columns.length, head.names.length - columns.length, helpers.length);
  const theirs = columns.slice(own);
  const done = helpers.map((t, i) => {
    const mine = theirs.filter((_, c) => c % helpers.length === i);
    return mine.length ? t.move(mine.map((j) => slots[j]), moves) : Promise.resolve();
  });
  done.forEach((p) => p.catch(() => undefined)); // awaited below, after this thread's share
  for (const j of columns.slice(0, own)) applySlotMoves(slots[j], moves);
  const frame = mergeRanges(ranges, head.names, head.hint, head.line, slots, codeSlots, new Set(columns));
  await Promise.all(done); // the frame's columns are views of the buffers being moved: ready only now
  return frame;
}

/** Reads a CSV file with `threads` threads (serially when small, single-threaded, or not possible). */
export async function readCsvFileParallel(path: string, options: ParallelCsvOptions = {}): Promise<Frame> {
  const csv: CsvOptions = { delimiter: options.delimiter };
  const source = fileSource(path);
  const threads = Math.max(1, Math.floor(options.threads ?? Math.min(availableParallelism(), MAX_DEFAULT_THREADS)));
  const size = source.size ?? 0;
  const serially = (why: string) => {
    options.onSerial?.(why);
    return parseCsv(source, csv);
  };
  if (threads < 2) return serially("one thread");
  if (size < (options.minBytes ?? PARALLEL_CSV_MIN_BYTES)) return serially("a small file");
  const unavailable = parallelCsvUnavailable();
  if (unavailable) return serially(unavailable);
  const pool: RangeThread[] = [];
  try {
    // Workers start first: their start-up (a fresh V8 instance, the reader's modules) overlaps the header,
    // the cuts and this thread's first ranges. One that cannot start makes the read serial, as a failure.
    for (let t = 1; t < threads; t++) pool.push(new RangeThread(t));
    const head = readCsvHeader(fileSource(path, HEADER_CHUNK_BYTES), csv);
    if (head === null) return serially("no header");
    const parts = Math.max(threads * MIN_RANGES_PER_THREAD, Math.ceil((size - head.offset) / RANGE_BYTES));
    const { bounds, bytesPerLine } = cutAtLines(path, head.offset, size, cutOffsets(head.offset, size, parts, threads, TAIL_SPLIT));
    if (bounds.length < 3) return serially("a single range");
    const body = { names: head.names, hint: head.hint };
    // Each range writes its numbers straight into its slot of one shared buffer per column, sized from the
    // bytes per line at the start of the range with room to spare; the merge only closes the gaps. Touching
    // fresh memory is what costs here (page faults: ~3.5 ms per MB on the 2-core VM), so no number is
    // written twice and untouched room costs nothing.
    const shortest = Math.min(...bytesPerLine.map((b) => b ?? Infinity));
    const perLine = bytesPerLine.map((b) => b ?? (Number.isFinite(shortest) ? shortest : 1));
    const slotRows = bounds.slice(0, -1).map((start, k) => Math.ceil(((bounds[k + 1] - start) / perLine[k]) * SLOT_ROOM) + SLOT_EXTRA_ROWS);
    const slotStart: number[] = [];
    let total = 0;
    for (const rows of slotRows) {
      slotStart.push(total);
      total += rows;
    }
    const slots = head.names.map(() => new SharedArrayBuffer(total * 8));
    // Text columns' codes likewise, in place of a fresh array per range and another for the file.
    const codeSlots = textColumnsAtStart(path, head.offset, size, body, options.delimiter).map((text) => (text ? new SharedArrayBuffer(total * 4) : null));
    const jobs = bounds.slice(0, -1).map((start, k): CsvRangeJob => ({
      path, start, end: bounds[k + 1], body: { ...body, slot: { buffers: slots, codes: codeSlots, row: slotStart[k], rows: slotRows[k] } }, delimiter: options.delimiter,
    }));
    const runner = new RangeRunner();
    let ranges = (await runRound(jobs, runner, pool)) as CsvRange[];
    const reread = textToReread(ranges, head.names.length);
    if (reread.some((cols) => cols.length > 0)) {
      const again = jobs.map((job, k) => (reread[k].length ? { ...job, body: { ...job.body, textColumns: reread[k] } } : null));
      const texts = await runRound(again, runner, pool);
      ranges = ranges.map((r, k) => (reread[k].length ? { ...r, columns: r.columns.map((c, j) => (reread[k].includes(j) ? texts[k]!.columns[j] : c)) } : r));
    }
    return await mergeInParallel(ranges, head, slots, codeSlots, pool);
  } catch (e) {
    return serially(`the parallel reading failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    for (const t of pool) t.stop();
  }
}
