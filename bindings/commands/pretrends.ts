// didwasm pretrends: power of the pre-trends test against a hypothesised violation of parallel trends
// (Roth 2022; the pretrends R package), from a regression with an i() term fitted here or from any
// event-study result saved with --json (its event_vcov), as honestdid reads them.
import { DidwasmError } from "../errors.js";
import { pretrends } from "../estimators/did/pretrends.js";
import type { Note } from "../notes.js";
import { pretrendsText } from "../present/pretrends-text.js";
import { pretrendsPlotSvg } from "../present/svg/pretrends-plot.js";
import { eventStudySourceOptions, loadEventStudy } from "./event-study-source.js";
import { opt } from "./schema/define.js";
import { defineCommand, type FigureText } from "./types.js";

export const pretrendsCommand = defineCommand({
  name: "pretrends",
  summary: "power of the pre-trends test (Roth 2022): power against a hypothesised trend, the slopes detected with 50% and 80% power, Bayes factor, likelihood ratio, expected estimates (bias) after passing the pre-test",
  example: '--from eventstudy.json --slope 0.05',
  conventions: [
    "the pretrends R package's definitions: the pre-test rejects when any pre-period coefficient has |t| > 1.96; power is one minus the normal probability of that box; slope_for_power solves power(slope) = target on [0, 8 max se]",
    "probabilities are integrated deterministically (tanh-sinh, accurate to about 1e-8) up to 4 pre-periods and by a seeded lattice rule (about 1e-4) beyond; the package's mvtnorm default is randomised (about 1e-3)",
    "without --slope or --delta the hypothesised trend is the linear one the pre-test detects half the time (as the package's README)",
    "--from takes any event-study result saved with --json (eventstudy, sunab, did2s --event, csdid, imputation: their event_vcov); the reference period is -1 unless --reference says otherwise",
  ],
  phase: "fit",
  fileInstead: "from",
  options: {
    ...eventStudySourceOptions("an event-study result saved with --json (its event_vcov) instead of DATA and --formula; on the command line a file, in run() its JSON text"),
    reference: opt.number({ label: "Reference period", help: "the omitted period the coefficients are measured against; coefficients before it are the pre-periods", defaultText: "the formula's ref = r, or -1 with --from" }),
    slope: opt.number({
      label: "Trend slope", help: "hypothesised linear violation delta_t = slope x (t - reference)", defaultText: "the slope of 50% power",
      appliesWhen: (o) => (o.delta !== undefined ? "cannot be given with {delta}: give one of them" : null),
    }),
    delta: opt.numbers({ label: "Trend vector", help: "hypothesised violation, one value per coefficient in event-time order (e.g. a quadratic trend)" }),
    power: opt.numbers({ label: "Target powers", help: "powers whose slopes of a linear trend are reported", defaultText: "0.5,0.8", min: 0, max: 1 }),
    z: opt.number({ label: "Pre-test critical value", help: "a pre-period coefficient is significant when |t| exceeds this", default: 1.96, min: 0, minExclusive: true, web: { advanced: true } }),
  },
  output: {},
  figure: "write the event plot: estimates with 95% intervals, the hypothesised trend and the expected estimates after pre-testing",
  async execute(frame, o) {
    const src = loadEventStudy(frame, o);
    const notes: Note[] = [...src.notes];
    if (src.eventTimes === null) throw new DidwasmError("BAD_DATA", "--from: the saved result does not record the coefficients' event times (event_times): save an event study with --json");
    const reference = o.reference ?? src.reference;
    if (reference === null) throw new DidwasmError("BAD_OPTION", "give reference: the formula's i() term has no numeric ref = r", { option: "reference" });
    const r = pretrends({ betahat: src.betahat, sigma: src.sigma, eventTimes: src.eventTimes, reference, delta: o.delta, slope: o.slope, powers: o.power, z: o.z });
    notes.push(...r.notes);
    const json = {
      source: o.from !== undefined ? "from" : "formula",
      ...(o.formula !== undefined ? { formula: o.formula } : {}),
      reference: r.reference,
      z: r.z,
      trend: r.trend,
      power: r.power,
      power_error: Number.isFinite(r.power_error) ? r.power_error : null,
      bayes_factor: r.bayes_factor,
      likelihood_ratio: r.likelihood_ratio,
      slopes_for_power: r.slopes_for_power,
      event: r.rows,
    };
    // Event times as the package plots them, the reference period drawn at 0 on the trend and the mean.
    const figure = (words?: FigureText) => pretrendsPlotSvg(r.rows, reference, words?.pretrends);
    return { json, text: pretrendsText({ ...r, notes }), figure, notes };
  },
});
