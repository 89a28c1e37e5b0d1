// didwasm csdid: Callaway-Sant'Anna group-time ATTs and their aggregations.
import { EST_METHODS } from "../estimators/did/cs-panel-2x2.js";
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

/** Most multiplier-bootstrap replicates (each costs one pass over the units' influence functions). */
const MAX_BOOTSTRAP = 1_000_000;

export const csdidCommand = defineCommand({
  name: "csdid",
  summary: "Callaway-Sant'Anna ATT(g,t), with covariates by doubly robust, IPW or outcome regression; simple/dynamic/group/calendar aggregations, multiplier-bootstrap bands",
  example: "--y lemp --unit countyreal --time year --cohort first_treat --control-group notyet --bootstrap 999 --seed 1",
  phase: "fit",
  options: {
    ...shared.panel,
    cohort: shared.cohort,
    controls: { ...shared.controls, help: "covariates, comma-separated, taken at each comparison's earlier period (the base period after treatment), as the did package does" },
    estMethod: opt.choice(EST_METHODS)({
      label: "Estimation method",
      help: "2x2 estimator per group-time cell: dr (doubly robust, the did package's default), dr-imp (improved doubly robust: tilting propensity, weighted outcome regression), ipw, reg (outcome regression)",
      default: "dr", appliesWhen: (o) => (!Array.isArray(o.controls) || o.controls.length === 0 ? "needs {controls}: without covariates every method gives the same cell means" : null),
      web: { choiceLabels: { dr: "Doubly robust", "dr-imp": "Doubly robust (improved)", ipw: "Inverse probability weighting", reg: "Outcome regression" } },
    }),
    anticipation: opt.integer({ label: "Anticipation periods", help: "periods before its start in which a cohort may already react: the base period moves back by this many", default: 0, min: 0, web: { advanced: true } }),
    panel: opt.flag({
      label: "Panel", help: "true: a balanced panel (units followed over time); false: repeated cross sections, each row its own observation (the unit column then only has to keep the cohort constant)",
      default: true, web: { advanced: true },
    }),
    basePeriod: opt.choice(["varying", "universal"] as const)({
      label: "Base period", help: "varying (pre-period cells compare with the previous period) or universal (every cell compares with the last period before treatment)", default: "varying",
      web: { advanced: true, choiceLabels: { varying: "Varying", universal: "Universal" } },
    }),
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
    threads: { ...shared.threads, help: shared.TOUCH_THREADS_HELP },
    never: shared.never,
    backend: {
      ...shared.backend,
      help: "kernels of the panel's per-cell passes: wasm, or reference (the pure-TypeScript mirror; same numbers, slower)",
      appliesWhen: (o) => (o.panel === false ? "applies only to a panel ({panel} true): repeated cross sections run in TypeScript" : null),
    },
  },
  output: {},
  figure: "write the dynamic (event-time) effects plot",
  async execute(frame, o, env) {
    // Loaded on first use, so that the CLI and the web page do not load every estimator at start.
    const [{ callawaySantAnna }, { callawaySantAnnaText }] = await Promise.all([import("../estimators/did/callaway-santanna.js"), import("../present/did-text.js")]);
    const r = callawaySantAnna(frame, { ...o, seed: o.bootstrap ? (o.seed ?? env.pickSeed()) : undefined });
    const figure = () =>
      coefPlotSvg(r.dynamic.map((d) => ({ rel_time: d.e, estimate: d.att, conf_low: d.conf_low!, conf_high: d.conf_high! })), {
        ref: null, title: `Callaway-Sant'Anna dynamic effects: ${o.y}`, yLabel: `ATT and ${Math.round(100 * (1 - o.alpha))}% band`,
      });
    return { json: r.toJSON(), text: callawaySantAnnaText(r), figure, notes: r.notes };
  },
});
