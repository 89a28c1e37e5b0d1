// didwasm did2s DATA --y --unit --time --treat [--controls a,b] [--event --cohort G] [--cluster C] [--json]
import type { Command } from "commander";
import { panelFlags, type PanelFlags } from "../did-options.js";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";
import { integer, positiveInteger, range } from "../options.js";

interface Flags extends PanelFlags {
  [key: string]: unknown;
  treat: string;
  event?: boolean;
  cohort?: string;
  ref?: number;
  window?: [number, number];
  bin?: number;
  cluster?: string;
  never?: string;
  weights?: string;
}

export function registerDid2s(program: Command, io: Io): void {
  panelFlags(program.command("did2s").description("two-stage DID (Gardner 2021) with did2s's GMM-corrected clustered errors"))
    .requiredOption("--treat <column>", "0/1 treatment indicator")
    .option("--event", "event-study second stage (needs --cohort)")
    .option("--cohort <column>", "first treated period, for --event")
    .option("--ref <k>", "omitted reference period for --event (default -1)", integer("--ref"))
    .option("--window <lo:hi>", "relative periods kept for --event", range("--window"))
    .option("--bin <k>", "group periods beyond +-k for --event", positiveInteger("--bin"))
    .option("--cluster <column>", "cluster variable (default: the unit)")
    .option("--weights <column>", "analytic weights")
    .option("--never <value>", "cohort value meaning never treated")
    .option("--plot <file.svg>", "write the event-study plot (with --event)")
    .action((data: string, o: Flags) => runCommand(io, "did2s", data, o));
}
