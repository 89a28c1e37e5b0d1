// One data command on the CLI, from its spec: flags and help derived from the schemas, then read the data,
// execute through the same entry as run(), print JSON or text, write --plot and --out.
import type { Command } from "commander";
import { executeCommand } from "../bindings/commands/execute.js";
import { flagName, parseOptions } from "../bindings/commands/schema/parse.js";
import type { CommandEnv, CommandSpec } from "../bindings/commands/types.js";
import { DidwasmError } from "../bindings/errors.js";
import { Frame } from "../bindings/data/frame.js";
import { timingMs } from "../bindings/commands/json.js";
import { tablesToDocx } from "../bindings/present/docx.js";
import type { PlotSize } from "../bindings/present/figure-files.js";
import { startKernelThreadsEarly } from "./threads-early.js";
import { nowMs } from "./clock.js";
import { jsonText, readData, type Io } from "./io.js";
import { cliOutputSchema, DATA_ARGUMENT_HELP } from "./output-options.js";
import { progressReporter } from "./progress.js";
import { addOptions, splitRaw } from "./register.js";
import { readJsonFile, tableOutputFormat, readLabelsOption } from "./table-io.js";
import { parallelResampling, workerCount } from "./workers.js";
import { checkFigurePath, writeFigure } from "./write-figure.js";
import { checkWritable, writeFile } from "./write-file.js";

/** What an extra positional argument probably meant. */
function extraArgumentError(name: string, extra: readonly string[]): DidwasmError {
  const first = extra[0];
  if (first.includes("~")) {
    return new DidwasmError("BAD_OPTION", `the formula goes after --formula: didwasm ${name} DATA --formula "${first}" (quote it so the shell keeps it whole)`);
  }
  return new DidwasmError("BAD_OPTION", `unexpected argument "${first}": ${name} takes one data file; options start with -- (see didwasm ${name} --help)`);
}

function conventionsHelp(spec: CommandSpec): string {
  return spec.conventions?.length ? `\nConventions:\n${spec.conventions.map((c) => `  - ${c}`).join("\n")}\n` : "";
}

export function registerDataCommand(program: Command, io: Io, spec: CommandSpec): void {
  const cliSchema = cliOutputSchema(spec);
  const cmd = program
    .command(spec.name)
    .description(spec.summary)
    .argument(spec.fileInstead ? "[data]" : "<data>", spec.fileInstead ? `${DATA_ARGUMENT_HELP} (not with ${flagName(spec.fileInstead)})` : DATA_ARGUMENT_HELP)
    .allowExcessArguments(true)
    .addHelpText("after", `${conventionsHelp(spec)}\nExample:\n  didwasm ${spec.name} data.csv ${spec.example}\n`);
  addOptions(cmd, spec.options);
  addOptions(cmd, cliSchema);
  // Extra words are caught here to say what they probably meant (a formula without --formula).
  cmd.action((data: string | undefined, raw: Record<string, unknown>, self: Command) => runDataCommand(io, spec, data, self.args.slice(1), raw));
}

