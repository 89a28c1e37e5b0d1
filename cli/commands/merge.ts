// didwasm merge PART... : the parts of a resampling run split over machines (--replicates A:B) merged into
// the whole run's result, printed as the run prints it (text, --json, --plot). The checks and the assembly
// are the library's (bindings/commands/partial/merge.ts).
import type { Command } from "commander";
import { timingMs } from "../../bindings/commands/json.js";
import { mergeExecuted } from "../../bindings/commands/partial/merge.js";
import { opt } from "../../bindings/commands/schema/define.js";
import { flagName, parseOptions } from "../../bindings/commands/schema/parse.js";
import { DidwasmError } from "../../bindings/errors.js";
import type { PlotSize } from "../../bindings/present/figure-files.js";
import { jsonText, type Io } from "../io.js";
import { plotSize } from "../output-options.js";
import { addOptions } from "../register.js";
import { readText } from "../table-io.js";
import { checkFigurePath, writeFigure } from "../write-figure.js";
import { checkWritable, writeFile } from "../write-file.js";

export const mergeOptions = {
  json: opt.flag({ label: "JSON", help: "print the result as JSON (the whole run's --json)" }),
  plot: opt.path({ label: "Plot", help: "write the run's figure: SVG, PDF (fonts embedded) or PNG, by the file's extension", valueName: "file.svg|pdf|png" }),
  plotSize: { ...plotSize, appliesWhen: (o: Readonly<Record<string, unknown>>) => (o.plot !== undefined ? null : "applies only with {plot}") },
  out: opt.path({ label: "Output file", help: "write the text (with --json: the JSON) to this file instead of printing it" }),
};

function readPart(path: string): unknown {
  const text = readText(path, "partial result");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DidwasmError("BAD_DATA", `${path} is not valid JSON (${(e as Error).message.replace(/\s+/g, " ")}); give the partial results written with --replicates A:B`, { path });
  }
}

export function registerMerge(program: Command, io: Io): void {
  const cmd = program
    .command("merge")
    .description("merge the partial results of a resampling run split with --replicates A:B into the whole run's result")
    .argument("<parts...>", "partial results written by placebo, boot or bdiff with --replicates A:B")
    .addHelpText("after", "\nExample:\n  didwasm merge part-*.json --json --out placebo.json\n");
  addOptions(cmd, mergeOptions);
  cmd.action(async (files: string[], raw: Record<string, unknown>) => {
    const o = parseOptions(mergeOptions, raw, flagName).values;
    if (o.plot !== undefined) checkFigurePath(o.plot, "--plot");
    if (o.out !== undefined) checkWritable(o.out, "--out");
    const t0 = performance.now();
    const parts = files.map(readPart);
    const read = performance.now() - t0;
    const t1 = performance.now();
    const { spec, result } = mergeExecuted(parts, files);
    const elapsed = performance.now() - t1;
    if (o.plot !== undefined && !result.figure) throw new DidwasmError("BAD_OPTION", `--plot: ${spec.name} results have no figure`, { option: "--plot" });
    for (const w of result.warnings) io.err(`didwasm: warning: ${w}\n`);
    if (o.plot !== undefined) await writeFigure(o.plot, result.figure!(), o.plotSize as PlotSize);
    const text = o.json ? jsonText({ ...result.json, ...timingMs(spec.phase, read, elapsed) }) : result.text;
    if (o.out !== undefined) writeFile(o.out, text, o.json ? "JSON" : "result");
    else io.out(text);
  });
}
