// didwasm synthdid: synthetic difference-in-differences (Arkhangelsky et al. 2021) with synthdid's weights,
// Stata sdid's staggered designs, and placebo, bootstrap or jackknife standard errors.
import { DEFAULT_SYNTH_REPS, SYNTH_METHODS, SYNTH_VCOVS, assembleSynthdid, prepareSynthdid, type SynthdidOptions, type SynthdidResult, type SynthdidSummary } from "../estimators/did/synthdid.js";
import { SYNTHDID_DRAW_COST } from "../resampling/pool/tasks.js";
import { synthdidText } from "../present/synthdid-text.js";
import { synthdidPlotSvg } from "../present/svg/synthdid-plot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { ParsedValues } from "./schema/types.js";
import { defineCommand, type CommandOutput } from "./types.js";

const resampled = (o: Readonly<Record<string, unknown>>) => (o.vcov === "jackknife" ? "does not apply with {vcov} jackknife (it draws nothing at random)" : null);

function synthdidOptions(o: ParsedValues, seed: () => number): SynthdidOptions {
  const jackknife = o.vcov === "jackknife";
  return { ...(o as unknown as SynthdidOptions), reps: jackknife ? undefined : (o.reps as number), seed: jackknife ? undefined : seed() };
}

function synthdidOutput(r: SynthdidResult): CommandOutput {
  // the figure shows the largest cohort (the only one in a block design)
  const c = [...r.cohorts].sort((a, b) => b.share - a.share)[0];
  const title = `${r.method === "sdid" ? "Synthetic DID" : r.method === "sc" ? "Synthetic control" : "DID"}: ${r.outcome}${r.cohorts.length > 1 ? ` (cohort ${c.adoption})` : ""}`;
  return { json: r.toJSON(), text: synthdidText(r), figure: () => synthdidPlotSvg(c, { title, yLabel: r.outcome }), notes: r.notes };
}

export const synthdidCommand = defineCommand({
  name: "synthdid",
  summary: "synthetic difference-in-differences (Arkhangelsky et al. 2021): synthdid's unit and time weights, block and staggered designs (as Stata's sdid), placebo, bootstrap or jackknife errors; also synthetic control and DID",
  example: "--y PacksPerCapita --unit State --time Year --treat treated --vcov placebo --reps 200 --seed 1",
  conventions: [
    "weights as synthdid computes them: Frank-Wolfe, zeta.omega = (N_tr T_post)^(1/4) sigma, zeta.lambda = 1e-6 sigma, sigma = sd of the controls' pre-period first differences, sparsified after 100 iterations",
    "staggered adoption as Stata's sdid: one estimate per adoption cohort on the never-treated units, the ATT weighted by treated cells",
    "standard errors as synthdid's vcov(): placebo and bootstrap re-solve the weights in each replicate (SE = sqrt((B-1)/B) sd); the jackknife keeps them fixed; inference is normal",
    "a static estimator: no event-time rows or event_vcov (honestdid does not apply)",
  ],
  phase: "fit",
  workers: true,
  options: {
    ...shared.panel,
    treat: shared.treat,
    method: opt.choice(SYNTH_METHODS)({
      label: "Estimator", help: "sdid (synthetic DID), sc (synthetic control: no intercept, no time weights) or did (uniform weights)", default: "sdid",
      web: { choiceLabels: { sdid: "Synthetic DID", sc: "Synthetic control", did: "DID (uniform weights)" } },
    }),
    vcov: opt.choice(SYNTH_VCOVS)({
      label: "Standard error", help: "placebo (controls as pseudo-treated), bootstrap (units resampled) or jackknife (leave one unit out, fixed weights)", default: "placebo",
    }),
    controls: { ...shared.controls, help: "time-varying covariates, projected out first (beta from a unit and period fixed-effect regression on the untreated observations, Stata sdid's projected method)" },
    threads: {
      ...shared.threads,
      help: "threads the covariate regression's demeaning runs on (with --controls; default: every core for 200,000 rows or more); on the CLI also the threads that parse a CSV file of 8 MB or more. The weights are solved on one thread. The numbers are the same for any count",
      appliesWhen: (o) => ((o.controls as readonly string[] | undefined)?.length ? null : "applies with {controls} only (the covariate regression's demeaning)"),
    },
    reps: { ...shared.reps("placebo or bootstrap replicates", DEFAULT_SYNTH_REPS), appliesWhen: resampled },
    seed: { ...shared.seed, appliesWhen: resampled },
    replicates: shared.replicates({ notApplicable: resampled }),
    subset: shared.subset,
  },
  output: {},
  figure: "write the trajectories of the treated units and their synthetic control (the largest cohort in a staggered design)",
  replicable: {
    prepare(frame, o) {
      const p = prepareSynthdid(frame, synthdidOptions(o, () => o.seed as number));
      return { reps: p.summary.reps, state: { ...p.summary }, draws: (from, to) => p.draws(from, to), release: () => p.release() };
    },
    assemble: (state, draws) => synthdidOutput(assembleSynthdid(state as unknown as SynthdidSummary, draws)),
  },
  async execute(frame, o, env) {
    const options = synthdidOptions(o, () => o.seed ?? env.pickSeed());
    const p = prepareSynthdid(frame, options);
    const reps = p.summary.reps;
    // the engine buffers serve draws on this thread only (workers prepare their own)
    if (p.summary.vcov === "jackknife" || env.replicates) p.release();
    if (p.summary.vcov === "jackknife") return synthdidOutput(assembleSynthdid(p.summary, null));
    // replicate r draws from stream r: worker threads give the same draws as this thread
    let draws: Float64Array[];
    try {
      draws = env.replicates ? await env.replicates(frame, { kind: "synthdid", options }, reps, SYNTHDID_DRAW_COST, env.onProgress) : p.draws(0, reps);
    } finally {
      p.release();
    }
    if (!env.replicates) env.onProgress?.(reps, reps);
    return synthdidOutput(assembleSynthdid(p.summary, draws));
  },
});
