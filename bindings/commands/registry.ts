// Every command that computes on a data set, by name. run(), the CLI, report specs and the web tool all look
// commands up here; their option schemas are the single source of what each accepts.
import { DidwasmError, nearestName } from "../errors.js";
import { baconCommand } from "./bacon.js";
import { bdiffCommand } from "./bdiff.js";
import { bootCommand } from "./boot.js";
import { compareCommand } from "./compare.js";
import { csdidCommand } from "./csdid.js";
import { dcdhCommand } from "./dcdh.js";
import { describeCommand } from "./describe.js";
import { did2sCommand } from "./did2s.js";
import { eventstudyCommand } from "./eventstudy.js";
import { etwfeCommand } from "./etwfe.js";
import { feglmCommand } from "./feglm.js";
import { honestdidCommand } from "./honestdid.js";
import { fepoisCommand } from "./fepois.js";
import { fitCommand } from "./fit.js";
import { imputationCommand } from "./imputation.js";
import { logitCommand } from "./logit.js";
import { placeboCommand } from "./placebo.js";
import { pretrendsCommand } from "./pretrends.js";
import { psmCommand } from "./psm.js";
import { sunabCommand } from "./sunab.js";
import { synthdidCommand } from "./synthdid.js";
import { stackedCommand } from "./stacked.js";
import type { Inputs } from "./schema/types.js";
import type { CommandSpec } from "./types.js";

export const COMMAND_SPECS = {
  fit: fitCommand,
  fepois: fepoisCommand,
  feglm: feglmCommand,
  eventstudy: eventstudyCommand,
  bacon: baconCommand,
  did2s: did2sCommand,
  imputation: imputationCommand,
  etwfe: etwfeCommand,
  dcdh: dcdhCommand,
  synthdid: synthdidCommand,
  sunab: sunabCommand,
  csdid: csdidCommand,
  honestdid: honestdidCommand,
  pretrends: pretrendsCommand,
  compare: compareCommand,
  placebo: placeboCommand,
  bdiff: bdiffCommand,
  boot: bootCommand,
  describe: describeCommand,
  logit: logitCommand,
  psm: psmCommand,
  stacked: stackedCommand,
} as const;

export type CommandName = keyof typeof COMMAND_SPECS;

/** The options run() takes for a command: its schema's options, typed (required ones required). */
export type CommandInputs<C extends CommandName> = Inputs<(typeof COMMAND_SPECS)[C]["options"]>;

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(Object.entries(COMMAND_SPECS) as Array<[string, CommandSpec]>);

export function commandSpec(name: string): CommandSpec {
  const c = COMMANDS.get(name);
  if (c) return c;
  const near = nearestName(name, [...COMMANDS.keys()]);
  throw new DidwasmError("BAD_OPTION", `unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ""}; commands: ${[...COMMANDS.keys()].join(", ")}`);
}
