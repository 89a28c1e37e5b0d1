// didwasm csdid: Callaway-Sant'Anna group-time ATTs and their aggregations.
import { callawaySantAnna } from "../estimators/did/callaway-santanna.js";
import { callawaySantAnnaText } from "../present/did-text.js";
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

/** Most multiplier-bootstrap replicates (each costs one pass over the units' influence functions). */
const MAX_BOOTSTRAP = 1_000_000;

export const csdidCommand = defineCommand({
  name: "csdid",
  summary: "Callaway-Sant'Anna ATT(g,t) without covariates (cell means), simple/dynamic/group/calendar aggregations, multiplier-bootstrap bands",
  example: "--y lemp --unit countyreal --time year --cohort first_treat --control-group notyet --bootstrap 999 --seed 1",
  phase: "fit",
  options: {
    ...shared.panel,
    cohort: shared.cohort,
    controls: {
      ...shared.controls,
      refused: "Callaway-Sant'Anna with covariates (doubly robust, IPW, outcome regression) is not implemented yet; this command estimates ATT(g,t) without covariates. Run it without controls, or use did2s or sunab, which take controls",
    },
    controlGroup: opt.choice(["never", "notyet"] as const)({
      label: "Control group", help: "never (never-treated units) or notyet (not-yet-treated units)", default: "never",
      web: { choiceLabels: { never: "Never treated", notyet: "Not yet treated" } },
    }),
    bootstrap: opt.integer({
      label: "Bootstrap replicates", help: "multiplier-bootstrap replicates for standard errors and uniform bands (default: analytic standard errors)",
      min: 1, max: MAX_BOOTSTRAP, web: { advanced: true, placeholder: "none (analytic)" },
    }),
    seed: { ...shared.seed, appliesWhen: (o) => (o.bootstrap === undefined ? "applies only with {bootstrap}" : null), web: { advanced: true } },
    alpha: opt.number({ label: "Significance level", help: "significance level of the bands and intervals", default: 0.05, min: 0, max: 1, minExclusive: true, maxExclusive: true, web: { advanced: true } }),
    subset: shared.subset,
    never: shared.never,
  },
  output: {},
  figure: "write the dynamic (event-time) effects plot",
  async execute(frame, o, env) {
    const r = callawaySantAnna(frame, { ...o, seed: o.bootstrap ? (o.seed ?? env.pickSeed()) : undefined });
    const figure = () =>
      coefPlotSvg(r.dynamic.map((d) => ({ rel_time: d.e, estimate: d.att, conf_low: d.conf_low!, conf_high: d.conf_high! })), {
        ref: null, title: `Callaway-Sant'Anna dynamic effects: ${o.y}`, yLabel: `ATT and ${Math.round(100 * (1 - o.alpha))}% band`,
      });
    return { json: r.toJSON(), text: callawaySantAnnaText(r), figure, notes: r.notes };
  },
});
