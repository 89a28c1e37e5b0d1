// Instrumental variables with fixed effects against the plain fit of the same size (issue 13's target: IV
// with fixed effects at most 1.5x the plain fit's time). In process, on a generated 1M-row panel (50,000
// units x 20 years, 50 units per state), clustered by unit; CPU time of this process (user + system),
// median of the runs, each run timing the jobs one after the other:
//   - plain: y ~ x1 + x2 + x3 | unit + year;
//   - IV: y ~ x2 + x3 | unit + year | x1 ~ z (one endogenous variable, one instrument; the first stage and
//     the second stage share the demeaned columns), and with two instruments (x1 ~ z + x3... as z, z2);
// the same with 2% of y and x1 missing, and with unit + year + state (iterative demeaning).
// The instrument z = x1 + u, u a seeded normal draw (bindings/random/xoshiro.ts), so that it is relevant.
//
//   node --expose-gc bench/iv.bench.mjs [--runs 5]
import { parseArgs } from "node:util";
import { fromColumns } from "../dist/bindings/data/columns.js";
import { generateSyntheticPanel } from "../dist/bindings/data/demo/panel.js";
import { Frame } from "../dist/bindings/data/frame.js";
import { feols } from "../dist/bindings/estimators/feols.js";
import { Xoshiro128 } from "../dist/bindings/random/xoshiro.js";
import { median } from "./lib/cli-measure.mjs";
import { timedCpu as timed } from "./lib/cpu-time.mjs";
import { requireBuild } from "./lib/paths.mjs";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
requireBuild();
const runs = Number(args.runs);

for (const [missing, fe] of [[0, "unit + year"], [0.02, "unit + year"], [0.02, "unit + year + state"]]) {
  const cols = generateSyntheticPanel({ units: 50_000, periods: 20, regressors: 3, seed: 1, missingRate: missing, unitsPerState: 50 });
  const x1 = cols.x1;
  const rng = new Xoshiro128(7);
  cols.z = Float64Array.from(x1, (v) => v + rng.normal());
  cols.z2 = Float64Array.from(x1, (v) => 0.5 * v + rng.normal());
  const raw = fromColumns(cols);
  const frame = new Frame(raw.nrow, raw.columns.map((c) => (c.kind === "numeric" ? { ...c, allFinite: c.values.every(Number.isFinite) } : c)));
  const o = { vcov: "cluster:unit" };
  const jobs = {
    plain: () => feols(frame, `y ~ x1 + x2 + x3 | ${fe}`, o),
    iv: () => feols(frame, `y ~ x2 + x3 | ${fe} | x1 ~ z`, o),
    iv2: () => feols(frame, `y ~ x2 + x3 | ${fe} | x1 ~ z + z2`, o),
  };
  jobs.plain(); // warm-up: V8's optimizing tier, the engine
  jobs.iv();
  const t = { plain: [], iv: [], iv2: [] };
  for (let r = 0; r < runs; r++) for (const k of Object.keys(jobs)) t[k].push(timed(jobs[k]));
  const [a, b, c] = [median(t.plain), median(t.iv), median(t.iv2)];
  console.log(
    `${frame.nrow} rows, ${missing ? "2% missing" : "balanced"}, | ${fe}: plain fit ${a.toFixed(0)} ms, IV x1 ~ z ${b.toFixed(0)} ms (${(b / a).toFixed(2)}x), ` +
      `IV x1 ~ z + z2 ${c.toFixed(0)} ms (${(c / a).toFixed(2)}x)`,
  );
}
