// The boot command (wild cluster bootstrap, pairs cluster bootstrap, randomization inference), defined once
// for the CLI and run(). Option keys follow the CLI flags: --weights is the wild bootstrap's weight
// distribution here, so analytic regression weights are --obs-weights.
import { boot, BOOT_METHODS } from "../resampling/boot.js";
import { WILD_WEIGHT_NAMES } from "../resampling/weights.js";
import { bootText } from "../present/boot-text.js";
import { densitySvg } from "../present/svg/density.js";
import { bool, int, need, num, oneOf, seedOf, str } from "./options.js";
import type { CommandSpec } from "./types.js";

export const bootCommand: CommandSpec = {
  name: "boot",
  phase: "run",
  async execute(frame, o, env) {
    const method = oneOf(o, "method", BOOT_METHODS) ?? "wild";
    const r = boot(frame, {
      formula: need(o, "formula"), coef: need(o, "coef"), cluster: str(o, "cluster") ?? null, method,
      weightType: oneOf(o, "weights", WILD_WEIGHT_NAMES), imposeNull: o.imposeNull === undefined ? true : bool(o, "imposeNull"),
      null: num(o, "null"), reps: int(o, "reps", 1), seed: seedOf(o, env.pickSeed), enumerate: bool(o, "enumerate"), alpha: num(o, "alpha"),
      weights: str(o, "obsWeights"), subset: str(o, "subset"), backend: oneOf(o, "backend", ["wasm", "reference"] as const),
      tol: num(o, "tol"), maxIter: int(o, "maxIter", 1), onProgress: env.onProgress,
    });
    const draws = r.draws.filter(Number.isFinite);
    const figure = () =>
      method === "wild"
        ? densitySvg(draws, r.tObs, { title: `Wild bootstrap t statistics (${r.reps} replicates)` })
        : densitySvg(draws, method === "ri" ? r.estimate - r.nullValue : r.estimate, { title: `${method === "ri" ? "Randomization" : "Pairs bootstrap"} draws of ${r.coefficient} (${r.reps})` });
    return { json: r.toJSON(), text: bootText(r), figure, warnings: [] };
  },
};
