// didwasm placebo DATA --formula F --treat D --unit U --time T [--cohort G] --kind time|space|mixed
//   [--variant 1|2|3] [--shift 1,2,3] [--keep-post] --reps 500 --seed S [--vcov V] [--t-stats] [--plot FILE.svg]
import type { Command } from "commander";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { DATA_ARGUMENT_HELP, integer, list, oneOf, positiveInteger } from "../options.js";

interface Flags {
  [key: string]: unknown;
  formula: string;
  treat: string;
  unit: string;
  time: string;
  cohort?: string;
  never?: string;
  kind: "time" | "space" | "mixed";
  variant: string;
  shift?: string[];
  keepPost?: boolean;
  reps: number;
  seed?: string;
  vcov?: string;
  weights?: string;
  subset?: string;
  tStats?: boolean;
  backend?: "wasm" | "reference";
  delimiter?: string;
  plot?: string;
  json?: boolean;
  workers?: number;
}

export function registerPlacebo(program: Command, io: Io): void {
  program
    .command("placebo")
    .description("placebo tests (didplacebo): in-time, in-space and mixed random reassignments of the treatment")
    .argument("<data>", DATA_ARGUMENT_HELP)
    .requiredOption("--formula <formula>", 'the baseline model, e.g. "y ~ did + x | unit + year"')
    .requiredOption("--treat <column>", "the treatment regressor of the formula")
    .requiredOption("--unit <column>", "unit identifier")
    .requiredOption("--time <column>", "time period")
    .option("--cohort <column>", "first treated period (default: derived from --treat)")
    .option("--never <value>", "cohort value meaning never treated")
    .requiredOption("--kind <kind>", "time, space or mixed", oneOf("--kind", ["time", "space", "mixed"] as const))
    .option("--variant <v>", "mixed placebo variant 1, 2 or 3", oneOf("--variant", ["1", "2", "3"] as const), "1")
    .option("--shift <s,...>", "in-time placebo: periods to move the treatment back (default 1,2,3)", list)
    .option("--keep-post", "in-time placebo: keep treated units' observations after their true start")
    .option("--reps <n>", "number of random draws", positiveInteger("--reps"), 500)
    .option("--seed <n>", "random seed (printed when absent)")
    .option("--vcov <type>", "variance of the baseline model (default: cluster by the first fixed effect)")
    .option("--weights <column>", "analytic weights")
    .option("--subset <expr>", "row filter")
    .option("--t-stats", "also return the t statistic of every draw")
    .option("--backend <name>", "wasm or reference", oneOf("--backend", ["wasm", "reference"] as const))
    .option("--delimiter <char>", "CSV field separator (default ,)")
    .option("--plot <file.svg>", "write the kernel density of the draws with the true estimate")
    .option("--workers <n>", "worker threads (default: all cores for large runs, else 1)", positiveInteger("--workers"))
    .option("--json", "print the result as JSON")
    .action((data: string, o: Flags) => runCommand(io, "placebo", data, o));
}
