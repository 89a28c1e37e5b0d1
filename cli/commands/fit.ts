// didwasm fit DATA --formula F [--vcov V] [--weights W] [--subset EXPR] [--fixef-rm singleton] [--json]
import type { Command } from "commander";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { DATA_ARGUMENT_HELP, oneOf, positiveInteger, positiveNumber } from "../options.js";

interface FitOptions {
  [key: string]: unknown;
  formula: string;
  vcov?: string;
  weights?: string;
  subset?: string;
  fixefRm?: "none" | "singleton";
  backend?: "wasm" | "reference";
  tol?: number;
  maxIter?: number;
  delimiter?: string;
  json?: boolean;
}

export function registerFit(program: Command, io: Io): void {
  program
    .command("fit")
    .description("least squares with absorbed fixed effects (fixest formula syntax)")
    .argument("<data>", DATA_ARGUMENT_HELP)
    .requiredOption("--formula <formula>", 'e.g. "y ~ x1 + x2 | unit + year"')
    .option("--vcov <type>", "iid, hetero, cluster:VAR or cluster:A+B (default: cluster by the first fixed effect, else iid)")
    .option("--weights <column>", "analytic weights")
    .option("--subset <expr>", 'row filter, e.g. "east == 1 & year != 2008"')
    .option("--fixef-rm <what>", "none or singleton", oneOf("--fixef-rm", ["none", "singleton"] as const))
    .option("--backend <name>", "wasm or reference", oneOf("--backend", ["wasm", "reference"] as const))
    .option("--tol <x>", "demeaning tolerance (default 1e-8)", positiveNumber("--tol"))
    .option("--max-iter <n>", "demeaning sweeps per column (default 10000)", positiveInteger("--max-iter"))
    .option("--delimiter <char>", "CSV field separator (default ,)")
    .option("--json", "print the result as JSON")
    .action((data: string, o: FitOptions) => runCommand(io, "fit", data, o));
}
