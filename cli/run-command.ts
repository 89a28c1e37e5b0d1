// Runs a command spec for the CLI: reads the data, executes, prints JSON or text, writes --plot.
import { commandSpec } from "../bindings/commands/registry.js";
import type { CommandEnv } from "../bindings/commands/types.js";
import { DidwasmError } from "../bindings/errors.js";
import { bdiffParallel, placeboParallel } from "../bindings/resampling/parallel-node.js";
import { BDIFF_DRAW_COST } from "../bindings/resampling/pool/tasks.js";
import { writePlot } from "./did-options.js";
import { printJson, readData, round3, type Io } from "./io.js";
import { progressReporter } from "./progress.js";
import { chooseWorkers } from "./workers.js";

export interface CliFlags {
  readonly json?: boolean;
  readonly plot?: string;
  readonly delimiter?: string;
  readonly workers?: number;
  readonly reps?: number;
  readonly [key: string]: unknown;
}


export async function runCommand(io: Io, name: string, dataPath: string, o: CliFlags): Promise<void> {
  const spec = commandSpec(name);
  const { frame, ms } = await readData(dataPath, o.delimiter, o.backend);
  const progress = progressReporter(io, `${name} draws`, o.json ?? false);
  const reps = typeof o.reps === "number" ? o.reps : 500;
  const env: CommandEnv = {
    placebo: (f, opts, onProgress) => placeboParallel(f, opts, { workers: chooseWorkers(o.workers, f.nrow * reps), onProgress }),
    bdiff: (f, opts, onProgress) => bdiffParallel(f, opts, { workers: chooseWorkers(o.workers, f.nrow * reps * BDIFF_DRAW_COST), onProgress }),
    onProgress: (d, t) => progress.update(d, t),
    pickSeed: () => {
      const seed = Math.floor(Math.random() * 2 ** 31);
      io.err(`didwasm: no --seed given; using --seed ${seed}\n`);
      return seed;
    },
  };
  const t0 = performance.now();
  const out = await spec.execute(frame, o, env);
  const elapsed = performance.now() - t0;
  progress.done();
  for (const w of out.warnings) io.err(`didwasm: warning: ${w}\n`);
  if (o.plot) {
    if (!out.figure) throw new DidwasmError("BAD_OPTION", `${name} has no figure for --plot${name === "did2s" ? " without --event" : ""}`);
    writePlot(o.plot, out.figure());
  }
  if (o.json) printJson(io, { ...out.json, timing_ms: { read: round3(ms), [spec.phase]: round3(elapsed) } });
  else io.out(out.text);
}
