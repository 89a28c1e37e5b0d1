// didwasm boot DATA --formula F --coef C --cluster V [--method wild|pairs|ri] [--weights rademacher|webb|mammen|normal]
//   [--impose-null true|false] [--null r] [--enumerate] [--alpha 0.05] --reps 9999 --seed S [--json] [--plot FILE.svg]
import type { Command } from "commander";
import { BOOT_METHODS, DEFAULT_BOOT_REPLICATES } from "../../bindings/resampling/boot.js";
import { WILD_WEIGHT_NAMES } from "../../bindings/resampling/weights.js";
import type { Io } from "../io.js";
import { DATA_ARGUMENT_HELP, oneOf, positiveInteger } from "../options.js";
import { runCommand } from "../run-command.js";

interface Flags {
  [key: string]: unknown;
  reps: number;
  json?: boolean;
  plot?: string;
  delimiter?: string;
}

export function registerBoot(program: Command, io: Io): void {
  program
    .command("boot")
    .description("wild cluster bootstrap (boottest), pairs cluster bootstrap and randomization inference for one coefficient")
    .argument("<data>", DATA_ARGUMENT_HELP)
    .requiredOption("--formula <formula>", 'the model, e.g. "y ~ treat + x | unit + year"')
    .requiredOption("--coef <name>", "the tested coefficient")
    .option("--cluster <column>", "cluster variable (required for wild and pairs; ri permutes whole clusters)")
    .option("--method <m>", "wild, pairs or ri", oneOf("--method", BOOT_METHODS), "wild")
    .option("--weights <dist>", "wild bootstrap weights: rademacher, webb, mammen or normal", oneOf("--weights", WILD_WEIGHT_NAMES), "rademacher")
    .option("--impose-null <bool>", "wild: impose the null on the bootstrap residuals (WCR) or not (WCU)", oneOf("--impose-null", ["true", "false"] as const), "true")
    .option("--null <r>", "the null value r of H0: coef = r (default 0)")
    .option("--enumerate", "wild, Rademacher: use all 2^G sign vectors (automatic when 2^G <= reps)")
    .option("--alpha <a>", "confidence level 1 - alpha for the interval (default 0.05)")
    .option("--reps <n>", "replicates", positiveInteger("--reps"), DEFAULT_BOOT_REPLICATES)
    .option("--seed <n>", "random seed (printed when absent)")
    .option("--obs-weights <column>", "analytic regression weights")
    .option("--subset <expr>", "row filter")
    .option("--backend <name>", "wasm or reference", oneOf("--backend", ["wasm", "reference"] as const))
    .option("--delimiter <char>", "CSV field separator (default ,)")
    .option("--plot <file.svg>", "write the density of the bootstrap draws")
    .option("--json", "print the result as JSON")
    .action((data: string, o: Flags) => runCommand(io, "boot", data, o));
}
