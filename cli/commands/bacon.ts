// didwasm bacon DATA --y --unit --time --treat [--controls a,b] [--plot FILE.svg] [--json]
import type { Command } from "commander";
import { bacon } from "../../bindings/estimators/did/bacon.js";
import { baconText } from "../../bindings/present/did-text.js";
import { scatterSvg } from "../../bindings/present/svg/scatter.js";
import { panelFlags, writePlot, type PanelFlags } from "../did-options.js";
import { printJson, readData, round3, type Io } from "../io.js";

interface Flags extends PanelFlags {
  treat: string;
}

export function registerBacon(program: Command, io: Io): void {
  panelFlags(program.command("bacon").description("Goodman-Bacon decomposition of the TWFE DID estimate (balanced panels)"))
    .requiredOption("--treat <column>", "0/1 treatment indicator")
    .option("--plot <file.svg>", "write the estimate-vs-weight scatter plot")
    .action((data: string, o: Flags) => {
      const { frame, ms } = readData(data, o.delimiter);
      const t0 = performance.now();
      const r = bacon(frame, { y: o.y, unit: o.unit, time: o.time, treat: o.treat, controls: o.controls, subset: o.subset, backend: o.backend });
      const fitMs = performance.now() - t0;
      if (o.plot) {
        const points = r.pairs.map((p) => ({
          x: p.weight, y: p.estimate, group: p.type,
          tip: `${p.treated} vs ${p.untreated ?? "never"}: estimate ${p.estimate.toPrecision(4)}, weight ${p.weight.toPrecision(3)}`,
        }));
        writePlot(o.plot, scatterSvg(points, {
          title: "Goodman-Bacon decomposition", xLabel: "Weight", yLabel: "2x2 DID estimate",
          hLine: { y: r.twfe, label: `TWFE = ${r.twfe.toPrecision(4)}` },
        }));
      }
      if (o.json) printJson(io, { ...r.toJSON(), timing_ms: { read: round3(ms), fit: round3(fitMs) } });
      else io.out(baconText(r));
    });
}
