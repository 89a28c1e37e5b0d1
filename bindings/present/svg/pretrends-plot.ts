// The pre-trend power figure (the pretrends package's plot): the event-study estimates with 95% intervals,
// the hypothesised trend and the expected estimates after passing the pre-test, the reference period drawn
// at 0 on the two lines. Drawn from the command's result or from its JSON (`event` rows), in English unless
// the caller passes its own words.
import { fillText } from "./fill-text.js";
import { seriesPlotSvg } from "./series-plot.js";

/** One event time of the pretrends result. */
export interface PretrendsPlotRow {
  readonly t: number;
  readonly betahat: number;
  readonly se: number;
  readonly delta: number;
  readonly mean_after_pretesting: number | null;
}

export interface PretrendsPlotText {
  readonly title?: string;
  /** "Event time (reference period {reference})". */
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** The three series' names. */
  readonly estimate?: string;
  readonly trend?: string;
  readonly afterPretest?: string;
}

export const PRETRENDS_PLOT_EN: Required<PretrendsPlotText> = {
  title: "Event study, hypothesised trend and expectation after pre-testing",
  xLabel: "Event time (reference period {reference})",
  yLabel: "Estimate and 95% CI",
  estimate: "Estimate",
  trend: "Hypothesised trend",
  afterPretest: "Expected after pre-testing",
};

export function pretrendsPlotSvg(rows: readonly PretrendsPlotRow[], reference: number, text: PretrendsPlotText = {}): string {
  const t = { ...PRETRENDS_PLOT_EN, ...text };
  const withRef = (pts: Array<{ x: number; estimate: number }>) => [...pts, { x: reference, estimate: 0 }];
  return seriesPlotSvg(
    [
      { name: t.estimate, points: rows.map((x) => ({ x: x.t, estimate: x.betahat, conf_low: x.betahat - 1.96 * x.se, conf_high: x.betahat + 1.96 * x.se })) },
      { name: t.trend, line: "solid", points: withRef(rows.map((x) => ({ x: x.t, estimate: x.delta }))) },
      ...(rows.every((x) => x.mean_after_pretesting !== null)
        ? [{ name: t.afterPretest, line: "dashed" as const, points: withRef(rows.map((x) => ({ x: x.t, estimate: x.mean_after_pretesting! }))) }]
        : []),
    ],
    { title: t.title, xLabel: fillText(t.xLabel, { reference }), yLabel: t.yLabel, dodge: 0, treatmentLine: false },
  );
}
