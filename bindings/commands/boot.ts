// didwasm boot: wild cluster bootstrap (boottest), pairs cluster bootstrap, randomization inference for one
// coefficient. --weights is the wild bootstrap's weight distribution here (as boottest's weight()), so the
// analytic regression weights are --obs-weights.
import { BOOT_METHODS, DEFAULT_BOOT_REPLICATES, prepareBoot, type BootOptions, type BootResult } from "../resampling/boot.js";
import { assembleBoot, type BootSummary } from "../resampling/boot-result.js";
import { WILD_WEIGHT_NAMES } from "../resampling/weights.js";
import { bootText } from "../present/boot-text.js";
import { densitySvg } from "../present/svg/density.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { ParsedValues } from "./schema/types.js";
import { defineCommand, type CommandOutput } from "./types.js";

const wildOnly = (o: Readonly<Record<string, unknown>>) => (o.method === "wild" ? null : "applies only with {method} wild");

/** The library's options from the command's: --weights names the wild weights, --obs-weights the regression's. */
const bootOptions = (o: ParsedValues, seed: number): BootOptions => ({ ...(o as unknown as BootOptions), weightType: o.weights as BootOptions["weightType"], weights: o.obsWeights as string | undefined, seed });

function bootOutput(r: BootResult): CommandOutput {
  const draws = r.draws.filter(Number.isFinite);
  const figure = () =>
    r.method === "wild"
      ? densitySvg(draws, r.tObs, { title: `Wild bootstrap t statistics (${r.reps} replicates)` })
      : densitySvg(draws, r.method === "ri" ? r.estimate - r.nullValue : r.estimate, { title: `${r.method === "ri" ? "Randomization" : "Pairs bootstrap"} draws of ${r.coefficient} (${r.reps})` });
  return { json: r.toJSON(), text: bootText(r), figure, notes: r.notes };
}

export const bootCommand = defineCommand({
  name: "boot",
  summary: "wild cluster bootstrap (WCR/WCU, boottest), pairs cluster bootstrap and randomization inference for one coefficient",
  example: '--formula "y ~ treat + x | unit + year" --coef treat --cluster state --reps 9999 --seed 1',
  phase: "run",
  options: {
    formula: shared.formula("y ~ treat + x | unit + year"),
    coef: opt.text({ label: "Tested coefficient", help: "the tested coefficient", required: true, valueName: "name" }),
    cluster: opt.column({
      label: "Cluster by", help: "cluster variable (required for wild and pairs; ri permutes whole clusters when given)", web: { prefer: "id" },
    }),
    method: opt.choice(BOOT_METHODS)({ label: "Method", help: "wild, pairs or ri (randomization inference)", default: "wild" }),
    weights: opt.choice(WILD_WEIGHT_NAMES)({ label: "Wild weights", help: "wild bootstrap weights: rademacher, webb, mammen or normal", default: "rademacher", appliesWhen: wildOnly }),
    imposeNull: opt.flag({ label: "Impose the null", help: "wild: impose the null on the bootstrap residuals (WCR) or not (WCU)", default: true, appliesWhen: wildOnly }),
    null: opt.number({ label: "Null value", help: "the null value r of H0: coef = r", default: 0 }),
    enumerate: opt.flag({ label: "All sign vectors", help: "wild, Rademacher: use all 2^G sign vectors (automatic when 2^G <= reps)", appliesWhen: wildOnly }),
    alpha: opt.number({
      label: "Significance level", help: "the confidence interval's level is 1 - alpha", default: 0.05, min: 0, max: 1, minExclusive: true, maxExclusive: true,
      appliesWhen: (o) => (o.method === "ri" ? "does not apply with {method} ri (randomization inference gives a p-value only)" : null),
    }),
    reps: shared.reps("replicates", DEFAULT_BOOT_REPLICATES),
    seed: shared.seed,
    replicates: shared.replicates(),
    obsWeights: shared.weights,
    subset: shared.subset,
    backend: shared.backend,
    tol: shared.tol,
    maxIter: shared.maxIter,
  },
  output: {},
  figure: "write the density of the bootstrap draws",
  replicable: {
    prepare(frame, o) {
      const p = prepareBoot(frame, bootOptions(o, o.seed as number));
      const enumerated = p.summary.enumerated ? `${p.summary.clusters} clusters: all 2^${p.summary.clusters} Rademacher sign vectors enumerated` : undefined;
      return { reps: p.summary.reps, repsReason: enumerated, state: { ...p.summary }, draws: (from, to) => p.draws(from, to), release: () => {} };
    },
    assemble: (state, draws) => bootOutput(assembleBoot(state as unknown as BootSummary, draws)),
  },
  async execute(frame, o, env) {
    const p = prepareBoot(frame, bootOptions(o, o.seed ?? env.pickSeed()));
    return bootOutput(assembleBoot(p.summary, p.draws(0, p.summary.reps, env.onProgress)));
  },
});
