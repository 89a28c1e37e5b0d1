// Node-only: a large CSV file parsed by several threads at once, each over its own byte range (cut at
// line ends, csv-split.ts), into typed columns; the ranges are joined into exactly the Frame the serial
// reader gives (csv-merge.ts). The calling thread parses the first range while worker threads parse the
// others. Whenever the parallel reading cannot be trusted (a cut inside a quoted field that holds a line
// end makes the range before it end inside an open quote) or any range fails, the file is read serially,
// so errors keep their messages and the file's line numbers.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { parseCsv, readCsvHeader, type CsvOptions } from "./csv.js";
import { mergeRanges, textToReread, type CsvRange } from "./csv-merge.js";
import { runRangeJob, type CsvRangeJob, type CsvRangeReply } from "./csv-range-job.js";
import { bytesPerLine, splitAtLines } from "./csv-split.js";
import type { Frame } from "./frame.js";
import { fileSource } from "./read-file.js";

const SCRIPT = new URL("./csv-worker-node.js", import.meta.url);

/** Files from this size are read in parallel by default: below it, starting a worker (~30-50 ms) costs
 *  about what it saves (a thread parses some 100-150 MB/s). */
export const PARALLEL_CSV_MIN_BYTES = 8 << 20;
/** Room in each range's slot over its rows estimated from the first lines (lines vary in length). */
const SLOT_ROOM = 1.25;
/** Threads by default: every core, up to this many (reading is soon limited by memory bandwidth). */
const MAX_DEFAULT_THREADS = 8;

export interface ParallelCsvOptions extends CsvOptions {
  /** Threads, the calling one included (default: the machine's cores, at most 8); 1 reads serially. */
  readonly threads?: number;
  /** Smaller files are read serially (default PARALLEL_CSV_MIN_BYTES). */
  readonly minBytes?: number;
}

/** Why worker threads cannot read here (running from TypeScript sources, where the worker script is not
 *  built), or null. */
export function parallelCsvUnavailable(): string | null {
  return existsSync(fileURLToPath(SCRIPT)) ? null : "the CSV worker script csv-worker-node.js is not built (running from TypeScript sources)";
}

/** The process's Node flags minus --input-type, which a worker refuses (it runs a file, not `node -e`). */
const workerFlags = () => process.execArgv.filter((a) => !a.startsWith("--input-type"));

class RangeThread {
  private readonly worker = new Worker(SCRIPT, { execArgv: workerFlags() });
  private pending: { resolve: (r: CsvRange) => void; reject: (e: Error) => void } | null = null;

  constructor() {
    this.worker.on("message", (m: CsvRangeReply) => this.settle(m.ok ? null : new Error(m.message), m.ok ? m.range : null));
    this.worker.on("error", (e: Error) => this.settle(e, null));
    this.worker.on("exit", (code) => this.settle(new Error(`CSV reader thread exited (${code})`), null));
  }

  private settle(error: Error | null, range: CsvRange | null): void {
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    if (error) p.reject(error);
    else p.resolve(range!);
  }

  run(job: CsvRangeJob): Promise<CsvRange> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(job);
    });
  }

  stop(): void {
    void this.worker.terminate();
  }
}

/** Runs jobs[0] on this thread and jobs[k] on threads[k - 1]; all results, or the first failure. */
async function runJobs(jobs: readonly (CsvRangeJob | null)[], threads: readonly RangeThread[], done: readonly CsvRange[]): Promise<CsvRange[]> {
  const posted = jobs.map((job, k) => (k > 0 && job ? threads[k - 1].run(job) : Promise.resolve(done[k])));
  posted.forEach((p) => p.catch(() => undefined)); // a failure is handled below, after this thread's job
  const first = jobs[0] ? runRangeJob(jobs[0]) : done[0];
  return [first, ...(await Promise.all(posted.slice(1)))];
}

/** Reads a CSV file with `threads` threads (serially when small, single-threaded, or not possible). */
export async function readCsvFileParallel(path: string, options: ParallelCsvOptions = {}): Promise<Frame> {
  const csv: CsvOptions = { delimiter: options.delimiter };
  const source = fileSource(path);
  const threads = Math.max(1, Math.floor(options.threads ?? Math.min(availableParallelism(), MAX_DEFAULT_THREADS)));
  const size = source.size ?? 0;
  if (threads < 2 || size < (options.minBytes ?? PARALLEL_CSV_MIN_BYTES) || parallelCsvUnavailable()) return parseCsv(source, csv);
  const head = readCsvHeader(source, csv);
  if (head === null) return parseCsv(source, csv);
  const bounds = splitAtLines(path, head.offset, size, threads);
  if (bounds.length < 3) return parseCsv(source, csv);
  const body = { names: head.names, hint: head.hint };
  // Each range writes its numbers straight into its slot of one shared buffer per column, sized from the
  // bytes per line at the start of the file with room to spare; the merge only closes the gaps. Touching
  // fresh memory is what costs here (page faults: ~3.5 ms per MB on the 2-core VM), so no number is
  // written twice and untouched room costs nothing.
  const perLine = bytesPerLine(path, head.offset, size) ?? 1;
  const slotRows = bounds.slice(0, -1).map((start, k) => Math.ceil(((bounds[k + 1] - start) / perLine) * SLOT_ROOM) + 4096);
  const slotStart = slotRows.map((_, k) => slotRows.slice(0, k).reduce((a, b) => a + b, 0));
  const total = slotStart[slotStart.length - 1] + slotRows[slotRows.length - 1];
  const slots = head.names.map(() => new SharedArrayBuffer(total * 8));
  const jobs = bounds.slice(0, -1).map((start, k): CsvRangeJob => ({
    path, start, end: bounds[k + 1], body: { ...body, slot: { buffers: slots, row: slotStart[k], rows: slotRows[k] } }, delimiter: options.delimiter,
  }));
  const pool = jobs.slice(1).map(() => new RangeThread());
  try {
    let ranges = await runJobs(jobs, pool, []);
    const reread = textToReread(ranges, head.names.length);
    if (reread.some((cols) => cols.length > 0)) {
      const again = jobs.map((job, k) => (reread[k].length ? { ...job, body: { ...job.body, textColumns: reread[k] } } : null));
      const texts = await runJobs(again, pool, ranges);
      ranges = ranges.map((r, k) => (reread[k].length ? { ...r, columns: r.columns.map((c, j) => (reread[k].includes(j) ? texts[k].columns[j] : c)) } : r));
    }
    return mergeRanges(ranges, head.names, head.hint, head.line, slots);
  } catch {
    return parseCsv(source, csv);
  } finally {
    for (const t of pool) t.stop();
  }
}
