// Flags shared by the DID commands.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { DidwasmError } from "../bindings/errors.js";
import { DATA_ARGUMENT_HELP, list, oneOf, positiveInteger, positiveNumber } from "./options.js";

export interface PanelFlags {
  y: string;
  unit: string;
  time: string;
  controls?: string[];
  subset?: string;
  backend?: "wasm" | "reference";
  tol?: number;
  maxIter?: number;
  delimiter?: string;
  json?: boolean;
  plot?: string;
}

export function panelFlags(cmd: Command): Command {
  return cmd
    .argument("<data>", DATA_ARGUMENT_HELP)
    .requiredOption("--y <column>", "outcome")
    .requiredOption("--unit <column>", "unit identifier")
    .requiredOption("--time <column>", "time period (whole numbers)")
    .option("--controls <a,b>", "time-varying controls, comma-separated", list)
    .option("--subset <expr>", 'row filter, e.g. "east == 1"')
    .option("--backend <name>", "wasm or reference", oneOf("--backend", ["wasm", "reference"] as const))
    .option("--tol <x>", "demeaning tolerance (default 1e-8)", positiveNumber("--tol"))
    .option("--max-iter <n>", "demeaning sweeps per column (default 10000)", positiveInteger("--max-iter"))
    .option("--delimiter <char>", "CSV field separator (default ,)")
    .option("--json", "print the result as JSON");
}

export function writePlot(path: string, svg: string): void {
  try {
    writeFileSync(path, svg);
  } catch (e) {
    throw new DidwasmError("FILE_UNREADABLE", `cannot write the plot to ${path}: ${(e as Error).message}`);
  }
}
