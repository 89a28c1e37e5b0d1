// Runs a command spec for the CLI: reads the data, executes, prints JSON or text, writes --plot.
import { commandSpec } from "../bindings/commands/registry.js";
import type { CommandEnv } from "../bindings/commands/types.js";
import { DidwasmError } from "../bindings/errors.js";
import { writePlot } from "./did-options.js";
import { printJson, readData, round3, type Io } from "./io.js";
import { progressReporter } from "./progress.js";
import { parallelResampling } from "./workers.js";

export interface CliFlags {
  readonly json?: boolean;
  readonly plot?: string;
  readonly delimiter?: string;
  readonly workers?: number;
  readonly [key: string]: unknown;
}

export async function runCommand(io: Io, name: string, dataPath: string, o: CliFlags): Promise<void> {
  const spec = commandSpec(name);
  const { frame, ms } = await readData(dataPath, o.delimiter, o.backend);
  const progress = progressReporter(io, `${name} draws`, o.json ?? false);
  const env: CommandEnv = {
    ...parallelResampling(o.workers),
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
