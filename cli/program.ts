// The commander program, built with injectable output so tests can run commands in-process.
import { Command, CommanderError } from "commander";
import { isDidwasmError } from "../bindings/errors.js";
import { VERSION } from "../bindings/version.js";
import { useNodeKernelThreads } from "../bindings/engine/threads/spawn-node.js";
import { useNodeMachineMemory } from "../bindings/engine/node-memory.js";
import { useNodeHighs } from "../bindings/estimators/honestdid/highs-node.js";
import { COMMAND_SPECS } from "../bindings/commands/registry.js";
import type { CommandSpec } from "../bindings/commands/types.js";
import { registerDataCommand } from "./data-command.js";
import { registerDemoData } from "./commands/demo-data.js";
import { registerMerge } from "./commands/merge.js";
import { registerTable } from "./commands/table.js";
import { ReportIncomplete, registerReport } from "./commands/report.js";
import type { Io } from "./io.js";

/** Exit status of a run: 0 success, 2 the user's input was wrong, 1 an internal error. */
export type ExitCode = 0 | 1 | 2;

/** Commands other than the data commands, by name. */
const OTHER_COMMANDS: Readonly<Record<string, (program: Command, io: Io) => void>> = {
  report: registerReport, table: registerTable, "demo-data": registerDemoData, merge: registerMerge,
};

/** The program; with `only` naming a command, that command alone: registering all of them (some 1,500
 *  options) costs a short run 10-20 ms, and a run of one command parses only its own options. Anything
 *  else (help, an unknown or misspelt command) gets every command, for the listing and the suggestions. */
export function buildProgram(io: Io, only?: string): Command {
  const program = new Command();
  program
    .name("didwasm")
    .description("staggered difference-in-differences and fixed-effects regression, in WebAssembly")
    .version(VERSION)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const specs = Object.values(COMMAND_SPECS) as CommandSpec[];
  const one = only !== undefined && (Object.hasOwn(OTHER_COMMANDS, only) || specs.some((spec) => spec.name === only)) ? only : null;
  for (const spec of specs) if (one === null || spec.name === one) registerDataCommand(program, io, spec);
  for (const [name, register] of Object.entries(OTHER_COMMANDS)) if (one === null || name === one) register(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

/** Commands Stata and R users type, and what they are here. */
const FAMILIAR_COMMANDS: Readonly<Record<string, string>> = {
  reghdfe: 'fit DATA --formula "y ~ x1 + x2 | fe1 + fe2" --vcov cluster:c   (reghdfe y x1 x2, absorb(fe1 fe2) vce(cluster c))',
  areg: 'fit DATA --formula "y ~ x | fe" --vcov hetero   (areg y x, absorb(fe) vce(robust))',
  xtreg: 'fit DATA --formula "y ~ x | unit" --vcov cluster:unit   (xtreg y x, fe vce(cluster unit))',
  regress: 'fit DATA --formula "y ~ x1 + x2" --vcov hetero   (regress y x1 x2, robust)',
  reg: 'fit DATA --formula "y ~ x1 + x2" --vcov hetero   (regress y x1 x2, robust)',
  feols: 'fit DATA --formula "y ~ x | fe1 + fe2"   (fixest::feols)',
  bacondecomp: "bacon DATA --y Y --unit U --time T --treat D",
  didplacebo: 'placebo DATA --formula "y ~ d | u + t" --treat d --unit u --time t --kind mixed --reps 500 --seed 1',
  psmatch2: "psm DATA --unit U --time T --cohort G --covariates a,b",
  boottest: 'boot DATA --formula "y ~ d | u + t" --coef d --cluster c --reps 9999 --seed 1',
  summarize: "describe DATA --vars a,b",
  tabstat: "describe DATA --vars a,b --by g",
  esttab: "table fit1.json fit2.json --format latex --out table.tex",
  outreg2: "table fit1.json fit2.json --format latex --out table.tex",
  att_gt: "csdid DATA --y Y --unit U --time T --cohort G",
  event_study: "eventstudy DATA --y Y --unit U --time T --cohort G",
};

export async function runCli(argv: string[], io: Io): Promise<ExitCode> {
  // Fits may use every core (--threads; estimators/thread-choice.ts).
  useNodeKernelThreads();
  useNodeMachineMemory();
  // HiGHS (honestdid's smoothness bounds) stays on V8's baseline compiler (highs-node.ts).
  useNodeHighs();
  const familiar = argv.length > 0 ? FAMILIAR_COMMANDS[argv[0]] : undefined;
  if (familiar !== undefined) {
    io.err(`didwasm: error: there is no command "${argv[0]}"; the didwasm equivalent is:\n  didwasm ${familiar}\n`);
    return 2;
  }
  const program = buildProgram(io, argv[0]);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors (already printed by commander) exit 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ReportIncomplete) {
      io.err(`didwasm: ${e.message}\n`);
      return 1;
    }
    if (isDidwasmError(e)) {
      io.err(`didwasm: error: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    io.err(`didwasm: internal error: ${err?.message ?? String(e)}\n(please report this; set DIDWASM_DEBUG=1 for details)\n`);
    if (process.env.DIDWASM_DEBUG) io.err(`${err?.stack ?? ""}\n`);
    return 1;
  }
}
