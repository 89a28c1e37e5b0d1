// The resampling commands: placebo, bdiff.
import { bdiffText, placeboText } from "../present/resampling-text.js";
import { densitySvg } from "../present/svg/density.js";
import { bool, common, int, intList, need, num, oneOf, seedOf, str } from "./options.js";
import type { CommandSpec } from "./types.js";

export const placeboCommand: CommandSpec = {
  name: "placebo",
  phase: "run",
  async execute(frame, o, env) {
    const kind = oneOf(o, "kind", ["time", "space", "mixed"] as const);
    if (!kind) need(o, "kind");
    const variant = Number(oneOf(o, "variant", ["1", "2", "3"] as const) ?? 1) as 1 | 2 | 3;
    const r = await env.placebo(frame, {
      ...common(o), formula: need(o, "formula"), treat: need(o, "treat"), unit: need(o, "unit"), time: need(o, "time"), cohort: str(o, "cohort"),
      never: num(o, "never"), kind: kind!, variant, shifts: intList(o, "shift"), keepPost: bool(o, "keepPost"), reps: int(o, "reps", 1),
      seed: seedOf(o, env.pickSeed), tStats: bool(o, "tStats"),
    }, env.onProgress);
    const figure = r.draws ? () => densitySvg(r.draws!, r.estimate, { title: `Placebo test (${kind}${kind === "mixed" ? ` ${variant}` : ""}, ${r.reps} draws)` }) : undefined;
    return { json: r.toJSON(), text: placeboText(r), figure, warnings: [] };
  },
};

export const bdiffCommand: CommandSpec = {
  name: "bdiff",
  phase: "run",
  async execute(frame, o, env) {
    const { vcov: _v, ...rest } = common(o);
    const r = await env.bdiff(frame, {
      ...rest, formula: need(o, "formula"), group: need(o, "group"), coef: need(o, "coef"),
      method: oneOf(o, "method", ["permutation", "bootstrap"] as const), reps: int(o, "reps", 1), seed: seedOf(o, env.pickSeed),
      clusterLevel: str(o, "clusterLevel"), exact: bool(o, "exact"),
    }, env.onProgress);
    return { json: r.toJSON(), text: bdiffText(r), warnings: [] };
  },
};
