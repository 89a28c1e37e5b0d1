// didwasm eventstudy: two-way fixed effects on relative-time dummies, pre-trend test, coefficient plot.
import { eventStudy } from "../estimators/did/event-study.js";
import { eventStudyText } from "../present/did-text.js";
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const eventstudyCommand = defineCommand({
  name: "eventstudy",
  summary: "event study: relative-time dummies with unit and period fixed effects, pre-trend Wald test, coefficient plot",
  example: "--y y --unit id --time year --cohort first_treat --window -5:5 --plot es.svg",
  phase: "fit",
  options: {
    ...shared.panel,
    cohort: { ...shared.cohort, required: false, requiredUnless: "treat", help: `${shared.cohort.help}; or give --treat and it is derived from the treatment's first 1` },
    treat: opt.column({
      label: "Treatment indicator (instead of a cohort)", help: "0/1 treatment, on from the unit's first treated period: the cohort is derived from it (as placebo does)",
      web: { prefer: "binary", hidden: true }, appliesWhen: (o) => (o.cohort !== undefined ? "cannot be given with {cohort}: give one of them" : null),
    }),
    controls: shared.controls,
    vcov: shared.vcov("cluster by the unit"),
    window: shared.window,
    bin: shared.bin,
    ref: shared.ref,
    weights: shared.weights,
    subset: shared.subset,
    never: { ...shared.never, appliesWhen: (o) => (o.cohort === undefined ? "applies only with {cohort}" : null) },
    backend: shared.backend,
    threads: shared.threads,
  },
  output: {},
  figure: "write the coefficient plot",
  async execute(frame, o) {
    const r = eventStudy(frame, o);
    return { json: r.toJSON(), text: eventStudyText(r), figure: () => coefPlotSvg(r.events, { ref: r.ref, bin: r.bin, title: `Event study: ${o.y}` }), notes: r.notes };
  },
});
