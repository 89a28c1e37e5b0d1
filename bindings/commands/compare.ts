// didwasm compare: the event-time paths and overall ATTs of several staggered-DID estimators on one panel,
// in one table and one figure (the adapters: compare/adapters.ts).
import { compareText } from "../present/compare-text.js";
import { seriesPlotSvg } from "../present/svg/series-plot.js";
import { COMPARE_ADAPTERS } from "./compare/adapters.js";
import { runCompare } from "./compare/run-compare.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const compareCommand = defineCommand({
  name: "compare",
  summary: `estimators side by side: event-time effects and overall ATT of ${COMPARE_ADAPTERS.map((a) => a.label).join(", ")}, in one table and one figure`,
  example: "--y y --unit id --time year --cohort first_treat --plot compare.svg",
  conventions: [
    "each estimator runs with its own command's defaults (standard errors clustered by the unit); the 0/1 treatment of did2s, imputation and the static TWFE is derived from the cohort",
    "TWFE's overall number is the static two-way fixed-effects coefficient; did2s' and imputation's the ATT over treated observations; Sun-Abraham's its ATT; Callaway-Sant'Anna's the simple aggregation; ETWFE's emfx's simple ATT; stacked's the corrective-weighted ATT; dCDH's the average total effect per treatment unit",
    "ETWFE is clustered by the unit here (etwfe's own default clusters by the cohort); stacked uses the window -K:L (K, L at most 5) covering the most cohort-periods; dCDH estimates at most 6 effects and 5 placebos",
  ],
  phase: "fit",
  options: {
    ...shared.panel,
    cohort: shared.cohort,
    estimators: opt.texts({ label: "Estimators", help: `which to run, comma-separated (${COMPARE_ADAPTERS.map((a) => a.key).join(", ")})`, defaultText: "all" }),
  },
  output: {},
  figure: "write the event-time paths of all estimators in one plot (points offset within a period, 95% intervals, a legend)",
  async execute(frame, o, env) {
    const r = await runCompare(frame, o, env);
    const json = {
      estimators: r.estimators.map((e) => ({ key: e.key, label: e.label, overall: e.overall })),
      event: r.estimators.flatMap((e) => e.event.map((p) => ({ estimator: e.key, ...p }))),
    };
    const figure = () =>
      seriesPlotSvg(
        r.estimators.map((e) => ({ name: e.label, points: e.event.map((p) => ({ x: p.rel_time, estimate: p.estimate, conf_low: p.conf_low ?? undefined, conf_high: p.conf_high ?? undefined })) })),
        { title: `Event-time effects by estimator: ${o.y}` },
      );
    return { json, text: compareText(r), figure, notes: r.notes };
  },
});
