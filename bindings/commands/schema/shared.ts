// Options several commands share, declared once: their help texts and defaults are not restated per command.
import { DEFAULT_MAX_ITER, DEFAULT_TOL } from "../../estimators/common-options.js";
import { MAX_REPLICATES } from "../../resampling/subset-fit.js";
import { opt } from "./define.js";

/** Demeaning sweeps are counted in 32-bit integers by the kernels; far beyond any useful number. */
export const MAX_ITER_LIMIT = 1_000_000;

export const y = opt.column({ label: "Outcome", help: "outcome column", required: true, web: { prefer: "numeric" } });
export const unit = opt.column({ label: "Unit identifier", help: "unit identifier column", required: true, web: { prefer: "id" } });
export const time = opt.column({ label: "Time period", help: "time period column (whole numbers, e.g. years)", required: true, web: { prefer: "id" } });
/** The three columns of every panel estimator. */
export const panel = { y, unit, time } as const;
export const cohort = opt.column({
  label: "Cohort (first treated period)", help: "first treated period (0, empty or beyond the panel = never treated)", required: true, web: { prefer: "id" },
});
export const treat = opt.column({ label: "Treatment indicator", help: "0/1 treatment indicator: 1 from the unit's first treated period on", required: true, web: { prefer: "binary" } });
export const controls = opt.columns({ label: "Controls", help: "time-varying control columns, comma-separated", web: { prefer: "numeric" } });
export const subset = opt.subset({ label: "Subset", help: 'row filter, e.g. "east == 1 & year != 2008"', web: { advanced: true, placeholder: "e.g. east == 1" } });
export const weights = opt.column({ label: "Weights", help: "analytic (regression) weights column", web: { prefer: "numeric", advanced: true } });
export const never = opt.text({
  label: "Never-treated cohort value", help: "cohort value meaning never treated (a number, or a text code for a text cohort column)",
  valueName: "value", web: { advanced: true, placeholder: "0 or empty by default" },
});
export const backend = opt.choice(["wasm", "reference"] as const)({
  label: "Backend", help: "kernels: wasm, or reference (the pure-TypeScript mirror; same numbers, slower)", default: "wasm", cliAndRunOnly: true,
});
/** Threads of the demeaning; omitted means "auto" (thread-choice.ts). The count is capped by the kernels'
 *  thread pool, not the machine: more than the cores is clamped with a note by the estimator. */
export const threads = opt.integer({
  label: "Threads",
  help: "threads the fixed-effect demeaning runs on (default: every core for 200,000 rows or more, else 1; more than the cores runs on the cores, with a note); on the CLI also the threads that parse a CSV file of 8 MB or more (default: every core). The numbers are the same for any count",
  min: 1, max: 256, defaultText: "auto", cliAndRunOnly: true,
});
/** --threads of estimators that run few or no kernels: threads mostly share the first touch of fresh memory. */
export const TOUCH_THREADS_HELP =
  "threads that take the first touch of the estimator's fresh per-row memory while it computes, and share its kernels if it has any (default: every core for 200,000 rows or more, else 1; more than the cores runs on the cores, with a note); on the CLI also the threads that parse a CSV file of 8 MB or more. The numbers are the same for any count";
/** Iterative demeaning runs only where no exact solve applies; tol and maxIter say so in their help. */
const ITERATIVE_ONLY = "(iterative demeaning only: three or more fixed effects, or two with over 500 levels each; one fixed effect, or two with one of at most 500 levels, are solved exactly)";

export const tol = opt.number({
  label: "Demeaning tolerance", help: `demeaning stops when no fixed-effect coefficient moves by more than tol x the column's scale ${ITERATIVE_ONLY}`,
  default: DEFAULT_TOL, min: 0, minExclusive: true, max: 1, maxExclusive: true, web: { advanced: true },
});
export const maxIter = opt.integer({ label: "Demeaning sweeps", help: `demeaning sweeps per column at most ${ITERATIVE_ONLY}`, default: DEFAULT_MAX_ITER, min: 1, max: MAX_ITER_LIMIT, web: { advanced: true } });
export const vcov = (defaultText: string) =>
  opt.vcov({
    label: "Standard errors",
    help:
      'iid, hetero (HC1), cluster:VAR, cluster:A+B, cluster:a^b (CRV1; fixest\'s "~VAR" too), twoway (the first two fixed effects), ' +
      "NW(L) panel Newey-West, DK(L) Driscoll-Kraay (unit and time: NW(L):unit+time, DK(L):time, else the first two fixed effects), " +
      "conley(km) spatial, conley(km, spherical) (coordinates: conley(km):lat+lon)",
    defaultText,
  });
/** fixest's ssc() as text: every key, fixest's values and defaults. */
export const ssc = opt.text({
  label: "Small-sample corrections",
  help:
    "fixest's ssc() as key=value pairs, e.g. \"adj=false,fixef.K=full\": adj (true), fixef.K (nested; none, full), cluster.adj (true), " +
    "cluster.df (min; conventional), t.df (min; conventional, or a number), fixef.force_exact (false)",
  valueName: "k=v,...", web: { advanced: true, placeholder: "adj=true,fixef.K=nested" },
});
export const formula = (example: string) => opt.formula({ label: "Formula (fixest syntax)", help: `model formula, e.g. "${example}"`, required: true });
export const seed = opt.seed({ label: "Random seed", help: "random seed (same seed, same draws on every backend, worker count and browser)", defaultText: "drawn and printed" });
export const reps = (what: string, dflt: number) => opt.integer({ label: "Draws", help: `number of ${what}`, default: dflt, min: 1, max: MAX_REPLICATES });
export const ref = opt.integer({ label: "Reference period", help: "omitted relative period", default: -1, min: -10_000, max: 10_000, web: { placeholder: "-1" } });
export const window = opt.range({ label: "Window", help: "relative periods kept, lo:hi (treated observations outside are dropped)", min: -10_000, max: 10_000, web: { placeholder: "e.g. -7:7" } });
export const bin = opt.integer({ label: "Bin beyond ±k", help: "group relative periods beyond ±k into the end points", min: 1, max: 10_000, web: { placeholder: "none" } });
/** A range of a resampling run's replicates, for splitting one run over machines (partial/). Every part
 *  must draw from the same streams, so the seed is required (unless the command draws nothing at random). */
export const replicates = (rules: { notApplicable?: (o: Readonly<Record<string, unknown>>) => string | null; seedless?: (o: Readonly<Record<string, unknown>>) => boolean } = {}) =>
  opt.range({
    label: "Replicates", valueName: "A:B", min: 1, max: MAX_REPLICATES, cliAndRunOnly: true,
    help: "run only replicates A to B (1-based, both included) and output a partial result for didwasm merge",
    appliesWhen: (o) => rules.notApplicable?.(o) ?? (o.seed === undefined && !rules.seedless?.(o) ? "needs {seed}: every part of a split run must use the same seed" : null),
  });
