// Node entry of a parallel CSV reader thread (csv-parallel.ts): for each round it is sent, takes ranges
// through the shared counter until none is left and posts their columns back, moving the buffers; then,
// asked to, moves some columns' ranges into place in shared memory (its share of the merge). Any
// failure goes back as a message; the main thread then reads the file serially, which reports a genuine
// error with the file's own line numbers.
import { parentPort } from "node:worker_threads";
import type { CsvRange } from "./csv-merge.js";
import { applySlotMoves } from "./csv-slot-moves.js";
import { RangeRunner, rangeBuffers, type CsvMoveRequest, type CsvRoundReply, type CsvRoundRequest } from "./csv-range-job.js";

const runner = new RangeRunner();

function round({ round, thread }: CsvRoundRequest): void {
  Atomics.store(round.state, thread, 1);
  const ranges: Array<readonly [number, CsvRange]> = [];
  let reply: CsvRoundReply;
  try {
    runner.take(round, ranges);
    reply = { ok: true, ranges };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply, reply.ok ? rangeBuffers(ranges.map(([, r]) => r)) : []);
}

function move({ move }: CsvMoveRequest): void {
  let reply: CsvRoundReply;
  try {
    for (const slot of move.slots) applySlotMoves(slot, move.moves);
    reply = { ok: true, ranges: [] };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
}

parentPort!.on("message", (m: CsvRoundRequest | CsvMoveRequest) => ("move" in m ? move(m) : round(m)));
