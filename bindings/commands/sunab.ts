// didwasm sunab: Sun-Abraham interaction-weighted event study (fixest's sunab).
import { sunAbraham } from "../estimators/did/sun-abraham.js";
import { sunAbrahamText } from "../present/did-text.js";
import { coefPlotSvg } from "../present/svg/coefplot.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const sunabCommand = defineCommand({
  name: "sunab",
  summary: "Sun-Abraham cohort x period effects aggregated per relative period and to an ATT (fixest's sunab)",
  example: "--y lemp --unit countyreal --time year --cohort first_treat",
  conventions: ["with weights, the per-period and ATT aggregates weight cohort-period cells by their sums of weights (fixest's aggregate)"],
  phase: "fit",
  options: {
    ...shared.panel,
    cohort: shared.cohort,
    controls: shared.controls,
    vcov: shared.vcov("cluster by the unit"),
    ref: shared.ref,
    weights: shared.weights,
    subset: shared.subset,
    never: shared.never,
    backend: shared.backend,
    threads: shared.threads,
  },
  output: {},
  figure: "write the plot of the per-period effects",
  async execute(frame, o) {
    const r = sunAbraham(frame, o);
    return { json: r.toJSON(), text: sunAbrahamText(r), figure: () => coefPlotSvg(r.periods, { ref: o.ref, title: `Sun-Abraham: ${o.y}` }), notes: r.notes };
  },
});
