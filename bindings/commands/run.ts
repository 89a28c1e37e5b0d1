// The uniform entry: run(command, data, options) returns exactly the object `didwasm <command> --json`
// prints for the same options (options keyed by the CLI's flag names in camelCase; a seed must be given
// for resampling commands unless pickSeed is supplied).
import { toFrame, type ColumnData } from "../data/columns.js";
import { parseCsv } from "../data/csv.js";
import { readDataBytes } from "../data/read-any.js";
import { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import { bdiff } from "../resampling/bdiff.js";
import { placebo } from "../resampling/placebo.js";
import { commandSpec } from "./registry.js";
import type { CommandEnv, Options } from "./types.js";
import { plainJson, round3 } from "./json.js";

/** Resampling in the calling thread (the browser page uses its worker-based environment instead). */
export const inlineEnv: CommandEnv = {
  placebo: async (frame, o, onProgress) => {
    const r = placebo(frame, o);
    onProgress?.(r.reps, r.reps);
    return r;
  },
  bdiff: async (frame, o, onProgress) => {
    const r = bdiff(frame, o);
    onProgress?.(r.reps, r.reps);
    return r;
  },
  pickSeed: () => {
    throw new DidwasmError("BAD_OPTION", "--seed is required here");
  },
};

export async function run(
  command: string,
  data: string | Uint8Array | Frame | ColumnData,
  options: Options = {},
  env: CommandEnv = inlineEnv,
): Promise<Record<string, unknown>> {
  const spec = commandSpec(command);
  const t0 = performance.now();
  const delimiter = typeof options.delimiter === "string" ? options.delimiter : undefined;
  // Text is CSV; bytes may be CSV, Parquet or Stata .dta (recognised by their first bytes).
  const frame =
    typeof data === "string" ? parseCsv(data, { delimiter }) : data instanceof Uint8Array ? await readDataBytes(data, { delimiter }) : toFrame(data);
  const read = performance.now() - t0;
  const t1 = performance.now();
  const out = await spec.execute(frame, options, env);
  const json = plainJson(out.json);
  return { ...json, timing_ms: { read: round3(read), [spec.phase]: round3(performance.now() - t1) } };
}
