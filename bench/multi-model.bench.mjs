// Stepwise estimation against one fit and against the same models fitted one by one (the target:
// csw(x1, x2, x3) costs little more than one fit, because models on the same rows and fixed effects
// demean the union of their columns once). In process, on a generated 1M-row panel (50,000 units x 20
// years, 50 units per state), clustered by unit; CPU time of this process (user + system), median of the
// runs, each run timing the three jobs one after the other:
//   - balanced, unit + year (demeaning is cheap: one sweep);
//   - 2% of y and x1 missing, unit + year (the direct two-way solve);
//   - 2% missing, unit + year + state (conjugate gradient: demeaning dominates).
//
//   node --expose-gc bench/multi-model.bench.mjs [--runs 5]
import { parseArgs } from "node:util";
import { fromColumns } from "../dist/bindings/data/columns.js";
import { generateSyntheticPanel } from "../dist/bindings/data/demo/panel.js";
import { Frame } from "../dist/bindings/data/frame.js";
import { feols } from "../dist/bindings/estimators/feols.js";
import { feolsModels } from "../dist/bindings/estimators/multi-fit.js";
import { median } from "./lib/cli-measure.mjs";
import { timedCpu as timed } from "./lib/cpu-time.mjs";
import { requireBuild } from "./lib/paths.mjs";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
requireBuild();
const runs = Number(args.runs);

for (const [missing, fe] of [[0, "unit + year"], [0.02, "unit + year"], [0.02, "unit + year + state"]]) {
  const raw = fromColumns(generateSyntheticPanel({ units: 50_000, periods: 20, regressors: 3, seed: 1, missingRate: missing, unitsPerState: 50 }));
  // As the CSV reader marks them: columns without a missing value are known to be finite.
  const frame = new Frame(raw.nrow, raw.columns.map((c) => (c.kind === "numeric" ? { ...c, allFinite: c.values.every(Number.isFinite) } : c)));
  const o = { vcov: "cluster:unit" };
  const one = () => feols(frame, `y ~ x1 + x2 + x3 | ${fe}`, o);
  const csw = () => feolsModels(frame, `y ~ csw(x1, x2, x3) | ${fe}`, o);
  const separate = () => ["x1", "x1 + x2", "x1 + x2 + x3"].forEach((x) => feols(frame, `y ~ ${x} | ${fe}`, o));
  one(); // warm-up: V8's optimizing tier, the engine
  const t = { one: [], csw: [], separate: [] };
  for (let r = 0; r < runs; r++) {
    t.one.push(timed(one));
    t.csw.push(timed(csw));
    t.separate.push(timed(separate));
  }
  const [a, b, c] = [median(t.one), median(t.csw), median(t.separate)];
  console.log(
    `${frame.nrow} rows, ${missing ? "2% missing" : "balanced"}, | ${fe}: one fit ${a.toFixed(0)} ms, csw(x1, x2, x3) ${b.toFixed(0)} ms (${(b / a).toFixed(2)}x), ` +
      `three fits one by one ${c.toFixed(0)} ms (${(c / a).toFixed(2)}x)`,
  );
}
