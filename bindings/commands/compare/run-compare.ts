// Runs the chosen adapters on one panel and collects their event-time paths and overall ATTs. The 0/1
// treatment the did2s, imputation and static TWFE adapters need is derived here from the cohort (on from
// the first treated period), so every estimator sees the same treatment timing.
import type { Frame } from "../../data/frame.js";
import { DidwasmError, isDidwasmError, nearestName } from "../../errors.js";
import type { CommandEnv } from "../types.js";
import { COMPARE_ADAPTERS, type ComparePanel, type ComparePoint, type CompareOverall } from "./adapters.js";
import { info, warning, type Note } from "../../notes.js";

export interface CompareEstimator {
  readonly key: string;
  readonly label: string;
  readonly overall: CompareOverall | null;
  readonly event: ComparePoint[];
  readonly ms: number;
}

export interface CompareResult {
  readonly estimators: CompareEstimator[];
  readonly notes: Note[];
}

export interface CompareInputs {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  readonly estimators?: readonly string[];
}

/** A column name the data does not use, for the derived treatment. */
function freshName(frame: Frame, base: string): string {
  let name = base;
  while (frame.has(name)) name += "_";
  return name;
}

export async function runCompare(frame: Frame, o: CompareInputs, env: CommandEnv): Promise<CompareResult> {
  const keys = COMPARE_ADAPTERS.map((a) => a.key);
  // "twfe,sunab" on the command line, ["twfe", "sunab"] in run()
  const wanted = o.estimators?.flatMap((e) => e.split(",")).map((e) => e.trim()).filter((e) => e !== "");
  for (const k of wanted ?? []) {
    if (!keys.includes(k)) {
      const near = nearestName(k, keys);
      throw new DidwasmError("BAD_OPTION", `unknown estimator "${k}"${near ? ` (did you mean "${near}"?)` : ""}; compare runs: ${keys.join(", ")}`, { option: "estimators" });
    }
  }
  const chosen = wanted?.length ? COMPARE_ADAPTERS.filter((a) => wanted.includes(a.key)) : COMPARE_ADAPTERS;
  frame.numeric(o.y, "outcome");
  frame.column(o.unit, "unit");
  const time = frame.numeric(o.time, "time");
  const cohort = frame.numeric(o.cohort, "cohort");
  const treat = freshName(frame, "compare_treat");
  const d = new Float64Array(frame.nrow);
  for (let i = 0; i < d.length; i++) d[i] = cohort[i] > 0 && time[i] >= cohort[i] ? 1 : 0;
  const f = frame.withColumn({ name: treat, kind: "numeric", values: d });
  const p: ComparePanel = { panel: { y: o.y, unit: o.unit, time: o.time }, cohort: o.cohort, treat };
  const notes: Note[] = [];
  const estimators: CompareEstimator[] = [];
  // An estimator that cannot run on this panel (e.g. Callaway-Sant'Anna without never-treated units) is
  // left out with a note; when none can, the first one's error is the answer.
  const failures: Array<{ label: string; error: DidwasmError }> = [];
  for (const a of chosen) {
    const t0 = performance.now();
    let r;
    try {
      r = await a.run(f, p, env);
    } catch (e) {
      if (!isDidwasmError(e)) throw e;
      failures.push({ label: a.label, error: e });
      continue;
    }
    estimators.push({ key: a.key, label: a.label, overall: r.overall, event: r.event, ms: performance.now() - t0 });
    for (const n of r.notes ?? []) notes.push({ ...n, message: `${a.label}: ${n.message}` });
  }
  if (estimators.length === 0) throw failures[0].error;
  for (const x of failures) notes.push(warning("method", `${x.label} left out: ${x.error.message}`));
  notes.push(info("method", "TWFE, did2s and Sun-Abraham measure pre-periods against period -1; Callaway-Sant'Anna's pre-periods use a varying base period (each against the period before), and imputation shows post-periods only (its pre-trend test is a separate regression)"));
  return { estimators, notes };
}
