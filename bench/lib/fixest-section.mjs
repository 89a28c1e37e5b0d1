// The "Fixed-effects fit vs fixest" section of bench/RESULTS.md, written from bench/fixest.bench.mjs's
// results: how it was measured, the issue's targets, times side by side, and the agreement of estimates.
import { COEF_REL_TOL, SE_REL_TOL } from "./agreement.mjs";

export const HEADING = "## Fixed-effects fit vs fixest (bench/fixest.bench.mjs)";

const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const sci = (x) => (x === Infinity ? "missing" : Number.isFinite(x) ? x.toExponential(1) : "–");
const num = (x) => (Number.isFinite(x) ? x.toPrecision(10) : "–");
/** A markdown table; `|` inside a cell (the formulas' fixed-effect bar) is escaped. `align` has one letter
 *  per column, l (text) or r (numbers); by default the first column is text, the others numbers. */
const cell = (c) => String(c).replaceAll("|", "\\|");
const table = (head, rows, align = "l" + "r".repeat(head.length - 1)) =>
  [`| ${head.map(cell).join(" | ")} |`, `| ${head.map((_, i) => (align[i] === "l" ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
const list = (v) => (Array.isArray(v) ? v.join("/") : v === undefined || v === null ? "–" : String(v));
const sizes = (s) => (s ? Object.entries(s).map(([k, v]) => `${k} ${f0(v)}`).join(", ") : "–");

/** didwasm's fit time as a table cell: the median, or why there is none. */
function didwasmCell(d, key = "fitMs") {
  if (!d) return "–";
  if (d.timedOut) return `> ${f0(d.timeoutMs)} (killed)`;
  return `${f0(d[key])}${d.runs.length === 1 ? " (1 run)" : ""}`;
}

function ratio(m) {
  if (!m.fixest || !m.didwasm) return NaN;
  const fx = m.fixest.best_s * 1000;
  return m.didwasm.timedOut ? m.didwasm.timeoutMs / fx : m.didwasm.fitMs / fx;
}
const ratioCell = (m) => (m.didwasm?.timedOut ? `> ${f2(ratio(m))}` : f2(ratio(m)));

/** didwasm's best time with fixest's protocol (bench/lib/feols-warm.mjs) on `threads` threads, or NaN. */
const warmMs = (m, threads) => m.warm?.threads?.[threads]?.bestMs ?? NaN;
const warmRatio = (m) => (m.fixest ? warmMs(m, 1) / (m.fixest.best_s * 1000) : NaN);
/** The same-protocol cell: 1 / 2 threads, or why it was not measured. */
function warmCell(m, o) {
  if (m.warm) {
    const each = (t) => (m.warm.threads[t]?.processBestMs ? ` (${m.warm.threads[t].processBestMs.map(f0).join(", ")})` : "");
    return `${f0(warmMs(m, 1))}${each(1)} / ${Number.isFinite(warmMs(m, 2)) ? `${f0(warmMs(m, 2))}${each(2)}` : "n/a"}`;
  }
  if (m.didwasm?.timedOut) return "–";
  return "not run (`--warm`)";
}
/** Whether the same-protocol fits' estimates are the fresh process's, to the bit (the same computation). */
function warmSameEstimates(m) {
  if (!m.warm || m.didwasm?.timedOut) return null;
  return Object.values(m.warm.threads).every((w) =>
    Object.entries(m.didwasm.coef).every(([t, v]) => Object.is(w.coef[t], v)) && Object.entries(m.didwasm.se).every(([t, v]) => Object.is(w.se[t], v)));
}

function status(value, limit) {
  if (!Number.isFinite(value)) return "–";
  if (value > limit) return "**FAIL**";
  return value / limit > 0.9 ? "pass (marginal, within 10%)" : "pass";
}

/** `run`: { machine, fixestInfo, options, datasets: [{ ds, got, models: [{ model, fixest, didwasm, threads2, agreement }] }], waits }. */
export function fixestSection(run) {
  const { machine: mi, fixestInfo: fx, options: o } = run;
  const models = run.datasets.flatMap((d) => d.models);
  const byId = Object.fromEntries(models.map((m) => [m.model.id, m]));
  const L = [];
  const p = (s = "") => L.push(s);
  p(HEADING);
  p();
  p(`Measured ${mi.date}; ${mi.cpu} (${mi.cpuFamilyModel}), ${mi.cores} logical cores${mi.hypervisor ? " (virtual machine)" : ""}, ` +
    `${mi.ramGiB.toFixed(1)} GiB RAM, ${mi.kernel}; Node ${mi.node}; ` +
    (fx.ok ? `${fx.r}, fixest ${fx.fixest}, data.table ${fx.data_table}; ` : `fixest not run (${fx.why}); `) +
    `didwasm commit ${mi.git}${mi.gitDirty ? " + uncommitted changes in assembly/, bindings/ or cli/" : ""}.`);
  p();
  p(`fixest: \`feols(FORMULA, data, vcov = ~CLUSTER, fixef.tol = ${o.tol}, nthreads = 1)\` with data.table's threads also set to 1, ` +
    `in one R session per data set (bench/fixest-timing.R): the CSV read with \`data.table::fread\` first (not timed), one warm-up fit ` +
    `(its estimates are the ones compared), then the best of ${o.reps} fits, elapsed time, a garbage collection before each (not timed). ` +
    `didwasm: \`didwasm fit FILE --formula FORMULA --vcov cluster:CLUSTER --tol ${o.tol} --json\`, median of ${o.runs} fresh processes ` +
    `(cold starts): \`timing_ms.fit\` (the fit, without reading the CSV) and the whole process's wall time. A process still running ` +
    `after ${f0(o.timeoutS)} s is killed, and a first run longer than ${f0(o.longRunS)} s is not repeated (so that the suite stays ` +
    `well under 15 minutes); either is said in the cell. Both use a demeaning tolerance of ${o.tol}, each with its own stopping rule. ` +
    `Ratio: didwasm's \`timing_ms.fit\` / fixest's best time. ` +
    `didwasm with fixest's protocol ("same protocol", bench/lib/feols-warm.mjs): \`feols(frame, FORMULA, { vcov: "cluster:CLUSTER", tol: ${o.tol}, threads })\` ` +
    `through the library in one Node process, the CSV read first (not timed), then for 1 and for 2 threads one warm-up fit and the best of ${o.reps} fits, ` +
    `in 3 such processes one after the other, the median of their bests reported (one process's best varies by 20-40% from one process to the next on this machine), ` +
    `a garbage collection before each (not timed); each fit gets fresh copies of the columns, because the library keeps a column's group ` +
    `encoding as long as the column lives, which fixest does not do between calls (so both sides encode the fixed effects and clusters in every timed fit). ` +
    `Run for ${o.warm?.length ? o.warm.join(", ") : "no model"} (\`--warm\`; ${2 * (1 + o.reps)} more fits per model: the hard cases' would add minutes). ` +
    `**The easy panel's targets use the same-protocol times** (fixest's time is in-session, after a warm-up, so the like-for-like didwasm time is too); ` +
    `the hard panel's keep the fresh-process times, as before.`);
  p();
  p(table(["data set (bench/data/)", "rows", "fixed effects", "made by"], run.datasets.map((d) => [
    d.ds.title, f0(d.models[0]?.fixest?.nobs ?? d.models[0]?.didwasm?.nobs ?? d.got.stats?.rows), sizes(d.models[0]?.fixest?.fixef_sizes ?? d.models[0]?.didwasm?.fixefSizes),
    `${d.ds.describe.generator}${d.ds.describe.seed !== undefined ? `, seed ${d.ds.describe.seed}` : ""}${d.got.reused ? " (file reused)" : ""}`,
  ]), "lrll"));
  p();

  // targets of issue 12
  const tRows = [];
  for (const id of ["hard3", "hard2"]) {
    const m = byId[id];
    if (!m || !m.model.target) continue;
    tRows.push([`${m.model.label}: didwasm / fixest, 1 thread`, `${ratioCell(m)}x`, `≤ ${m.model.target}x`, m.didwasm?.timedOut ? "**FAIL**" : status(ratio(m), m.model.target)]);
  }
  const easy = byId.easy;
  if (easy) {
    // same protocol as fixest; the fresh-process ratios beside them, for the record
    const fresh2 = easy.threads2 ? ` (fresh process: ${f2(easy.threads2.fitMs / easy.didwasm.fitMs)}x)` : "";
    const w1 = warmMs(easy, 1);
    const w2 = warmMs(easy, 2);
    tRows.push([`${easy.model.label}: didwasm / fixest, 1 thread, same protocol`, `${f2(warmRatio(easy))}x (fresh process: ${ratioCell(easy)}x)`, `≤ ${easy.model.target}x`, status(warmRatio(easy), easy.model.target)]);
    tRows.push([`${easy.model.label}: 2 threads / 1 thread, didwasm, same protocol`, Number.isFinite(w2) ? `${f2(w2 / w1)}x${fresh2}` : "n/a", `≤ ${easy.model.threadsTarget}x`, status(w2 / w1, easy.model.threadsTarget)]);
  }
  for (const id of ["hard3", "hard2"]) {
    const a = byId[id]?.agreement;
    if (!a) continue;
    tRows.push([`${byId[id].model.label}: largest relative difference from fixest, coefficients / clustered SEs`, `${sci(a.coefMax)} / ${sci(a.seMax)}`, `≤ ${sci(COEF_REL_TOL)} / ${sci(SE_REL_TOL)}`, a.ok ? "pass" : "**FAIL**"]);
  }
  p("Targets of issue 12:");
  p();
  p(table(["target", "measured", "limit", "status"], tRows, "lrrl"));
  p();

  p(table(
    ["model (clustered by)", `fixest ms (best of ${o.reps})`, "fixest iterations (y/x...)", `didwasm, same protocol, ms (median of 3 processes' best of ${o.reps}), 1 / 2 threads`, "same protocol / fixest", "didwasm fit ms (fresh process)", "didwasm whole process ms", "didwasm / fixest (fresh process)", "didwasm iterations", "converged", "didwasm fit ms (fresh process), --threads 1 / 2"],
    models.map((m) => [
      `${m.model.label} (${m.model.cluster})`,
      m.fixest ? f0(m.fixest.best_s * 1000) : "–",
      m.fixest ? list(m.fixest.iterations) : "–",
      warmCell(m, o), m.warm ? f2(warmRatio(m)) : "–",
      didwasmCell(m.didwasm), didwasmCell(m.didwasm, "wallMs"), ratioCell(m),
      m.didwasm && !m.didwasm.timedOut ? list(m.didwasm.iterations) : "–",
      m.didwasm && !m.didwasm.timedOut ? String(m.didwasm.converged) : "–",
      m.threads2 ? `${f0(m.didwasm.fitMs)} / ${f0(m.threads2.fitMs)}` : "n/a",
    ]),
  ));
  p();
  p(`Agreement with fixest (relative differences; limits ${sci(COEF_REL_TOL)} for coefficients, ${sci(SE_REL_TOL)} for clustered standard errors):`);
  p();
  const aRows = [];
  for (const m of models) {
    if (!m.agreement) {
      aRows.push([m.model.label, "–", "–", "–", "–", "–", "–", "–", m.didwasm?.timedOut ? "didwasm killed, no estimates" : "not compared"]);
      continue;
    }
    for (const r of m.agreement.rows) {
      aRows.push([m.model.label, r.term, num(r.fixestCoef), num(r.didwasmCoef), sci(r.coefRel), num(r.fixestSe), num(r.didwasmSe), sci(r.seRel),
        r.coefRel <= COEF_REL_TOL && r.seRel <= SE_REL_TOL ? "pass" : "**FAIL**"]);
    }
  }
  p(table(["model", "term", "fixest coef", "didwasm coef", "rel diff", "fixest SE", "didwasm SE", "rel diff", "status"], aRows, "llrrrrrrl"));
  p();

  const remarks = [];
  for (const m of models) {
    for (const n of m.didwasm?.notes ?? []) remarks.push(`${m.model.id}, didwasm: ${n}`);
    for (const w of m.fixest?.warnings ?? []) remarks.push(`${m.model.id}, fixest: ${w}`);
  }
  const warmed = models.filter((m) => m.warm);
  if (warmed.length) {
    const differ = warmed.filter((m) => warmSameEstimates(m) === false);
    remarks.push(differ.length
      ? `**the same-protocol estimates differ from the fresh process's** for ${differ.map((m) => m.model.id).join(", ")}`
      : "the same-protocol fits' coefficients and standard errors (1 and 2 threads) are the fresh processes' to the bit");
  }
  const busy = run.waits.filter((w) => !w.idle);
  remarks.push(`the machine is shared: before each of ${run.waits.length} measurements the script waited for the CPUs to be at most 15% busy ` +
    `(${f0(run.waits.reduce((s, w) => s + w.waitedMs, 0) / 1000)} s in all); ` +
    (busy.length ? `**${busy.length} started on a busy machine**: ${busy.map((w) => w.what).join("; ")}` : "every measurement started on an idle machine"));
  remarks.push(`the whole suite took ${f0(run.totalS)} s`);
  p("Notes:");
  p();
  for (const r of remarks) p(`- ${r}`);
  p();
  p("Reproduce (alone; needs `npm run build` and R with fixest, data.table and jsonlite, e.g. `bash ../shared/anchors/install-r.sh`): " +
    "`node bench/fixest.bench.mjs` (options: `--runs 3`, `--reps 3`, `--timeout-s 120`, `--long-run-s 60`, `--warm easy,trade` (or `all`, `none`), `--only hard,difficult,trade,easy` " +
    "to run some data sets without writing this section). Also run by `npm run bench`.");
  p();
  return L.join("\n");
}