async function runDataCommand(io: Io, spec: CommandSpec, dataPath: string | undefined, extra: readonly string[], raw: Record<string, unknown>): Promise<void> {
  if (extra.length) throw extraArgumentError(spec.name, extra);
  const { mine: options, rest } = splitRaw(raw, spec.options);
  const instead = fileInstead(spec, dataPath, options);
  const cliSchema = cliOutputSchema(spec);
  const formatted = "format" in spec.output ? tableOutputFormat(rest) : rest;
  // Options are checked before the data is read: a typo costs nothing.
  const parsed = parseOptions(spec.options, options, flagName).values;
  const cli = parseOptions(cliSchema, readLabelsOption(formatted), flagName, parsed).values as Record<string, unknown>;
  // The output options shape the printed table; with --json they would do nothing, so they are refused.
  if (cli.json === true) {
    // Options naming a file to write (kind "path", e.g. fit's --predict) are not about the table.
    const tableOnly = Object.keys(spec.output).filter((k) => rest[k] !== undefined && spec.output[k].kind !== "path");
    if (tableOnly.length) throw new DidwasmError("BAD_OPTION", `${tableOnly.map(flagName).join(", ")} shape${tableOnly.length === 1 ? "s" : ""} the table, not the --json output: drop ${tableOnly.length === 1 ? "it" : "them"} or --json`, { option: flagName(tableOnly[0]) });
  }
  const plot = cli.plot as string | undefined;
  if (plot !== undefined) checkFigurePath(plot, "--plot");
  const out = cli.out as string | undefined;
  if (out !== undefined) checkWritable(out, "--out");
  for (const [k, def] of Object.entries(spec.output)) if (def.kind === "path" && typeof cli[k] === "string") checkWritable(cli[k] as string, flagName(k));
  const workers = spec.workers ? workerCount(cli.workers as number | undefined, cli.oversubscribe === true) : undefined;

  // Not where the threads option does not apply to these options (synthdid without covariates).
  if ("threads" in spec.options && !spec.options.threads.appliesWhen?.(parsed) && !instead) startKernelThreadsEarly(dataPath, parsed);
  const { frame, ms } = instead ?? (await readData(dataPath!, cli.delimiter as string | undefined, options.backend, !spec.defaultWasmTiers, parsed.threads));
  const progress = progressReporter(io, `${spec.name} draws`, cli.json === true);
  const env: CommandEnv = {
    ...parallelResampling(workers, frame),
    onProgress: (d, t) => progress.update(d, t),
    pickSeed: () => {
      const seed = Math.floor(Math.random() * 2 ** 31);
      io.err(`didwasm: no --seed given; using --seed ${seed}\n`);
      return seed;
    },
  };
  const outputOptions = Object.fromEntries(Object.entries(cli).filter(([k]) => k in spec.output));
  const t0 = nowMs();
  const result = await executeCommand(spec, frame, options, env, flagName, outputOptions);
  const elapsed = nowMs() - t0;
  progress.done();
  for (const w of result.warnings) io.err(`didwasm: warning: ${w}\n`);
  if (plot !== undefined) await writeFigure(plot, result.figure!(), cli.plotSize as PlotSize);
  for (const f of result.files ?? []) writeFile(f.path, f.text(), f.what);
  // Word is written from the table models (tableOutputFormat made sure --out is given).
  if (!cli.json && cli.format === "docx") return writeFile(out!, await tablesToDocx(result.tables!().map((table) => ({ table }))), "Word table");
  const text = cli.json ? jsonText({ ...result.json, ...timingMs(spec.phase, ms, elapsed) }) : result.text;
  if (out !== undefined) writeFile(out, text, options.replicates !== undefined ? "partial result" : cli.json ? "JSON" : "table");
  else io.out(text);
}

/** A command that can read a file instead of the data (spec.fileInstead): the file's text replaces the
 *  option's value, and the command gets an empty frame. Null when the data file is used. */
function fileInstead(spec: CommandSpec, dataPath: string | undefined, options: Record<string, unknown>): { frame: Frame; ms: number } | null {
  const key = spec.fileInstead;
  const path = key === undefined ? undefined : options[key];
  if (key === undefined || path === undefined) {
    if (dataPath === undefined) throw new DidwasmError("BAD_OPTION", `give a data file: didwasm ${spec.name} DATA ...${key ? ` (or ${flagName(key)} FILE)` : ""}`);
    return null;
  }
  if (dataPath !== undefined) throw new DidwasmError("BAD_OPTION", `${flagName(key)} replaces the data file: give ${flagName(key)} or DATA, not both`, { option: flagName(key) });
  if (typeof path !== "string") throw new DidwasmError("BAD_OPTION", `${flagName(key)} takes a file name`, { option: flagName(key) });
  const t0 = nowMs();
  // Read (and checked to be JSON) here, passed on as text: the option's value in run() too.
  options[key] = JSON.stringify(readJsonFile(path, `${flagName(key)} file`).json);
  return { frame: new Frame(0, []), ms: nowMs() - t0 };
}
