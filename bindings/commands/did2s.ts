// didwasm did2s: Gardner's two-stage DID with did2s's GMM-corrected clustered standard errors.
import { twoStage } from "../estimators/did/two-stage.js";
import { twoStageText } from "../present/did-text.js";
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

const eventOnly = (o: Readonly<Record<string, unknown>>) => (o.event === true ? null : "applies only with {event}");

export const did2sCommand = defineCommand({
  name: "did2s",
  summary: "two-stage DID (Gardner 2021): fixed effects from untreated observations, then the effect, with did2s's GMM-corrected clustered errors",
  example: "--y lemp --unit countyreal --time year --treat treat_post --event --cohort first_treat",
  phase: "fit",
  options: {
    ...shared.panel,
    treat: shared.treat,
    controls: shared.controls,
    event: opt.flag({ label: "Event-study second stage", help: "event-study second stage (needs --cohort)" }),
    cohort: { ...shared.cohort, required: false, appliesWhen: eventOnly },
    ref: { ...shared.ref, appliesWhen: eventOnly },
    window: { ...shared.window, appliesWhen: eventOnly },
    bin: { ...shared.bin, appliesWhen: eventOnly },
    never: { ...shared.never, appliesWhen: eventOnly },
    cluster: opt.column({ label: "Cluster by", help: "cluster variable of the GMM variance", defaultText: "the unit", web: { prefer: "id" } }),
    weights: shared.weights,
    subset: shared.subset,
    backend: shared.backend,
    threads: shared.threads,
  },
  output: {},
  figure: "write the event-study plot (with --event)",
  figureWhen: eventOnly,
  async execute(frame, o) {
    const r = twoStage(frame, o);
    const figure = o.event ? () => coefPlotSvg(r.coefficients as never, { ref: o.ref, title: `did2s event study: ${o.y}` }) : undefined;
    return { json: r.toJSON(), text: twoStageText(r), figure, notes: r.notes };
  },
});
