// CPU time of each step of a synthdid jackknife run, each in a fresh process as the CLI runs it (its loops
// run once, mostly before V8 has optimised them): covariate projection, the wide panel, the cohorts'
// weights, the jackknife. Compares two builds in alternation (the machine's load drifts), medians printed.
//   node bench/synthdid-phases.bench.mjs <file.csv> [runs] [distA] [distB]
// Expects columns unit, year, treat, y, x1..x3 (as bench/data's staggered panels); a dist is a built dist/
// directory (a copy must sit inside node_modules so package imports resolve).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

const [file, runsArg, ...dists] = process.argv.slice(2);
if (process.env.SYNTHDID_PHASES_CHILD) {
  const root = process.env.SYNTHDID_PHASES_CHILD;
  const load = (p) => import(`${root}/bindings/${p}.js`);
  const { preloadOptimisedKernels } = await load("engine/node-compile");
  const ready = preloadOptimisedKernels(Infinity);
  const { readDataFile } = await load("data/read-data-file");
  const { adjustedOutcome } = await load("estimators/did/synthdid-covariates");
  const { widePanel } = await load("estimators/did/synthdid-panel");
  const { designOf, fitDesign } = await load("estimators/did/synthdid-design");
  const { GramWorkspace } = await load("estimators/did/synthdid-gram-fw");
  const { defaultEngine } = await load("engine/engine");
  const { replicateContext, jackknifeSe } = await load("estimators/did/synthdid-variance");
  const frame = await readDataFile(file);
  await ready;
  // the main thread's CPU time (Linux: its schedstat, in ns), not the process's: kernel threads left
  // spinning after the projection's solves would otherwise be charged to whichever step follows
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  const cpu = existsSync(schedstat)
    ? () => Number(readFileSync(schedstat, "utf8").split(" ")[0]) / 1e6
    : () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };
  const out = {};
  let c = cpu();
  const lap = (k) => {
    const n = cpu();
    out[k] = n - c;
    c = n;
  };
  const adj = adjustedOutcome(frame, { y: "y", unit: "unit", time: "year", treat: "treat", controls: ["x1", "x2", "x3"], subset: null });
  lap("adjust");
  const panel = widePanel(frame, { y: "y", unit: "unit", time: "year", treat: "treat", outcome: adj.outcome });
  lap("panel");
  const design = designOf(panel.adoption, (k) => `${k}`);
  const fit = fitDesign(panel, design, "sdid", () => ({ workspace: new GramWorkspace(defaultEngine("wasm").backend) }));
  lap("fit");
  const se = jackknifeSe(replicateContext(panel, design, fit, "sdid", panel.units));
  lap("jackknife");
  // the steps after the projection together: a kernel thread's spinning or a background compilation can
  // fall on either side of a step's boundary
  out.synthdid = out.panel + out.fit + out.jackknife;
  process.stdout.write(JSON.stringify({ ...out, estimate: fit.att, se }));
} else {
  const roots = (dists.length ? dists : ["dist"]).map((d) => resolve(d));
  const runs = Number(runsArg ?? 5);
  const results = roots.map(() => []);
  for (let r = 0; r < runs; r++) {
    roots.forEach((root, k) => {
      const text = execFileSync(process.execPath, [fileURLToPath(import.meta.url), file], { env: { ...process.env, SYNTHDID_PHASES_CHILD: root } });
      results[k].push(JSON.parse(text));
    });
  }
  const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
  roots.forEach((root, k) => {
    const row = Object.fromEntries(["adjust", "panel", "fit", "jackknife", "synthdid"].map((p) => [p, +median(results[k].map((x) => x[p])).toFixed(1)]));
    console.log(root, JSON.stringify(row), "estimate", results[k][0].estimate, "se", results[k][0].se);
  });
}
