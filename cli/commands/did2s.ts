// didwasm did2s DATA --y --unit --time --treat [--controls a,b] [--event --cohort G] [--cluster C] [--json]
import type { Command } from "commander";
import { twoStage } from "../../bindings/estimators/did/two-stage.js";
import { twoStageText } from "../../bindings/present/did-text.js";
import { coefPlotSvg } from "../../bindings/present/svg/coefplot.js";
import { neverValue, panelFlags, writePlot, type PanelFlags } from "../did-options.js";
import { printJson, readData, round3, type Io } from "../io.js";
import { integer, positiveInteger, range } from "../options.js";

interface Flags extends PanelFlags {
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
    .action((data: string, o: Flags) => {
      const { frame, ms } = readData(data, o.delimiter);
      const t0 = performance.now();
      const r = twoStage(frame, {
        y: o.y, unit: o.unit, time: o.time, treat: o.treat, controls: o.controls, event: o.event, cohort: o.cohort, ref: o.ref,
        window: o.window, bin: o.bin, cluster: o.cluster, weights: o.weights, never: neverValue(o.never), subset: o.subset,
        backend: o.backend, tol: o.tol, maxIter: o.maxIter,
      });
      const fitMs = performance.now() - t0;
      if (o.plot && o.event) writePlot(o.plot, coefPlotSvg(r.coefficients as any, { ref: o.ref ?? -1, title: `did2s event study: ${o.y}` }));
      if (o.json) printJson(io, { ...r.toJSON(), timing_ms: { read: round3(ms), fit: round3(fitMs) } });
      else io.out(twoStageText(r));
    });
}
