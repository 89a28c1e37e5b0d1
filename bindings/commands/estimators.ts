// The estimation commands: fit, eventstudy, bacon, did2s, sunab, csdid.
import { bacon } from "../estimators/did/bacon.js";
import { callawaySantAnna } from "../estimators/did/callaway-santanna.js";
import { eventStudy } from "../estimators/did/event-study.js";
import { sunAbraham } from "../estimators/did/sun-abraham.js";
import { twoStage } from "../estimators/did/two-stage.js";
import { feolsMulti } from "../estimators/feols.js";
import { baconText, callawaySantAnnaText, eventStudyText, sunAbrahamText, twoStageText } from "../present/did-text.js";
import { regressionText } from "../present/regression-text.js";
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { scatterSvg } from "../present/svg/scatter.js";
import { bool, common, int, list, need, num, oneOf, range, seedOf, str } from "./options.js";
import type { CommandSpec } from "./types.js";

const panel = (o: Readonly<Record<string, unknown>>) => ({ y: need(o, "y"), unit: need(o, "unit"), time: need(o, "time"), controls: list(o, "controls") });

export const fitCommand: CommandSpec = {
  name: "fit",
  phase: "fit",
  async execute(frame, o) {
    const fits = feolsMulti(frame, need(o, "formula"), { ...common(o), fixefRm: oneOf(o, "fixefRm", ["none", "singleton"] as const) });
    const warnings = fits.filter((f) => !f.converged).map((f) => f.notes.find((n) => n.startsWith("demeaning")) ?? "demeaning did not converge");
    return {
      json: fits.length === 1 ? fits[0].toJSON() : { models: fits.map((f) => f.toJSON()) },
      text: fits.map((f) => regressionText(f)).join("\n"),
      warnings,
    };
  },
};

export const eventstudyCommand: CommandSpec = {
  name: "eventstudy",
  phase: "fit",
  async execute(frame, o) {
    const p = panel(o);
    const r = eventStudy(frame, {
      ...common(o), ...p, cohort: need(o, "cohort"), window: range(o, "window"), bin: int(o, "bin", 1), ref: int(o, "ref"), never: num(o, "never"),
    });
    return { json: r.toJSON(), text: eventStudyText(r), figure: () => coefPlotSvg(r.events, { ref: r.ref, title: `Event study: ${p.y}` }), warnings: [] };
  },
};

export const baconCommand: CommandSpec = {
  name: "bacon",
  phase: "fit",
  async execute(frame, o) {
    const r = bacon(frame, { ...panel(o), treat: need(o, "treat"), subset: str(o, "subset"), backend: common(o).backend });
    const figure = () =>
      scatterSvg(
        r.pairs.map((p) => ({ x: p.weight, y: p.estimate, group: p.type, tip: `${p.treated} vs ${p.untreated ?? "never"}: estimate ${p.estimate.toPrecision(4)}, weight ${p.weight.toPrecision(3)}` })),
        { title: "Goodman-Bacon decomposition", xLabel: "Weight", yLabel: "2x2 DID estimate", hLine: { y: r.twfe, label: `TWFE = ${r.twfe.toPrecision(4)}` } },
      );
    return { json: r.toJSON(), text: baconText(r), figure, warnings: [] };
  },
};

export const did2sCommand: CommandSpec = {
  name: "did2s",
  phase: "fit",
  async execute(frame, o) {
    const p = panel(o);
    const event = bool(o, "event");
    const { vcov: _v, ...rest } = common(o);
    const r = twoStage(frame, {
      ...rest, ...p, treat: need(o, "treat"), event, cohort: str(o, "cohort"), ref: int(o, "ref"), window: range(o, "window"), bin: int(o, "bin", 1),
      cluster: str(o, "cluster"), never: num(o, "never"),
    });
    const figure = event ? () => coefPlotSvg(r.coefficients as never, { ref: int(o, "ref") ?? -1, title: `did2s event study: ${p.y}` }) : undefined;
    return { json: r.toJSON(), text: twoStageText(r), figure, warnings: [] };
  },
};

export const sunabCommand: CommandSpec = {
  name: "sunab",
  phase: "fit",
  async execute(frame, o) {
    const p = panel(o);
    const r = sunAbraham(frame, { ...common(o), ...p, cohort: need(o, "cohort"), ref: int(o, "ref"), never: num(o, "never") });
    return { json: r.toJSON(), text: sunAbrahamText(r), figure: () => coefPlotSvg(r.periods, { ref: int(o, "ref") ?? -1, title: `Sun-Abraham: ${p.y}` }), warnings: [] };
  },
};

export const csdidCommand: CommandSpec = {
  name: "csdid",
  phase: "fit",
  async execute(frame, o, env) {
    const p = panel(o);
    const reps = int(o, "bootstrap", 1);
    const r = callawaySantAnna(frame, {
      ...p, cohort: need(o, "cohort"), controlGroup: oneOf(o, "controlGroup", ["never", "notyet"] as const), bootstrap: reps,
      seed: reps ? seedOf(o, env.pickSeed) : undefined, never: num(o, "never"), subset: str(o, "subset"),
    });
    const figure = () =>
      coefPlotSvg(r.dynamic.map((d) => ({ rel_time: d.e, estimate: d.att, conf_low: d.conf_low!, conf_high: d.conf_high! })), {
        ref: null, title: `Callaway-Sant'Anna dynamic effects: ${p.y}`, yLabel: "ATT and 95% band",
      });
    return { json: r.toJSON(), text: callawaySantAnnaText(r), figure, warnings: [] };
  },
};
