// didwasm eventstudy DATA --y --unit --time --cohort [--controls a,b] [--window -7:7] [--bin 5] [--ref -1]
//   [--vcov V] [--plot FILE.svg] [--json]
import type { Command } from "commander";
import { eventStudy } from "../../bindings/estimators/did/event-study.js";
import { eventStudyText } from "../../bindings/present/did-text.js";
import { coefPlotSvg } from "../../bindings/present/svg/coefplot.js";
import { neverValue, panelFlags, writePlot, type PanelFlags } from "../did-options.js";
import { printJson, readData, round3, type Io } from "../io.js";
import { integer, positiveInteger, range } from "../options.js";

interface Flags extends PanelFlags {
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
    .action((data: string, o: Flags) => {
      const { frame, ms } = readData(data, o.delimiter);
      const t0 = performance.now();
      const r = eventStudy(frame, {
        y: o.y, unit: o.unit, time: o.time, cohort: o.cohort, controls: o.controls, window: o.window, bin: o.bin, ref: o.ref,
        vcov: o.vcov, weights: o.weights, never: neverValue(o.never), subset: o.subset, backend: o.backend, tol: o.tol, maxIter: o.maxIter,
      });
      const fitMs = performance.now() - t0;
      if (o.plot) writePlot(o.plot, coefPlotSvg(r.events, { ref: r.ref, title: `Event study: ${o.y}` }));
      if (o.json) printJson(io, { ...r.toJSON(), timing_ms: { read: round3(ms), fit: round3(fitMs) } });
      else io.out(eventStudyText(r));
    });
}
