// A command is defined once, here, and served by both front ends: the CLI maps its flags to options and
// prints the output; `run()` (the page's and library's uniform entry) returns the same JSON. Options are
// keyed by the CLI flag names in camelCase (formula, vcov, y, unit, time, cohort, controls, bin, ...).
import type { Frame } from "../data/frame.js";
import type { BdiffOptions, BdiffResult } from "../resampling/bdiff.js";
import type { PlaceboOptions, PlaceboResult } from "../resampling/placebo.js";

export type Options = Readonly<Record<string, unknown>>;

export interface CommandOutput {
  /** What --json prints (without timing_ms, which the front end adds). */
  readonly json: Record<string, unknown>;
  /** The readable table. */
  readonly text: string;
  /** The figure, when the command has one (written by --plot). */
  readonly figure?: () => string;
  /** Messages for stderr (e.g. non-convergence). */
  readonly warnings: readonly string[];
}

/** How resampling runs in this front end (worker threads in Node, Web Workers or inline in browsers). */
export interface CommandEnv {
  placebo(frame: Frame, o: PlaceboOptions, onProgress?: (done: number, total: number) => void): Promise<PlaceboResult>;
  bdiff(frame: Frame, o: BdiffOptions, onProgress?: (done: number, total: number) => void): Promise<BdiffResult>;
  /** Called with progress of long runs. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Draws a seed when none is given, and reports it. */
  pickSeed(): number;
}

export interface CommandSpec {
  readonly name: string;
  /** The timing_ms key for the estimation phase ("fit" for estimators, "run" for resampling). */
  readonly phase: "fit" | "run";
  execute(frame: Frame, o: Options, env: CommandEnv): Promise<CommandOutput>;
}
