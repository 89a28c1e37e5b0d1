// didwasm bacon DATA --y --unit --time --treat [--controls a,b] [--plot FILE.svg] [--json]
import type { Command } from "commander";
import { panelFlags, type PanelFlags } from "../did-options.js";
import type { Io } from "../io.js";
import { runCommand } from "../run-command.js";

interface Flags extends PanelFlags {
  [key: string]: unknown;
  treat: string;
}

export function registerBacon(program: Command, io: Io): void {
  panelFlags(program.command("bacon").description("Goodman-Bacon decomposition of the TWFE DID estimate (balanced panels)"))
    .requiredOption("--treat <column>", "0/1 treatment indicator")
    .option("--plot <file.svg>", "write the estimate-vs-weight scatter plot")
    .action((data: string, o: Flags) => runCommand(io, "bacon", data, o));
}
