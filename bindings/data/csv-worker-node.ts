// Node entry of a parallel CSV reader thread (csv-parallel.ts): parses the byte ranges it is sent and posts
// their columns back, moving the buffers. Any failure goes back as a message; the main thread then reads
// the file serially, which reports a genuine error with the file's own line numbers.
import { parentPort } from "node:worker_threads";
import { rangeBuffers, runRangeJob, type CsvRangeJob, type CsvRangeReply } from "./csv-range-job.js";

parentPort!.on("message", (job: CsvRangeJob) => {
  let reply: CsvRangeReply;
  try {
    const range = runRangeJob(job);
    parentPort!.postMessage({ ok: true, range } satisfies CsvRangeReply, rangeBuffers(range));
    return;
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
