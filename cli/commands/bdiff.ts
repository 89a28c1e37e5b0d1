// didwasm bdiff DATA --formula F --group G --coef C --method permutation|bootstrap --reps 500 --seed S
//   [--cluster-level UNIT] [--exact] [--json]
import type { Command } from "commander";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { DATA_ARGUMENT_HELP, oneOf, positiveInteger } from "../options.js";

interface Flags {
  [key: string]: unknown;
  formula: string;
  group: string;
  coef: string;
  method: "permutation" | "bootstrap";
  reps: number;
  seed?: string;
  clusterLevel?: string;
  exact?: boolean;
  weights?: string;
  subset?: string;
  backend?: "wasm" | "reference";
  delimiter?: string;
  json?: boolean;
  workers?: number;
}

export function registerBdiff(program: Command, io: Io): void {
  program
    .command("bdiff")
    .description("test the difference of a coefficient between two groups (bdiff): permutation or bootstrap")
    .argument("<data>", DATA_ARGUMENT_HELP)
    .requiredOption("--formula <formula>", "the model estimated in each group")
    .requiredOption("--group <column>", "variable with exactly two values")
    .requiredOption("--coef <name>", "the coefficient compared")
    .option("--method <m>", "permutation or bootstrap", oneOf("--method", ["permutation", "bootstrap"] as const), "permutation")
    .option("--reps <n>", "number of draws", positiveInteger("--reps"), 500)
    .option("--seed <n>", "random seed (printed when absent)")
    .option("--cluster-level <unit>", "permute or resample whole units of this variable")
    .option("--exact", "permutation over every split (tiny data)")
    .option("--weights <column>", "analytic weights")
    .option("--subset <expr>", "row filter")
    .option("--backend <name>", "wasm or reference", oneOf("--backend", ["wasm", "reference"] as const))
    .option("--delimiter <char>", "CSV field separator (default ,)")
    .option("--workers <n>", "worker threads (default: all cores for large runs, else 1)", positiveInteger("--workers"))
    .option("--json", "print the result as JSON")
    .action((data: string, o: Flags) => runCommand(io, "bdiff", data, o));
}
