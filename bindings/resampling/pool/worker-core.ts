// The body of a resampling worker, independent of the worker API: holds its own engine (one wasm
// instance per worker, from the posted compiled module) and the prepared task of the current job.
import { engineFromModule, createEngine, type Engine } from "../../engine/engine.js";
import { DidwasmError } from "../../errors.js";
import type { Frame } from "../../data/frame.js";
import { frameFromData } from "./frame-transfer.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { prepareTask, releaseTask, runRange, type PreparedTask } from "./tasks.js";

export function workerHandler(post: (m: FromWorker) => void): (m: ToWorker) => void {
  let engine: Engine | null = null;
  let frame: Frame | null = null;
  let current: { job: number; prepared: PreparedTask } | null = null;
  return (m) => {
    if (m.type === "init") {
      engine = m.module ? engineFromModule(m.module, m.simd) : createEngine({ backend: "reference" });
      frame = frameFromData(m.frame);
      return;
    }
    try {
      if (!engine || !frame) throw new Error("worker used before init");
      if (!current || current.job !== m.job) {
        if (current) releaseTask(current.prepared);
        current = { job: m.job, prepared: prepareTask(frame, m.task, engine) };
      }
      const values = runRange(current.prepared, m.from, m.to);
      post({ type: "result", job: m.job, from: m.from, values });
    } catch (e) {
      post({ type: "error", job: m.job, code: e instanceof DidwasmError ? e.code : null, message: (e as Error).message });
    }
  };
}
