// A command is defined once, in bindings/commands/, and served by every front end: the CLI (flags and help
// derived from its schema, cli/register.ts), run() (the library's and the page's uniform entry, which
// returns the CLI's --json), report specs (analysis keys) and the web tool (form fields).
import type { Frame } from "../data/frame.js";
import type { Note } from "../notes.js";
import type { PretrendsPlotText } from "../present/svg/pretrends-plot.js";
import type { ScoreDensityText } from "../present/svg/score-density.js";
import type { SensitivityPlotText } from "../present/svg/sensitivity-plot.js";
import type { Table } from "../present/tables/model.js";
import type { BdiffOptions, BdiffResult } from "../resampling/bdiff.js";
import type { PlaceboOptions, PlaceboResult } from "../resampling/placebo.js";
import type { ReplicateTask } from "../resampling/pool/tasks.js";
import type { Parsed, ParsedValues, Schema } from "./schema/types.js";

export type Options = Readonly<Record<string, unknown>>;

export interface CommandOutput {
  /** What --json prints, without notes, warnings and timing_ms (the front end adds them). */
  readonly json: Record<string, unknown>;
  /** The readable table. */
  readonly text: string;
  /** The figure, when the command has one (written by --plot); in English unless `words` gives its words
   *  (a report in another language). */
  readonly figure?: (words?: FigureText) => string;
  /** The tables the text shows, as models (written as Word by --format docx), when the command makes any. */
  readonly tables?: () => readonly Table[];
  /** Notes of the result; the warnings among them go to stderr and to the JSON's `warnings`. */
  readonly notes: readonly Note[];
  /** Files the CLI writes for output options that name one (fit's --fixef-out, --predict). */
  readonly files?: readonly OutputFile[];
}

/** The words of the figures commands draw, each figure's own (every entry optional, English for the rest). */
export interface FigureText {
  readonly sensitivity?: SensitivityPlotText;
  readonly pretrends?: PretrendsPlotText;
  readonly scoreDensity?: ScoreDensityText;
}

export interface OutputFile {
  readonly path: string;
  /** What the file holds, for error messages ("fixed-effect values"). */
  readonly what: string;
  readonly text: () => string;
}

/** How resampling runs in this front end (worker threads in Node, Web Workers or inline in browsers). */
export interface CommandEnv {
  placebo(frame: Frame, o: PlaceboOptions, onProgress?: (done: number, total: number) => void): Promise<PlaceboResult>;
  bdiff(frame: Frame, o: BdiffOptions, onProgress?: (done: number, total: number) => void): Promise<BdiffResult>;
  /** A task's replicates on worker threads (`cost`: work per row and replicate relative to a placebo draw),
   *  where the front end has them; absent, commands run their replicates in this thread. */
  replicates?(frame: Frame, task: ReplicateTask, reps: number, cost: number, onProgress?: (done: number, total: number) => void): Promise<Float64Array[]>;
  /** Called with progress of long runs. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Draws a seed when none is given, and reports it. */
  pickSeed(): number;
}

export interface CommandSpec<S extends Schema = Schema, O extends Schema = Schema> {
  readonly name: string;
  /** One line: what the command does (CLI help, README). */
  readonly summary: string;
  /** One example invocation, after `didwasm <name> DATA` (shown in --help). */
  readonly example: string;
  /** Conventions a fixest or Stata user should know (shown in --help), where didwasm follows one package
   *  rather than another or deliberately differs. */
  readonly conventions?: readonly string[];
  /** The timing_ms key for the estimation phase ("fit" for estimators, "run" for resampling). */
  readonly phase: "fit" | "run";
  /** Options that change what is computed: taken by every front end. */
  readonly options: S;
  /** Options that only change how the CLI prints or writes the result (run() refuses them). */
  readonly output: O;
  /** Help of --plot, when the command draws a figure. */
  readonly figure?: string;
  /** Why there is no figure with these options (then --plot is refused before anything runs), or null. */
  readonly figureWhen?: (o: ParsedValues) => string | null;
  /** An option whose CLI value names a file: the CLI reads it and passes its text, and with it given no
   *  data file is needed (honestdid --from). */
  readonly fileInstead?: string;
  /** The CLI leaves the kernels to V8's default (lazy, baseline-first) compilation instead of compiling
   *  them optimised up front: that switch is process-wide, and a command that loads another large module
   *  (honestdid's 3.5 MB HiGHS) would then wait seconds for all of it to be optimised. */
  readonly defaultWasmTiers?: boolean;
  /** Resampling commands spread replicates over worker threads (--workers). */
  readonly workers?: boolean;
  /** Resampling commands whose replicates can run in ranges on several machines and be merged
   *  (--replicates, didwasm merge; partial/). */
  readonly replicable?: Replicable;
  /** Computes the result; `out` holds the output options (their defaults when run() calls). */
  execute(frame: Frame, o: Parsed<S>, env: CommandEnv, out: Parsed<O>): Promise<CommandOutput>;
}

/** A run split into ranges of replicates: prepared once per machine, each range's draws computed there,
 *  and the result assembled from the prepared state and all draws exactly as one run assembles it. */
export interface Replicable {
  prepare(frame: Frame, o: ParsedValues): PreparedReplicates;
  /** The command's output from a prepared state (as `state` gave it, through JSON) and every draw. */
  assemble(state: Readonly<Record<string, unknown>>, draws: readonly Float64Array[]): CommandOutput;
}

export interface PreparedReplicates {
  /** Replicates of the whole run (after enumeration decisions). */
  readonly reps: number;
  /** Why `reps` differs from the replicates asked for, when it does ("12 clusters: all 2^12 ..."). */
  readonly repsReason?: string;
  /** Everything assemble needs besides the draws, as plain data (numbers may be non-finite). */
  readonly state: Record<string, unknown>;
  /** The draws of replicates [from, to) (0-based): arrays holding a fixed number of values per replicate,
   *  in replicate order (so the arrays of consecutive ranges concatenate to those of one run). */
  draws(from: number, to: number): Float64Array[];
  release(): void;
}

/** Declares a command; the identity function that fixes its schema types. */
export const defineCommand = <S extends Schema, O extends Schema = Record<never, never>>(c: CommandSpec<S, O>): CommandSpec<S, O> => c;
