// didwasm bdiff: is a coefficient different between two groups? Permutation or bootstrap (bdiff).
import { bdiffText } from "../present/resampling-text.js";
import { assembleBdiff, bdiffDraws, bdiffSummary, prepareBdiff, type BdiffOptions, type BdiffResult, type BdiffSummary } from "../resampling/bdiff.js";
import { DEFAULT_DRAWS } from "../resampling/subset-fit.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand, type CommandOutput } from "./types.js";

const bdiffOutput = (r: BdiffResult): CommandOutput => ({ json: r.toJSON(), text: bdiffText(r), notes: r.notes });

export const bdiffCommand = defineCommand({
  name: "bdiff",
  summary: "between-group coefficient difference test (bdiff): permutation or bootstrap, optionally of whole units",
  example: '--formula "y ~ did + x | unit + year" --group east --coef did --reps 500 --seed 1 --cluster-level unit',
  phase: "run",
  workers: true,
  options: {
    formula: shared.formula("y ~ did + x | unit + year"),
    group: opt.column({ label: "Groups (two values)", help: "variable with exactly two values in the sample", required: true, web: { prefer: "binary" } }),
    coef: opt.text({ label: "Coefficient compared", help: "the coefficient compared between the groups", required: true, valueName: "name" }),
    method: opt.choice(["permutation", "bootstrap"] as const)({
      label: "Method", help: "permutation (of group labels) or bootstrap (within groups)", default: "permutation",
      web: { choiceLabels: { permutation: "Permutation", bootstrap: "Bootstrap" } },
    }),
    reps: { ...shared.reps("draws", DEFAULT_DRAWS), appliesWhen: (o) => (o.exact === true ? "cannot be given with {exact} (every split is used)" : null) },
    seed: { ...shared.seed, appliesWhen: (o) => (o.exact === true ? "cannot be given with {exact} (nothing is random)" : null) },
    // Exact enumeration has no seed: its splits are numbered 1..reps as random draws are.
    replicates: shared.replicates({ seedless: (o) => o.exact === true }),
    clusterLevel: opt.column({ label: "Resample whole units of", help: "permute or resample whole units of this variable (e.g. the panel's unit)", web: { prefer: "id", advanced: true } }),
    exact: opt.flag({
      label: "Every split", help: "permutation over every split into groups of the original sizes (small data)",
      appliesWhen: (o) => (o.method === "permutation" ? null : "applies only with {method} permutation"), web: { advanced: true },
    }),
    weights: shared.weights,
    subset: shared.subset,
    backend: shared.backend,
    tol: shared.tol,
    maxIter: shared.maxIter,
  },
  output: {},
  replicable: {
    prepare(frame, o) {
      const p = prepareBdiff(frame, { ...(o as unknown as BdiffOptions), seed: o.exact ? 0 : (o.seed as number) });
      return { reps: p.reps, repsReason: o.exact ? "every split of the groups" : undefined, state: { ...bdiffSummary(p) }, draws: (from, to) => bdiffDraws(p, from, to), release: () => p.fitter.release() };
    },
    assemble: (state, draws) => bdiffOutput(assembleBdiff(state as unknown as BdiffSummary, draws)),
  },
  async execute(frame, o, env) {
    return bdiffOutput(await env.bdiff(frame, { ...o, seed: o.exact ? 0 : (o.seed ?? env.pickSeed()) }, env.onProgress));
  },
});
