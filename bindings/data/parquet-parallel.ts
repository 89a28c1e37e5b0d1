// Node-only: a Parquet file decoded by several threads at once, one row group at a time: every thread, the
// calling one included, takes the next group until none is left (as the parallel CSV reader takes ranges),
// reading only that group's column chunks from the file, and writes its numbers straight into shared
// columns; the groups' text levels are joined in file order (parquet-merge.ts), giving exactly the Frame
// of the whole-file reader (parquet.ts). With one thread (or one row group) the calling thread reads the
// groups alone: reading only the column chunks, each once, costs less than reading the whole file and
// having the Parquet library copy its parts. Anything unexpected (a damaged file, an error in a thread)
// is read by the whole-file reader, which also gives the errors.
import { closeSync, existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { startWorker } from "../engine/node-worker.js";
import type { Frame } from "./frame.js";
import { readParquet } from "./parquet.js";
import { groupStarts, readParquetGroup, type GroupColumn, type GroupJob, type ParquetFileSlices } from "./parquet-groups.js";
import { mergeParquetGroups } from "./parquet-merge.js";
import { openFile, readInto, readWholeFile } from "./read-file.js";

const SCRIPT = new URL("./parquet-worker-node.js", import.meta.url);

/** Threads by default: every core, up to this many. */
const MAX_DEFAULT_THREADS = 8;
/** Without an explicit thread count, smaller files are decoded on the calling thread alone: a worker must
 *  first load the Parquet decoder (0.4-0.7 s of CPU before its first group), while one thread decodes a
 *  100,000-row group of 10 columns (5.4 MB) in about 0.11 s. Measured on the 2-core VM (2026-12-07), a 54 MB
 *  file of 10 such groups: idle, two threads 614 ms against 762 ms for one; with the other core busy
 *  (load 14), two threads 1.4-1.7 s against 1.1 s. From 32 MB (6 groups or more) the worker pays when a core
 *  is free; `--threads 1` keeps a read on one thread. */
export const PARALLEL_PARQUET_MIN_BYTES = 32 << 20;

/** What a worker is sent: the file, its footer, the shared columns and the counter groups are taken by. */
export interface ParquetRound {
  readonly path: string;
  readonly metadata: import("hyparquet").FileMetaData;
  readonly names: readonly string[];
  readonly shared: readonly SharedArrayBuffer[];
  readonly jobs: readonly GroupJob[];
  /** state[0]: the next group to take; state[t]: 1 once worker thread t started taking. */
  readonly state: Int32Array;
  readonly thread: number;
}

export type ParquetRoundReply =
  | { readonly ok: true; readonly groups: readonly (readonly [number, GroupColumn[]])[] }
  | { readonly ok: false; readonly message: string };

/** Byte ranges of a file read on demand, each into storage of its own (the Parquet library keeps them). */
export function fileSlices(path: string): { file: ParquetFileSlices; close: () => void } {
  const { fd, size } = openFile(path);
  const file: ParquetFileSlices = {
    byteLength: size,
    slice(start: number, end = size) {
      const out = new Uint8Array(Math.max(0, end - start));
      let got = 0;
      while (got < out.length) {
        const n = readInto(fd, out, got, out.length - got, start + got, path);
        if (n <= 0) throw new Error(`${path} ends at byte ${start + got}, before ${end}`);
        got += n;
      }
      return out.buffer;
    },
  };
  return { file, close: () => closeSync(fd) };
}

/** Takes groups of the round until none is left; each decoded one goes to `out` with its index. */
export async function takeGroups(file: ParquetFileSlices, round: Omit<ParquetRound, "path" | "thread">, out: Array<readonly [number, GroupColumn[]]>): Promise<void> {
  for (;;) {
    const k = Atomics.add(round.state, 0, 1);
    if (k >= round.jobs.length) return;
    out.push([k, await readParquetGroup(file, round.metadata, round.names, round.shared, round.jobs[k])]);
  }
}

/** Why worker threads cannot read here (running from TypeScript sources), or null. */
export function parallelParquetUnavailable(): string | null {
  return existsSync(fileURLToPath(SCRIPT)) ? null : "the Parquet worker script parquet-worker-node.js is not built (running from TypeScript sources)";
}

function startThread(round: ParquetRound): { reply: Promise<readonly (readonly [number, GroupColumn[]])[]>; stop: () => void } {
  const worker = startWorker(SCRIPT, { execArgv: process.execArgv.filter((a) => !a.startsWith("--input-type")) });
  const reply = new Promise<readonly (readonly [number, GroupColumn[]])[]>((resolve, reject) => {
    worker.once("message", (m: ParquetRoundReply) => (m.ok ? resolve(m.groups) : reject(new Error(m.message))));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`Parquet reader thread exited (${code})`)));
  });
  reply.catch(() => undefined); // handled where it is awaited
  worker.postMessage(round);
  return { reply, stop: () => void worker.terminate() };
}

/** Reads a Parquet file with `threads` threads, the calling one included (default: the machine's cores, at
 *  most 8, for files of PARALLEL_PARQUET_MIN_BYTES or more; one thread below). */
export async function readParquetFileParallel(path: string, options: { readonly threads?: number; readonly minBytes?: number } = {}): Promise<Frame> {
  const whole = () => readParquet(readWholeFile(path), { name: path });
  const { file, close } = fileSlices(path);
  const large = file.byteLength >= (options.minBytes ?? PARALLEL_PARQUET_MIN_BYTES);
  const threads = options.threads !== undefined ? Math.max(1, Math.floor(options.threads)) : large ? Math.min(availableParallelism(), MAX_DEFAULT_THREADS) : 1;
  const pool: Array<{ reply: Promise<readonly (readonly [number, GroupColumn[]])[]>; stop: () => void }> = [];
  try {
    const { parquetMetadataAsync, parquetSchema } = await import("hyparquet");
    const metadata = await parquetMetadataAsync(file);
    const starts = groupStarts(metadata);
    const rows = metadata.row_groups.map((g) => Number(g.num_rows));
    const nrow = rows.reduce((a, b) => a + b, 0);
    const top = parquetSchema(metadata).children;
    if (nrow !== Number(metadata.num_rows) || nrow === 0 || top.length === 0) return whole();
    const names = top.map((t) => t.element.name);
    const shared = names.map(() => new SharedArrayBuffer(nrow * 8));
    const jobs = rows.map((r, k): GroupJob => ({ group: k, rowStart: starts[k], rows: r }));
    const state = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads)));
    const round = { metadata, names, shared, jobs, state };
    // At most one worker per group beyond the one this thread takes; none when the worker script is not built.
    const workers = parallelParquetUnavailable() ? 0 : Math.min(threads, jobs.length) - 1;
    for (let t = 1; t <= workers; t++) pool.push(startThread({ ...round, path, thread: t }));
    const taken: Array<readonly [number, GroupColumn[]]> = [];
    await takeGroups(file, round, taken);
    const started = pool.map((_, t) => Atomics.load(state, t + 1) === 1);
    for (const r of await Promise.all(pool.filter((_, t) => started[t]).map((p) => p.reply))) taken.push(...r);
    const groups: GroupColumn[][] = [];
    for (const [k, g] of taken) groups[k] = g;
    if (jobs.some((_, k) => !groups[k])) throw new Error("a Parquet row group was not read"); // cannot happen: every group is taken once
    return mergeParquetGroups(groups, names, shared, starts, rows, nrow);
  } catch {
    return whole();
  } finally {
    close();
    for (const p of pool) p.stop();
  }
}
