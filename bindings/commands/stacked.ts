// didwasm stacked: stacked DID with the corrective weights of Wing, Freedman and Hollingsworth (2024).
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const stackedCommand = defineCommand({
  name: "stacked",
  summary: "stacked DID (Wing, Freedman and Hollingsworth 2024): one sub-experiment per cohort with clean controls over an event window, corrective weights, static ATT and event-time effects",
  example: "--y y --unit id --time year --cohort first_treat --window -3:3",
  conventions: [
    "fixed effects sub-experiment x unit and sub-experiment x period; event-time coefficients relative to -1 and a static ATT (treated x post); clustered by the original unit",
    "corrective weights: treated 1, a control of sub-experiment a at event time e (N^D_ae/N^D_e)/(N^C_ae/N^C_e) (observation counts, as the authors' code); cohorts whose window leaves the panel are dropped with a note",
  ],
  phase: "fit",
  options: {
    ...shared.panel,
    cohort: { ...shared.cohort, required: false, requiredUnless: "treat", help: `${shared.cohort.help}; or give --treat and it is derived from the treatment's first 1` },
    treat: opt.column({
      label: "Treatment indicator (instead of a cohort)", help: "0/1 treatment, on from the unit's first treated period: the cohort is derived from it",
      web: { prefer: "binary", hidden: true }, appliesWhen: (o) => (o.cohort !== undefined ? "cannot be given with {cohort}: give one of them" : null),
    }),
    window: { ...shared.window, required: true, help: "event window -K:L around each cohort's adoption (K >= 1, L >= 0); cohorts whose window leaves the panel are dropped" },
    cleanControls: opt.choice(["notyet", "never"] as const)({
      label: "Clean controls", help: "controls of each sub-experiment: never-treated and not yet treated by the window's end (notyet), or never-treated only (never)",
      default: "notyet",
    }),
    weighting: opt.choice(["corrective", "none"] as const)({
      label: "Weighting", help: "corrective: the paper's weights, so the estimate is the trimmed aggregate ATT; none: the unweighted stacked regression",
      default: "corrective",
    }),
    controls: shared.controls,
    cluster: opt.column({ label: "Cluster by", help: "cluster variable of the standard errors", defaultText: "the unit", web: { prefer: "id" } }),
    subset: shared.subset,
    never: { ...shared.never, appliesWhen: (o) => (o.cohort === undefined ? "applies only with {cohort}" : null) },
    backend: shared.backend,
    threads: shared.threads,
  },
  output: {},
  figure: "write the event-study plot (event-time coefficients, reference -1)",
  async execute(frame, o) {
    // Loaded on first use, so that the CLI and the web page do not load every estimator at start.
    const [{ stacked }, { stackedText }] = await Promise.all([import("../estimators/did/stacked.js"), import("../present/stacked-text.js")]);
    const r = stacked(frame, o);
    const figure = () => coefPlotSvg(r.event, { ref: -1, title: `Stacked DID: ${o.y}` });
    return { json: r.toJSON(), text: stackedText(r), figure, notes: r.notes };
  },
});
