// Node entry of a parallel Parquet reader thread (parquet-parallel.ts): takes row groups through the shared
// counter until none is left, decoding each into the shared columns, and posts the groups' text columns
// back (their codes moved, not copied). Any failure goes back as a message; the main thread then reads the
// file whole, which reports a genuine error.
import { parentPort } from "node:worker_threads";
import type { GroupColumn } from "./parquet-groups.js";
import { fileSlices, takeGroups, type ParquetRound, type ParquetRoundReply } from "./parquet-parallel.js";

parentPort!.once("message", async (round: ParquetRound) => {
  Atomics.store(round.state, round.thread, 1);
  const groups: Array<readonly [number, GroupColumn[]]> = [];
  let reply: ParquetRoundReply;
  const { file, close } = fileSlices(round.path);
  try {
    await takeGroups(file, round, groups);
    reply = { ok: true, groups };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  } finally {
    close();
  }
  const moved = reply.ok ? groups.flatMap(([, cols]) => cols.flatMap((c) => (c.kind === "text" && c.codes.buffer instanceof ArrayBuffer ? [c.codes.buffer] : []))) : [];
  parentPort!.postMessage(reply, moved);
});
