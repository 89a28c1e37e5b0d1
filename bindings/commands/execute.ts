// What every front end (CLI, run(), report runner, web worker) calls to run a command on a frame: the
// options are parsed against the command's schema, and the result's notes and the warnings among them are
// attached to its JSON here, in one place. No data reader is imported, so the browser worker can load the
// Stata and Parquet readers only when a file needs them.
import type { Frame } from "../data/frame.js";
import { uniqueNotes, warningsOf, type Note } from "../notes.js";
import { runPartial } from "./partial/run-partial.js";
import { keyName, parseOptions, type Naming } from "./schema/parse.js";
import type { CommandEnv, CommandOutput, CommandSpec, Options } from "./types.js";

/** A command's result as every front end sees it: the JSON carries the notes and the warnings among them. */
export interface Executed extends CommandOutput {
  readonly warnings: readonly string[];
}

/** Parses `options` (and the CLI's `output` options) against the command's schema and runs it. */
export async function executeCommand(
  spec: CommandSpec,
  frame: Frame,
  options: Options,
  env: CommandEnv,
  naming: Naming = keyName,
  output: Options = {},
): Promise<Executed> {
  const o = parseOptions(spec.options, options, naming).values;
  const out = parseOptions(spec.output, output, naming, o).values;
  // A range of replicates (--replicates A:B) gives a partial result, merged later (didwasm merge).
  if (o.replicates !== undefined) {
    const partial = runPartial(spec, frame, o, env.onProgress);
    return { json: { ...partial }, text: `${JSON.stringify(partial)}\n`, notes: [], warnings: [] };
  }
  const r = await spec.execute(frame, o, env, out);
  return withNotes(r, r.notes);
}

export function withNotes(r: CommandOutput, all: readonly Note[]): Executed {
  const notes = uniqueNotes(all);
  const warnings = warningsOf(notes);
  return { ...r, notes, warnings, json: { ...r.json, notes, warnings } };
}

