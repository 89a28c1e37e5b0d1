// The commander program, built with injectable output so tests can run commands in-process.
import { Command, CommanderError } from "commander";
import { isDidwasmError } from "../bindings/errors.js";
import { VERSION } from "../bindings/version.js";
import { registerBacon } from "./commands/bacon.js";
import { registerBdiff } from "./commands/bdiff.js";
import { registerBoot } from "./commands/boot.js";
import { registerCsdid } from "./commands/csdid.js";
import { registerDemoData } from "./commands/demo-data.js";
import { registerDescribe } from "./commands/describe.js";
import { registerTable } from "./commands/table.js";
import { registerDid2s } from "./commands/did2s.js";
import { registerEventStudy } from "./commands/eventstudy.js";
import { registerSunab } from "./commands/sunab.js";
import { registerFit } from "./commands/fit.js";
import { registerPlacebo } from "./commands/placebo.js";
import { ReportIncomplete, registerReport } from "./commands/report.js";
import { registerLogit } from "./commands/logit.js";
import { registerPsm } from "./commands/psm.js";
import type { Io } from "./io.js";

/** Exit status of a run: 0 success, 2 the user's input was wrong, 1 an internal error. */
export type ExitCode = 0 | 1 | 2;

export function buildProgram(io: Io): Command {
  const program = new Command();
  program
    .name("didwasm")
    .description("staggered difference-in-differences and fixed-effects regression, in WebAssembly")
    .version(VERSION)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerFit(program, io);
  registerEventStudy(program, io);
  registerBacon(program, io);
  registerDid2s(program, io);
  registerSunab(program, io);
  registerCsdid(program, io);
  registerPlacebo(program, io);
  registerBdiff(program, io);
  registerReport(program, io);
  registerBoot(program, io);
  registerDescribe(program, io);
  registerTable(program, io);
  registerLogit(program, io);
  registerPsm(program, io);
  registerDemoData(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

export async function runCli(argv: string[], io: Io): Promise<ExitCode> {
  const program = buildProgram(io);
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
