// Times `didwasm fit ... --json` as a user runs it: a fresh process per run (a cold start), the CLI's own
// timing_ms.fit (the fit without reading the file) and the whole process's wall time, median of the runs.
import { spawnSync } from "node:child_process";
import { CLI, ROOT } from "./paths.mjs";
import { median } from "./cli-measure.mjs";

/** Whether this build's `didwasm fit` takes --threads (the multi-threaded solver of issue 12). */
export function fitHasThreadsOption() {
  const r = spawnSync(process.execPath, [CLI, "fit", "--help"], { cwd: ROOT, encoding: "utf8" });
  return /--threads\b/.test(r.stdout ?? "");
}

/** One process; `timeoutMs` kills it (SIGTERM) and returns { timedOut: true } instead of a result. */
function runOnce(file, model, { tol, threads, timeoutMs }) {
  const argv = [CLI, "fit", file, "--formula", model.formula, "--vcov", `cluster:${model.cluster}`, "--tol", String(tol), "--json"];
  if (threads !== undefined) argv.push("--threads", String(threads));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26, timeout: timeoutMs, killSignal: "SIGTERM" });
  const wallMs = performance.now() - t0;
  if (r.error?.code === "ETIMEDOUT" || (r.signal === "SIGTERM" && r.status === null)) return { timedOut: true, wallMs };
  if (r.status !== 0) throw new Error(`didwasm fit ${model.id} failed (exit ${r.status}): ${(r.stderr || "").slice(-2000)}`);
  const json = JSON.parse(r.stdout);
  return { json, fitMs: json.timing_ms.fit, readMs: json.timing_ms.read, wallMs };
}

/**
 * Up to `runs` cold fits of `model` ({ id, formula, cluster }) on `file`; `beforeEach(i)` may wait for an
 * idle machine. So that the suite keeps to its time budget, a run that outlasts `timeoutMs` is killed
 * and ends the series (the result says timedOut), and a first run longer than `longRunMs` is not repeated
 * (a median of one). Returns the medians, every run's times, and the first run's estimates, clustered
 * standard errors, iterations, converged flag and notes (the runs are deterministic, any run would do).
 */
export async function timeDidwasm(file, model, { runs, tol, threads, timeoutMs, longRunMs = Infinity, beforeEach = async () => {} }) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    await beforeEach(i);
    const r = runOnce(file, model, { tol, threads, timeoutMs });
    if (r.timedOut) return { timedOut: true, timeoutMs, completedRuns: all.length, wallMs: r.wallMs };
    all.push(r);
    if (r.wallMs > longRunMs) break;
  }
  const j = all[0].json;
  const coefs = j.coefficients ?? [];
  return {
    timedOut: false,
    fitMs: median(all.map((r) => r.fitMs)),
    wallMs: median(all.map((r) => r.wallMs)),
    readMs: median(all.map((r) => r.readMs)),
    runs: all.map(({ fitMs, readMs, wallMs }) => ({ fitMs, readMs, wallMs })),
    nobs: j.nobs,
    fixefSizes: j.fixef_sizes,
    coef: Object.fromEntries(coefs.map((c) => [c.term, c.estimate])),
    se: Object.fromEntries(coefs.map((c) => [c.term, c.std_error])),
    iterations: j.iterations,
    converged: j.converged,
    notes: (j.notes ?? []).map((n) => (typeof n === "string" ? n : `${n.kind}: ${n.message}`)),
  };
}
