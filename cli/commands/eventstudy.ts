// didwasm eventstudy DATA --y --unit --time --cohort [--controls a,b] [--window -7:7] [--bin 5] [--ref -1]
//   [--vcov V] [--plot FILE.svg] [--json]
import type { Command } from "commander";
import { panelFlags, type PanelFlags } from "../did-options.js";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { integer, positiveInteger, range } from "../options.js";

interface Flags extends PanelFlags {
  [key: string]: unknown;
  cohort: string;
  window?: [number, number];
  bin?: number;
  ref?: number;
  vcov?: string;
  never?: string;
  weights?: string;
}

export function registerEventStudy(program: Command, io: Io): void {
  panelFlags(program.command("eventstudy").description("event study: relative-time dummies with unit and time fixed effects"))
    .requiredOption("--cohort <column>", "first treated period (0, empty or beyond the panel = never treated)")
    .option("--window <lo:hi>", "relative periods kept, e.g. -7:7", range("--window"))
    .option("--bin <k>", "group periods beyond +-k into the end points", positiveInteger("--bin"))
    .option("--ref <k>", "omitted reference period (default -1)", integer("--ref"))
    .option("--vcov <type>", "iid, hetero, cluster:VAR (default cluster:UNIT)")
    .option("--weights <column>", "analytic weights")
    .option("--never <value>", "cohort value meaning never treated")
    .option("--plot <file.svg>", "write the coefficient plot")
    .action((data: string, o: Flags) => runCommand(io, "eventstudy", data, o));
}
