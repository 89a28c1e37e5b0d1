// didwasm sunab DATA --y --unit --time --cohort [--controls a,b] [--vcov V] [--plot FILE.svg] [--json]
import type { Command } from "commander";
import { sunAbraham } from "../../bindings/estimators/did/sun-abraham.js";
import { sunAbrahamText } from "../../bindings/present/did-text.js";
import { coefPlotSvg } from "../../bindings/present/svg/coefplot.js";
import { neverValue, panelFlags, writePlot, type PanelFlags } from "../did-options.js";
import { printJson, readData, round3, type Io } from "../io.js";
import { integer } from "../options.js";

interface Flags extends PanelFlags {
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
    .action((data: string, o: Flags) => {
      const { frame, ms } = readData(data, o.delimiter);
      const t0 = performance.now();
      const r = sunAbraham(frame, {
        y: o.y, unit: o.unit, time: o.time, cohort: o.cohort, controls: o.controls, ref: o.ref, vcov: o.vcov, weights: o.weights,
        never: neverValue(o.never), subset: o.subset, backend: o.backend, tol: o.tol, maxIter: o.maxIter,
      });
      const fitMs = performance.now() - t0;
      if (o.plot) writePlot(o.plot, coefPlotSvg(r.periods, { ref: o.ref ?? -1, title: `Sun-Abraham: ${o.y}` }));
      if (o.json) printJson(io, { ...r.toJSON(), timing_ms: { read: round3(ms), fit: round3(fitMs) } });
      else io.out(sunAbrahamText(r));
    });
}
