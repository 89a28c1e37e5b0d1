// didwasm etwfe: Wooldridge's extended TWFE (the R package etwfe's etwfe() + emfx()).
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const etwfeCommand = defineCommand({
  name: "etwfe",
  summary: "Wooldridge's extended TWFE: cohort x period treatment cells (controls demeaned by cohort and interacted), aggregated to simple, cohort, calendar or event-time effects with delta-method errors (R's etwfe + emfx); OLS or Poisson",
  example: "--y lemp --unit countyreal --time year --cohort first.treat --controls lpop --vcov cluster:countyreal --aggregate event",
  conventions: [
    "the regression etwfe writes: y ~ .Dtreat:i(cohort, i.time) / x_dm + x + i(cohort, x) + i(time, x) | cohort + time, x_dm the controls demeaned within cohort",
    "default standard errors as fixest's for that model: clustered by the cohort (the first fixed effect; etwfe's default too, few clusters), iid with --fe none or --family poisson; pass --vcov cluster:UNIT as etwfe's README does",
    "effects are emfx's: averages over treated observations (each weighing one) of the effect of switching the treatment on, delta-method standard errors, normal p-values and intervals; Poisson on the response scale",
    "always-treated units are dropped; without never-treated units the not-yet-treated comparison uses the last cohort as controls and leaves out the periods from its treatment on (etwfe's gref)",
  ],
  phase: "fit",
  options: {
    ...shared.panel,
    cohort: opt.column({ label: "Cohort (first treated period)", help: "first treated period (0, empty or beyond the panel = never treated); or give --treat", web: { prefer: "id" } }),
    treat: opt.column({ label: "Treatment indicator", help: "0/1 treatment that stays on once it starts, instead of --cohort", web: { prefer: "binary", advanced: true } }),
    controls: { ...shared.controls, help: "control columns, comma-separated: demeaned within cohort and interacted with the treatment cells, cohorts and periods" },
    aggregate: opt.choice(["simple", "group", "calendar", "event"] as const)({
      label: "Aggregation", help: "emfx's type: simple (one ATT), group (by cohort), calendar (by period), event (by time since treatment; with --cgroup never also before it)", default: "simple",
      web: { choiceLabels: { simple: "Overall ATT", group: "By cohort", calendar: "By calendar period", event: "Event study" } },
    }),
    cgroup: opt.choice(["notyet", "never"] as const)({
      label: "Control group", help: "notyet (not-yet-treated and never-treated observations) or never (never-treated units only; pre-treatment cells are estimated too)", default: "notyet",
      web: { choiceLabels: { notyet: "Not yet treated", never: "Never treated" } },
    }),
    fe: opt.choice(["feo", "vs", "none"] as const)({
      label: "Fixed effects", help: "feo (cohort and period fixed effects), vs (the controls' cohort and period terms as varying slopes), none (cohort and period dummies); same estimates, the parameter count (small-sample factor) and default errors differ",
      defaultText: "feo (gaussian), none (poisson)", web: { advanced: true },
    }),
    family: opt.choice(["gaussian", "poisson"] as const)({ label: "Family", help: "gaussian (least squares) or poisson (effects on the response scale)", default: "gaussian" }),
    vcov: shared.vcov("cluster by the cohort with fixed effects, else iid (fixest's default); iid, hetero or cluster:VAR"),
    subset: shared.subset,
    never: { ...shared.never, appliesWhen: (o) => (o.cohort === undefined ? "applies only with {cohort}" : null) },
    threads: { ...shared.threads, help: shared.TOUCH_THREADS_HELP },
    backend: shared.backend,
  },
  output: {},
  figure: "write the plot of the effects by event time",
  figureWhen: (o) => (o.aggregate === "event" ? null : "applies only with --aggregate event"),
  async execute(frame, o) {
    // Loaded on first use, so that the CLI and the web page do not load every estimator at start.
    const [{ etwfe }, { etwfeText }] = await Promise.all([import("../estimators/did/etwfe.js"), import("../present/etwfe-text.js")]);
    const r = etwfe(frame, o);
    const figure = r.event
      ? () => coefPlotSvg(r.event!.map((e) => ({ rel_time: e.rel_time!, estimate: e.estimate, conf_low: e.conf_low, conf_high: e.conf_high })), { ref: r.cgroup === "never" ? -1 : null, title: `Extended TWFE: ${o.y}` })
      : undefined;
    return { json: r.toJSON(), text: etwfeText(r), figure, notes: r.notes };
  },
});
