import { DidwasmError, nearestName } from "../errors.js";
import { baconCommand, csdidCommand, did2sCommand, eventstudyCommand, fitCommand, sunabCommand } from "./estimators.js";
import { bdiffCommand, placeboCommand } from "./resampling.js";
import { bootCommand } from "./boot.js";
import { describeCommand } from "./describe.js";
import { logitCommand, psmCommand } from "./psm.js";
import type { CommandSpec } from "./types.js";

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  [fitCommand, eventstudyCommand, baconCommand, did2sCommand, sunabCommand, csdidCommand, placeboCommand, bdiffCommand, bootCommand, describeCommand, logitCommand, psmCommand].map((c) => [c.name, c]),
);

export function commandSpec(name: string): CommandSpec {
  const c = COMMANDS.get(name);
  if (c) return c;
  const near = nearestName(name, [...COMMANDS.keys()]);
  throw new DidwasmError("BAD_OPTION", `unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ""}; commands: ${[...COMMANDS.keys()].join(", ")}`);
}
