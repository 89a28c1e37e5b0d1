// didwasm logit DATA --formula "y ~ x1 + x2" [--weights W] [--subset EXPR] [--json]
import type { Command } from "commander";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { DATA_ARGUMENT_HELP, oneOf, positiveInteger, positiveNumber } from "../options.js";

interface LogitFlags {
  [key: string]: unknown;
  formula: string;
  weights?: string;
  subset?: string;
  backend?: "wasm" | "reference";
  tol?: number;
  maxIter?: number;
  delimiter?: string;
  json?: boolean;
}

export function registerLogit(program: Command, io: Io): void {
  program
    .command("logit")
    .description("logistic regression (maximum likelihood by IRLS) with Wald standard errors")
    .argument("<data>", DATA_ARGUMENT_HELP)
    .requiredOption("--formula <formula>", 'a 0/1 outcome and regressors, e.g. "treated ~ x1 + x2" (no fixed effects)')
    .option("--weights <column>", "prior (case) weights, as glm's weights")
    .option("--subset <expr>", 'row filter, e.g. "year == 2010"')
    .option("--backend <name>", "wasm or reference", oneOf("--backend", ["wasm", "reference"] as const))
    .option("--tol <x>", "convergence tolerance on the relative change in deviance (default 1e-10)", positiveNumber("--tol"))
    .option("--max-iter <n>", "Newton iterations at most (default 50)", positiveInteger("--max-iter"))
    .option("--delimiter <char>", "CSV field separator (default ,)")
    .option("--json", "print the result as JSON")
    .action((data: string, o: LogitFlags) => runCommand(io, "logit", data, o));
}
