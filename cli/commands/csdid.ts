// didwasm csdid DATA --y --unit --time --cohort [--control-group never|notyet] [--bootstrap N --seed S] [--json]
import type { Command } from "commander";
import { callawaySantAnna } from "../../bindings/estimators/did/callaway-santanna.js";
import { callawaySantAnnaText } from "../../bindings/present/did-text.js";
import { coefPlotSvg } from "../../bindings/present/svg/coefplot.js";
import { neverValue, panelFlags, writePlot, type PanelFlags } from "../did-options.js";
import { printJson, readData, round3, type Io } from "../io.js";
import { oneOf, positiveInteger } from "../options.js";
import { resolveSeed } from "../seed.js";

interface Flags extends PanelFlags {
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
    .action((data: string, o: Flags) => {
      const { frame, ms } = readData(data, o.delimiter);
      const seed = o.bootstrap ? resolveSeed(o.seed, io) : undefined;
      const t0 = performance.now();
      const r = callawaySantAnna(frame, {
        y: o.y, unit: o.unit, time: o.time, cohort: o.cohort, controlGroup: o.controlGroup, bootstrap: o.bootstrap, seed,
        never: neverValue(o.never), subset: o.subset,
      });
      const fitMs = performance.now() - t0;
      if (o.plot) {
        const points = r.dynamic.map((d) => ({ rel_time: d.e, estimate: d.att, conf_low: d.conf_low!, conf_high: d.conf_high! }));
        writePlot(o.plot, coefPlotSvg(points, { ref: null, title: `Callaway-Sant'Anna dynamic effects: ${o.y}`, yLabel: "ATT and 95% band" }));
      }
      if (o.json) printJson(io, { ...r.toJSON(), timing_ms: { read: round3(ms), fit: round3(fitMs) } });
      else io.out(callawaySantAnnaText(r));
    });
}
