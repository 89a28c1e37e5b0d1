// didwasm honestdid: sensitivity of an event study to violations of parallel trends (HonestDiD's
// relative-magnitude and smoothness bounds), from a regression with an i() term fitted here, or from any
// event-study estimator's saved JSON (--from: its event_vcov).
import { DidwasmError } from "../errors.js";
import { eventStudyOf } from "../estimators/honestdid/event-study-input.js";
import { honestSensitivity } from "../estimators/honestdid/sensitivity.js";
import { warning, type Note } from "../notes.js";
import { honestDidText } from "../present/honestdid-text.js";
import { sensitivityPlotSvg } from "../present/svg/sensitivity-plot.js";
import { eventStudySourceOptions, loadEventStudy } from "./event-study-source.js";
import { opt } from "./schema/define.js";
import type { ParsedValues } from "./schema/types.js";
import { defineCommand, type FigureText } from "./types.js";

/** The conditional tests are inverted on a grid; the fixed-length interval (SD's default) has none. */
const usesGrid = (o: ParsedValues) => !(o.delta === "sd" && (o.method === undefined || o.method === "flci"));

export const honestdidCommand = defineCommand({
  name: "honestdid",
  summary: "HonestDiD sensitivity of an event study to violations of parallel trends: relative-magnitude (Delta^RM, C-LF) and smoothness (Delta^SD, FLCI) bounds, breakdown value, sensitivity plot",
  example: '--formula "y ~ i(year, D, ref = 2013) | unit + year" --vcov cluster:unit --num-pre 5 --num-post 2 --delta rm --mbar 0.5,1,1.5,2',
  conventions: [
    "HonestDiD 0.2.8's methods and defaults: C-LF for Delta^RM (kappa = alpha / 10, its least-favourable critical value from the same 1,000 draws after set.seed(0)), FLCI for Delta^SD, a 1,000-point grid over 20 standard errors",
    "the FLCI's critical value is the exact folded-normal quantile (HonestDiD simulates it from 10^6 draws: differences of about 1e-3 relative)",
    "a sigma that is not positive semidefinite is refused (HonestDiD warns and continues)",
    "--from takes any event-study result saved with --json (eventstudy, sunab, did2s --event, csdid: their event_vcov); pre-periods are the negative event times",
  ],
  phase: "fit",
  fileInstead: "from",
  defaultWasmTiers: true,
  options: {
    ...eventStudySourceOptions("an event-study result saved with --json (its event_vcov: eventstudy, sunab, did2s --event, csdid) instead of DATA and --formula; on the command line a file, in run() its JSON text"),
    numPre: opt.integer({ label: "Pre-periods", help: "number of pre-period coefficients (default: the event times before the formula's ref = r, or the negative event times of --from)", min: 1, max: 10_000 }),
    numPost: opt.integer({ label: "Post-periods", help: "number of post-period coefficients (default: the rest)", min: 1, max: 10_000 }),
    delta: opt.choice(["rm", "sd"] as const)({
      label: "Restriction", help: "rm: relative magnitudes (post-period violations at most Mbar x the largest pre-period one); sd: smoothness (the slope of the trend changes by at most M per period)", default: "rm",
      web: { choiceLabels: { rm: "Relative magnitudes (Delta^RM)", sd: "Smoothness (Delta^SD)" } },
    }),
    mbar: opt.numbers({
      label: "Mbar values", help: "bounds Mbar of Delta^RM", defaultText: "0.5,1,1.5,2", min: 0,
      appliesWhen: (o) => (o.delta !== "rm" ? "applies only with {delta} rm (give --m with sd)" : null),
    }),
    m: opt.numbers({
      label: "M values", help: "bounds M of Delta^SD", defaultText: "10 values from 0 to the pre-periods' 95% upper bound on a second difference (HonestDiD's)", min: 0,
      appliesWhen: (o) => (o.delta !== "sd" ? "applies only with {delta} sd (give --mbar with rm)" : null),
    }),
    lVec: opt.numbers({ label: "Target weights", help: "weights l of the target l'tau over the post-periods, e.g. 0.5,0.5 for the average of two (default: the first post-period)" }),
    method: opt.choice(["c-lf", "arp", "flci"] as const)({
      label: "Method", help: "c-lf: conditional-least-favourable hybrid; arp: conditional test (HonestDiD's Conditional); flci: fixed-length interval (sd only)", defaultText: "c-lf with rm, flci with sd",
      appliesWhen: (o) => (o.method === "flci" && o.delta === "rm" ? "flci applies only with {delta} sd" : null),
    }),
    alpha: opt.number({ label: "Significance level", help: "1 - the confidence level of every interval", default: 0.05, min: 0, max: 0.5, minExclusive: true, maxExclusive: true, web: { advanced: true } }),
    gridPoints: opt.integer({
      label: "Grid points", help: "values of theta the conditional tests are inverted on", default: 1000, min: 10, max: 100_000, web: { advanced: true },
      appliesWhen: (o) => (usesGrid(o) ? null : "applies only to the conditional tests (method c-lf or arp), not to the FLCI"),
    }),
  },
  output: {},
  figure: "write the sensitivity plot (the original interval and the robust set for each bound)",
  async execute(frame, o) {
    const src = loadEventStudy(frame, o);
    const notes: Note[] = [...src.notes];
    const n = src.betahat.length;
    const numPre = o.numPre ?? src.numPre;
    if (numPre === null) {
      throw new DidwasmError("BAD_OPTION", `give num-pre: the formula's i() term has no numeric ref = r to tell the ${n} coefficients' pre-periods from the post-periods`, { option: "numPre" });
    }
    const numPost = o.numPost ?? n - numPre;
    const gap = src.eventTimes ? gapNote(src.eventTimes) : null;
    if (gap) notes.push(gap);
    const input = eventStudyOf({ betahat: src.betahat, sigma: src.sigma, numPre, numPost, l: o.lVec ?? null, source: "the event study" });
    notes.push(...input.notes);
    const es = input.es;
    const r = await honestSensitivity(es, { delta: o.delta, m: o.delta === "rm" ? o.mbar : o.m, method: o.method, alpha: o.alpha, gridPoints: o.gridPoints });
    notes.push(...r.notes);
    const l = Array.from(es.l);
    const json = {
      source: o.from !== undefined ? "from" : "formula",
      ...(o.formula !== undefined ? { formula: o.formula } : {}),
      delta: r.robust[0].delta,
      method: r.method,
      alpha: r.alpha,
      num_pre: numPre,
      num_post: numPost,
      l_vec: l,
      event_times: src.eventTimes,
      original: r.original,
      robust: r.robust,
      breakdown: r.breakdown,
      betahat: src.betahat,
      sigma: src.sigma,
    };
    return {
      json,
      text: honestDidText({ result: { ...r, notes }, numPre, numPost, l, eventTimes: src.eventTimes }),
      figure: (words?: FigureText) => sensitivityPlotSvg(r, { text: words?.sensitivity }),
      notes,
    };
  },
});

/** The restrictions treat the coefficients as consecutive periods, the reference period (left out) among
 *  them: more than one missing period (a coefficient dropped as collinear, a thinned window) is said. */
function gapNote(times: readonly number[]): Note | null {
  let missing = 0;
  for (let i = 1; i < times.length; i++) missing += Math.max(0, times[i] - times[i - 1] - 1);
  if (missing <= 1) return null;
  return warning("method", `the event times (${times.join(", ")}) miss ${missing} periods (one of them may be the reference period): HonestDiD's bounds treat the coefficients as consecutive periods, so read them with care`);
}
