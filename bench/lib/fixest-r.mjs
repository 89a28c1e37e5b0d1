// Runs bench/fixest-timing.R (fixest's feols, one R session per data set) and returns its results.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, resultPath } from "./paths.mjs";

const SCRIPT = join(ROOT, "bench", "fixest-timing.R");

/** Whether Rscript runs and has fixest, data.table and jsonlite; `why` says what is missing. */
export function fixestAvailable() {
  const r = spawnSync("Rscript", ["-e", 'cat(all(sapply(c("fixest", "data.table", "jsonlite"), requireNamespace, quietly = TRUE)))'], { encoding: "utf8" });
  if (r.error) return { ok: false, why: `Rscript not found (${r.error.code})` };
  if (r.stdout.trim() !== "TRUE") return { ok: false, why: `R lacks fixest, data.table or jsonlite (${(r.stdout + r.stderr).trim().slice(-300)})` };
  return { ok: true, why: "" };
}

/**
 * Times `models` ([{ id, formula, cluster }]) on `data` in one R session: best of `reps` fits after a
 * warm-up fit, one thread, fixef.tol = `tol`. `name` names the job's files in bench/data/results/.
 */
export function runFixest(name, data, models, { tol, reps }) {
  const job = resultPath(`fixest-job-${name}`);
  const out = resultPath(`fixest-r-${name}`);
  writeFileSync(job, JSON.stringify({ data, tol, reps, models }, null, 2));
  const r = spawnSync("Rscript", [SCRIPT, job, out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`Rscript bench/fixest-timing.R ${job} failed (exit ${r.status}): ${(r.stderr || "").slice(-2000)}`);
  return JSON.parse(readFileSync(out, "utf8"));
}
