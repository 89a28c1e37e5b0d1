// didwasm psm DATA --unit U --time T --cohort G --covariates a,b,c [--pre 2007:2011] [--method nearest|radius|kernel]
//   [--neighbors 1] [--replace true|false] [--caliper C] [--common] [--y Y [--controls a,b] | --formula F] [--vcov V] [--plot FILE.svg] [--json]
import { InvalidArgumentError, type Command } from "commander";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { DATA_ARGUMENT_HELP, list, oneOf, positiveInteger, positiveNumber } from "../options.js";

/** "lo:hi" (also "lo,hi", as a list of two years), whole numbers. */
function period(v: string): [number, number] {
  const m = /^\s*(-?\d+)\s*[:,]\s*(-?\d+)\s*$/.exec(v);
  if (!m) throw new InvalidArgumentError(`--pre must look like 2007:2011, got "${v}"`);
  return [Number(m[1]), Number(m[2])];
}

interface PsmFlags {
  [key: string]: unknown;
  unit: string;
  time: string;
  cohort: string;
  covariates: string[];
  json?: boolean;
  plot?: string;
  delimiter?: string;
}

export function registerPsm(program: Command, io: Io): void {
  program
    .command("psm")
    .description("propensity-score matching of units (logit on pre-period covariate averages), balance table, DID on the matched panel")
    .argument("<data>", DATA_ARGUMENT_HELP)
    .requiredOption("--unit <column>", "unit identifier")
    .requiredOption("--time <column>", "time period (whole numbers)")
    .requiredOption("--cohort <column>", "first treated period (0, empty or beyond the panel = never treated)")
    .requiredOption("--covariates <a,b,c>", "covariates of the propensity score, averaged per unit over the pre period", list)
    .option("--pre <lo:hi>", "pre period, inclusive (default: every period before the first adoption)", period)
    .option("--method <name>", "nearest (default), radius or kernel", oneOf("--method", ["nearest", "radius", "kernel"] as const))
    .option("--neighbors <k>", "nearest: neighbours per treated unit (default 1)", positiveInteger("--neighbors"))
    .option("--replace <bool>", "nearest: reuse controls, true (default) or false", oneOf("--replace", ["true", "false"] as const))
    .option("--caliper <c>", "largest propensity-score distance of a match (radius: the radius)", positiveNumber("--caliper"))
    .option("--kernel <name>", "kernel: epan (default) or normal", oneOf("--kernel", ["epan", "normal"] as const))
    .option("--bandwidth <h>", "kernel bandwidth (default 0.06)", positiveNumber("--bandwidth"))
    .option("--common", "drop treated units outside the controls' score range (common support)")
    .option("--y <column>", "outcome of the default DID: Y ~ treat_post | UNIT + TIME")
    .option("--controls <a,b>", "time-varying controls of the default DID formula", list)
    .option("--formula <formula>", "DID formula on the matched panel (fixest syntax; may use treat_post)")
    .option("--vcov <type>", "DID variance: iid, hetero, cluster:VAR (default cluster by the first fixed effect)")
    .option("--did-weights <scheme>", "unit weights of the DID: count (default), matchit or none", oneOf("--did-weights", ["count", "matchit", "none"] as const))
    .option("--compat <version>", "matchit-4.5.1: reproduce MatchIt 4.5.1-4.5.3's (truncated-distance) nearest-neighbour matches", oneOf("--compat", ["matchit-4.5.1"] as const))
    .option("--never <value>", "cohort value meaning never treated")
    .option("--backend <name>", "wasm or reference", oneOf("--backend", ["wasm", "reference"] as const))
    .option("--tol <x>", "DID demeaning tolerance (default 1e-8)", positiveNumber("--tol"))
    .option("--max-iter <n>", "DID demeaning sweeps per column (default 10000)", positiveInteger("--max-iter"))
    .option("--plot <file.svg>", "write the propensity-score densities before and after matching")
    .option("--delimiter <char>", "CSV field separator (default ,)")
    .option("--json", "print the result as JSON")
    .action((data: string, o: PsmFlags) => runCommand(io, "psm", data, o));
}
