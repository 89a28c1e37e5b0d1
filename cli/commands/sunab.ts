// didwasm sunab DATA --y --unit --time --cohort [--controls a,b] [--vcov V] [--plot FILE.svg] [--json]
import type { Command } from "commander";
import { panelFlags, type PanelFlags } from "../did-options.js";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { integer } from "../options.js";

interface Flags extends PanelFlags {
  [key: string]: unknown;
  cohort: string;
  ref?: number;
  vcov?: string;
  never?: string;
  weights?: string;
}

export function registerSunab(program: Command, io: Io): void {
  panelFlags(program.command("sunab").description("Sun-Abraham interaction-weighted event study and ATT (fixest sunab)"))
    .requiredOption("--cohort <column>", "first treated period (0, empty or beyond the panel = never treated)")
    .option("--ref <k>", "omitted reference period (default -1)", integer("--ref"))
    .option("--vcov <type>", "iid, hetero, cluster:VAR (default cluster:UNIT)")
    .option("--weights <column>", "analytic weights")
    .option("--never <value>", "cohort value meaning never treated")
    .option("--plot <file.svg>", "write the plot of the per-period effects")
    .action((data: string, o: Flags) => runCommand(io, "sunab", data, o));
}
