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
    `Ratio: didwasm's \`timing_ms.fit\` / fixest's best time.`);
  p();
  p(table(["data set (bench/data/)", "rows", "fixed effects", "made by"], run.datasets.map((d) => [
    d.ds.title, f0(d.models[0]?.fixest?.nobs ?? d.models[0]?.didwasm?.nobs ?? d.got.stats?.rows), sizes(d.models[0]?.fixest?.fixef_sizes ?? d.models[0]?.didwasm?.fixefSizes),
    `${d.ds.describe.generator}${d.ds.describe.seed !== undefined ? `, seed ${d.ds.describe.seed}` : ""}${d.got.reused ? " (file reused)" : ""}`,
  ]), "lrll"));
  p();

  // targets of issue 12
  const tRows = [];
  for (const id of ["hard3", "hard2", "easy"]) {
    const m = byId[id];
    if (!m || !m.model.target) continue;
    tRows.push([`${m.model.label}: didwasm / fixest, 1 thread`, `${ratioCell(m)}x`, `≤ ${m.model.target}x`, m.didwasm?.timedOut ? "**FAIL**" : status(ratio(m), m.model.target)]);
  }
  const easy = byId.easy;
  if (easy) {
    const t = easy.threads2;
    tRows.push([`${easy.model.label}: 2 threads / 1 thread, didwasm`, t ? `${f2(t.fitMs / easy.didwasm.fitMs)}x` : "n/a (no `--threads` yet)", `≤ ${easy.model.threadsTarget}x`, t ? status(t.fitMs / easy.didwasm.fitMs, easy.model.threadsTarget) : "n/a"]);
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
    ["model (clustered by)", `fixest ms (best of ${o.reps})`, "fixest iterations (y/x...)", "didwasm fit ms", "didwasm whole process ms", "didwasm / fixest", "didwasm iterations", "converged", "didwasm fit ms, --threads 1 / 2"],
    models.map((m) => [
      `${m.model.label} (${m.model.cluster})`,
      m.fixest ? f0(m.fixest.best_s * 1000) : "–",
      m.fixest ? list(m.fixest.iterations) : "–",
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
    "`node bench/fixest.bench.mjs` (options: `--runs 3`, `--reps 3`, `--timeout-s 120`, `--long-run-s 60`, `--only hard,difficult,trade,easy` " +
    "to run some data sets without writing this section). Also run by `npm run bench`.");
  p();
  return L.join("\n");
}
