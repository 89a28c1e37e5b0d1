// didwasm csdid DATA --y --unit --time --cohort [--control-group never|notyet] [--bootstrap N --seed S] [--json]
import type { Command } from "commander";
import { panelFlags, type PanelFlags } from "../did-options.js";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { oneOf, positiveInteger } from "../options.js";

interface Flags extends PanelFlags {
  [key: string]: unknown;
  cohort: string;
  controlGroup: "never" | "notyet";
  bootstrap?: number;
  seed?: string;
  never?: string;
}

export function registerCsdid(program: Command, io: Io): void {
  panelFlags(program.command("csdid").description("Callaway-Sant'Anna group-time ATTs and their aggregations"))
    .requiredOption("--cohort <column>", "first treated period (0, empty or beyond the panel = never treated)")
    .option("--control-group <which>", "never or notyet", oneOf("--control-group", ["never", "notyet"] as const), "never")
    .option("--bootstrap <reps>", "multiplier-bootstrap replicates for uniform bands", positiveInteger("--bootstrap"))
    .option("--seed <n>", "random seed for the bootstrap")
    .option("--never <value>", "cohort value meaning never treated")
    .option("--plot <file.svg>", "write the dynamic (event-time) effects plot")
    .action((data: string, o: Flags) => runCommand(io, "csdid", data, o));
}
