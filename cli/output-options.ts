// Options only the CLI has: how a result is printed or written, how the data file is read, and how many
// worker threads resampling uses. Declared with the same schema as the commands' options, so they are
// parsed, range-checked and refused the same way.
import { availableParallelism } from "node:os";
import { opt } from "../bindings/commands/schema/define.js";
import { PLOT_SIZES, PNG_DPI, PRINT_WIDTH_IN } from "../bindings/present/figure-files.js";
import type { CommandSpec } from "../bindings/commands/types.js";
import type { Schema } from "../bindings/commands/schema/types.js";

/** Workers beyond the machine's cores only slow a run down and multiply its memory; a hard ceiling even
 *  with --oversubscribe. */
export const MAX_WORKERS = 64;

export const DATA_ARGUMENT_HELP = "data file: CSV, Parquet or Stata .dta";

const json = opt.flag({ label: "JSON", help: "print the result as JSON" });
const delimiter = opt.text({ label: "Delimiter", help: 'CSV field separator (default ,; "\\t" or tab for tabs)', valueName: "char", verbatim: true });
/** A part of a split run (--replicates) is written as a partial result; the merge prints or draws the result. */
const notForPart = (o: Readonly<Record<string, unknown>>) =>
  o.replicates !== undefined ? "does not apply with {replicates}: a part is written as a partial result, and didwasm merge prints or draws the whole run's" : null;
const partInOneThread = (o: Readonly<Record<string, unknown>>) =>
  o.replicates !== undefined ? "does not apply with {replicates}: a part runs in one thread; split the run into more parts instead (one per core)" : null;
const plot = (spec: CommandSpec) =>
  opt.path({
    label: "Plot", help: `${spec.figure!}: SVG, PDF (fonts embedded) or PNG (${PNG_DPI} dpi), by the file's extension`, valueName: "file.svg|pdf|png",
    appliesWhen: (o) => (spec.replicable ? notForPart(o) : null) ?? spec.figureWhen?.(o) ?? null,
  });

/** The print width of figure files; declared once, for --plot and the report's figures. */
export const plotSize = opt.choice(PLOT_SIZES)({
  label: "Figure size",
  help: `print width of the figure: single (one column, ${PRINT_WIDTH_IN.single} in) or double (two columns, ${PRINT_WIDTH_IN.double} in); the drawing is scaled whole, so text is smaller at single`,
  default: "double",
});
const plotSizeOfPlot = { ...plotSize, appliesWhen: (o: Readonly<Record<string, unknown>>) => (o.plot !== undefined ? null : "applies only with {plot}") };
const workers = opt.integer({
  label: "Workers", help: `worker threads for the draws (default: all cores for large runs, else 1; at most ${availableParallelism()}, this machine's cores, unless --oversubscribe)`,
  min: 1, max: MAX_WORKERS,
});
const oversubscribe = opt.flag({
  label: "Oversubscribe", help: "allow --workers beyond this machine's cores", appliesWhen: (o) => (o.workers !== undefined ? null : "applies only with {workers}"),
});
const out = opt.path({ label: "Output file", help: "write the table (with --json: the JSON) to this file instead of printing it" });
const resamplingOut = opt.path({ label: "Output file", help: "write the output (the text; with --json the JSON; with --replicates the partial result) to this file instead of printing it" });

/** The CLI-only options of a data command: its own output options plus those every command shares. */
export function cliOutputSchema(spec: CommandSpec): Schema {
  return {
    ...spec.output,
    json: spec.replicable ? { ...json, appliesWhen: notForPart } : json,
    delimiter,
    ...(spec.figure ? { plot: plot(spec), plotSize: plotSizeOfPlot } : {}),
    ...(spec.workers ? { workers: spec.replicable ? { ...workers, appliesWhen: partInOneThread } : workers, oversubscribe } : {}),
    ...("format" in spec.output ? { out } : spec.replicable ? { out: resamplingOut } : {}),
  };
}
