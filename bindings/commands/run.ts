// The uniform entry: run(command, data, options) returns exactly the object `didwasm <command> --json`
// prints for the same options (keyed by the CLI's flag names in camelCase; a seed must be given for
// resampling commands unless the environment can pick one). Options are read against the command's schema
// (execute.ts): an unknown key or a wrong type is an error, never ignored.
import { toFrame, type ColumnData } from "../data/columns.js";
import { parseCsv } from "../data/csv.js";
import { readDataBytes } from "../data/read-any.js";
import { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import { bdiff } from "../resampling/bdiff.js";
import { placebo } from "../resampling/placebo.js";
import { commandSpec, type CommandInputs, type CommandName } from "./registry.js";
import { executeCommand } from "./execute.js";
import type { CommandEnv, Options } from "./types.js";
import { plainJson, timingMs } from "./json.js";

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
    throw new DidwasmError("BAD_OPTION", "seed is required here (give seed: N; the same seed gives the same draws everywhere)");
  },
};

/** Options every data command takes in run() besides its schema's: how to read CSV text or bytes. */
export interface ReadInputs {
  /** CSV field separator (default ","); only for CSV text or bytes. */
  readonly delimiter?: string;
}

export type RunData = string | Uint8Array | Frame | ColumnData;

async function frameOf(data: RunData, delimiter: string | undefined): Promise<Frame> {
  if (delimiter !== undefined && (data instanceof Frame || (typeof data === "object" && !(data instanceof Uint8Array)))) {
    throw new DidwasmError("BAD_OPTION", "delimiter applies to CSV text or bytes, not to columns or a Frame", { option: "delimiter" });
  }
  // Text is CSV; bytes may be CSV, Parquet or Stata .dta (recognised by their first bytes).
  if (typeof data === "string") return parseCsv(data, { delimiter });
  if (data instanceof Uint8Array) return readDataBytes(data, { delimiter });
  return toFrame(data);
}

/** run() for a command named at run time, with options not known to the type checker (the web worker,
 *  tests that walk every command). */
export async function runCommandByName(command: string, data: RunData, options: Options = {}, env: CommandEnv = inlineEnv): Promise<Record<string, unknown>> {
  const spec = commandSpec(command);
  const { delimiter, ...rest } = options;
  if (delimiter !== undefined && typeof delimiter !== "string") throw new DidwasmError("BAD_OPTION", `delimiter must be text, got ${JSON.stringify(delimiter)}`, { option: "delimiter" });
  const t0 = performance.now();
  const frame = await frameOf(data, delimiter);
  const read = performance.now() - t0;
  const t1 = performance.now();
  const out = await executeCommand(spec, frame, rest, env);
  return { ...plainJson(out.json), ...timingMs(spec.phase, read, performance.now() - t1) };
}

/** Runs `command` on `data` with typed options; returns what `didwasm <command> --json` prints. */
export function run<C extends CommandName>(command: C, data: RunData, options: CommandInputs<C> & ReadInputs, env: CommandEnv = inlineEnv): Promise<Record<string, unknown>> {
  return runCommandByName(command, data, options as Options, env);
}

export { executeCommand, type Executed } from "./execute.js";
