// One range of a resampling run (--replicates A:B): the model is prepared as a whole run prepares it, only
// the range's draws are computed, and the partial result (partial.ts) is the command's output.
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import type { ParsedValues } from "../schema/types.js";
import type { CommandSpec } from "../types.js";
import { makePartial, replicateRange, type PartialResult } from "./partial.js";

export function runPartial(spec: CommandSpec, frame: Frame, o: ParsedValues, onProgress?: (done: number, total: number) => void): PartialResult {
  if (!spec.replicable) throw new DidwasmError("BAD_OPTION", `${spec.name} has no replicates to split`);
  const { replicates, ...options } = o;
  const range = replicates as [number, number];
  const prepared = spec.replicable.prepare(frame, options);
  try {
    const { from, to } = replicateRange(range, prepared.reps, prepared.repsReason);
    const draws = prepared.draws(from, to);
    onProgress?.(to - from, to - from);
    return makePartial(spec.name, frame, options, prepared.reps, range, prepared.state, draws);
  } finally {
    prepared.release();
  }
}
