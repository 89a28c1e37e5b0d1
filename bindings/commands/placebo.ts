// didwasm placebo: didplacebo's in-time, in-space and mixed placebo tests.
import { placeboText } from "../present/resampling-text.js";
import { densitySvg } from "../present/svg/density.js";
import { assemblePlacebo, placeboDraws, placeboSummary, preparePlacebo, type PlaceboOptions, type PlaceboResult, type PlaceboSummary } from "../resampling/placebo.js";
import { DEFAULT_DRAWS } from "../resampling/subset-fit.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { ParsedValues } from "./schema/types.js";
import { defineCommand, type CommandOutput } from "./types.js";

const randomKinds = (o: Readonly<Record<string, unknown>>) => (o.kind === "time" ? "applies only with {kind} space or mixed (the in-time placebo is not random)" : null);

/** The library's options from the command's (the in-time placebo draws nothing: no reps, seed 0). */
function placeboOptions(o: ParsedValues, seed: () => number): PlaceboOptions {
  const random = o.kind !== "time";
  return { ...(o as unknown as PlaceboOptions), variant: Number(o.variant) as 1 | 2 | 3, shifts: o.shift as number[] | undefined, reps: random ? (o.reps as number) : undefined, seed: random ? seed() : 0 };
}

function placeboOutput(r: PlaceboResult): CommandOutput {
  const title = `Placebo test (${r.kind}${r.kind === "mixed" ? ` ${r.variant}` : ""}, ${r.reps} draws)`;
  const figure = r.draws ? () => densitySvg(r.draws!, r.estimate, { title, pValue: r.p_two, pLabel: "two-sided p" }) : undefined;
  return { json: r.toJSON(), text: placeboText(r), figure, notes: r.notes };
}

export const placeboCommand = defineCommand({
  name: "placebo",
  summary: "placebo tests (didplacebo): in-time, in-space and mixed random reassignments of the treatment, kernel-density figure",
  example: '--formula "y ~ did + x | unit + year" --treat did --unit unit --time year --kind mixed --reps 500 --seed 1',
  phase: "run",
  workers: true,
  options: {
    formula: shared.formula("y ~ did + x | unit + year"),
    treat: { ...shared.treat, help: "the treatment regressor of the formula (0/1, on from the unit's first treated period)" },
    unit: shared.unit,
    time: shared.time,
    kind: opt.choice(["time", "space", "mixed"] as const)({
      label: "Placebo", help: "time (earlier fake dates), space (random fake units) or mixed (both)", required: true,
      web: { choiceLabels: { space: "In space (random units)", time: "In time (earlier dates)", mixed: "Mixed (units and dates)" } },
    }),
    variant: opt.choice(["1", "2", "3"] as const)({
      label: "Mixed variant", help: "mixed placebo: 1 one fake date for all, 2 a fake date per unit, 3 the true dates permuted", default: "1",
      appliesWhen: (o) => (o.kind === "mixed" ? null : "applies only with {kind} mixed"),
      web: { choiceLabels: { 1: "1: one fake date for all", 2: "2: a fake date per unit", 3: "3: true dates permuted" } },
    }),
    shift: opt.integers({
      label: "Shifts (periods earlier)", help: "in-time placebo: periods to move the treatment back", defaultText: "1,2,3", min: 1, max: 10_000,
      appliesWhen: (o) => (o.kind === "time" ? null : "applies only with {kind} time"), web: { placeholder: "1,2,3" },
    }),
    keepPost: opt.flag({
      label: "Keep post-treatment rows", help: "in-time placebo: keep treated units' observations after their true start (default: drop them)",
      appliesWhen: (o) => (o.kind === "time" ? null : "applies only with {kind} time"), web: { advanced: true },
    }),
    reps: { ...shared.reps("random draws", DEFAULT_DRAWS), appliesWhen: randomKinds },
    replicates: shared.replicates({ notApplicable: randomKinds }),
    seed: { ...shared.seed, appliesWhen: randomKinds },
    tStats: opt.flag({ label: "t statistics of the draws", help: "also return the t statistic of every draw", appliesWhen: randomKinds, web: { advanced: true } }),
    cohort: { ...shared.cohort, required: false, defaultText: "derived from --treat" },
    never: { ...shared.never, appliesWhen: (o) => (o.cohort === undefined ? "applies only with {cohort}" : null) },
    vcov: shared.vcov("cluster by the first fixed effect, else iid"),
    weights: shared.weights,
    subset: shared.subset,
    backend: shared.backend,
    tol: shared.tol,
    maxIter: shared.maxIter,
  },
  output: {},
  figure: "write the kernel density of the draws with the true estimate",
  replicable: {
    prepare(frame, o) {
      const p = preparePlacebo(frame, placeboOptions(o, () => o.seed as number));
      return { reps: p.reps, state: { ...placeboSummary(p) }, draws: (from, to) => placeboDraws(p, from, to), release: () => {} };
    },
    assemble: (state, draws) => placeboOutput(assemblePlacebo(state as unknown as PlaceboSummary, draws)),
  },
  async execute(frame, o, env) {
    return placeboOutput(await env.placebo(frame, placeboOptions(o, () => o.seed ?? env.pickSeed()), env.onProgress));
  },
});
