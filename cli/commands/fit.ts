// didwasm fit DATA --formula F [--vcov V] [--weights W] [--subset EXPR] [--fixef-rm singleton] [--json]
import type { Command } from "commander";
import { feolsMulti } from "../../bindings/estimators/feols.js";
import { regressionText } from "../../bindings/present/regression-text.js";
import { printJson, readData, round3, type Io } from "../io.js";
import { oneOf, positiveInteger, positiveNumber } from "../options.js";

interface FitOptions {
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
    .argument("<data>", "CSV file")
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
    .action((data: string, o: FitOptions) => {
      const { frame, ms: readMs } = readData(data, o.delimiter);
      const t0 = performance.now();
      const fits = feolsMulti(frame, o.formula, {
        vcov: o.vcov, weights: o.weights, subset: o.subset, fixefRm: o.fixefRm, backend: o.backend, tol: o.tol, maxIter: o.maxIter,
      });
      const fitMs = performance.now() - t0;
      for (const f of fits) if (!f.converged) io.err(`didwasm: warning: ${f.notes.find((n) => n.startsWith("demeaning")) ?? "demeaning did not converge"}\n`);
      const timing = { read: round3(readMs), fit: round3(fitMs) };
      if (o.json) {
        if (fits.length === 1) printJson(io, { ...fits[0].toJSON(), timing_ms: timing });
        else printJson(io, { models: fits.map((f) => f.toJSON()), timing_ms: timing });
        return;
      }
      io.out(fits.map((f) => regressionText(f)).join("\n"));
    });
}
