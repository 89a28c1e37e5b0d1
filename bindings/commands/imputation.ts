// didwasm imputation: Borusyak, Jaravel and Spiess's imputation estimator, with the paper's conservative
// (leave-out) standard errors and pre-trend test.
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const imputationCommand = defineCommand({
  name: "imputation",
  summary: "imputation DID (Borusyak, Jaravel and Spiess 2024): Y(0) from untreated observations' unit and period effects, effects overall and by horizon, conservative leave-out errors, pre-trend test",
  example: "--y lemp --unit countyreal --time year --treat treat_post --horizons all --pretrends 3",
  conventions: [
    "point estimates equal did2s's on the same model; standard errors are the paper's conservative ones (Theorem 3), leave-out by default, clustered by the unit, with normal p-values and intervals (as did_imputation)",
    "--pretrends K: a separate regression on the untreated observations with dummies for 1..K periods before treatment, F test on (K, G - 1) degrees of freedom",
  ],
  phase: "fit",
  options: {
    ...shared.panel,
    treat: shared.treat,
    controls: shared.controls,
    horizons: opt.text({
      label: "Horizons", help: 'event-time effects: "all", a range 0:5 (or 0..5), or a list 0,1,4 (periods since treatment started)',
      valueName: "all|lo:hi|a,b", web: { placeholder: "e.g. all or 0:5" },
    }),
    pretrends: opt.integer({ label: "Pre-trend periods", help: "pre-trend test with dummies for 1..K periods before treatment (untreated observations only)", min: 1, max: 10_000, web: { placeholder: "none" } }),
    wtr: opt.column({ label: "Estimand weights (wtr)", help: "weights of the treated observations in each average (default: equal), on top of --weights", web: { prefer: "numeric", advanced: true } }),
    cluster: opt.column({ label: "Cluster by", help: "cluster variable of the standard errors", defaultText: "the unit", web: { prefer: "id" } }),
    leaveOut: opt.flag({
      label: "Leave-out standard errors", help: "average effects leaving each cluster out when forming the residuals (the paper's recommendation; --no-leave-out: Theorem 3 as stated)",
      default: true, negatable: true, web: { advanced: true },
    }),
    avgEffectsBy: opt.choice(["cohort-time", "cohort", "horizon", "treated"] as const)({
      label: "Average effects by", help: "groups whose average effect the residuals use: cohort x period (default), cohort, horizon, or all treated observations (coarser when cohorts are small)",
      default: "cohort-time", web: { advanced: true },
    }),
    weights: shared.weights,
    subset: shared.subset,
    backend: shared.backend,
    threads: shared.threads,
  },
  output: {},
  figure: "write the event-study plot (effects by horizon, pre-trend coefficients before 0)",
  figureWhen: (o) => (o.horizons !== undefined || o.pretrends !== undefined ? null : "applies only with {horizons} or {pretrends}"),
  async execute(frame, o) {
    // Loaded on first use, so that the CLI and the web page do not load every estimator at start.
    const [{ imputation }, { imputationText }] = await Promise.all([import("../estimators/did/imputation.js"), import("../present/imputation-text.js")]);
    const r = imputation(frame, o);
    const points = [...(r.pretrends?.coefficients ?? []), ...r.event].map((e) => ({ rel_time: e.rel_time!, estimate: e.estimate, conf_low: e.conf_low, conf_high: e.conf_high }));
    const figure = points.length ? () => coefPlotSvg(points, { ref: null, title: `Imputation event study: ${o.y}` }) : undefined;
    return { json: r.toJSON(), text: imputationText(r), figure, notes: r.notes };
  },
});
