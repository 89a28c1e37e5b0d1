// The report as one self-contained HTML page: no scripts, no fonts or images fetched; tables as HTML,
// figures as inline SVG, numbered like a paper, errors shown in the section they belong to, and a note on
// methods, seeds and software at the end.
import { escapeHtml, renderHtml } from "../present/tables/html.js";
import type { SectionBlocks } from "./blocks.js";
import type { ReportResult } from "./runner.js";

const STYLE = `
:root { --ink: #1f2937; --muted: #6b7280; --rule: #d1d5db; --accent: #1d4ed8; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 "Source Serif Pro", Georgia, "Noto Serif CJK SC", "Songti SC", serif; color: var(--ink); background: #f8fafc; }
main { max-width: 980px; margin: 0 auto; padding: 2.5rem 2rem 4rem; background: white; min-height: 100vh; box-shadow: 0 0 0 1px #e5e7eb; }
header h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .4rem; }
header .meta { color: var(--muted); font: 13px/1.5 system-ui, sans-serif; }
nav { margin: 1.6rem 0 2rem; padding: .8rem 1rem; background: #f1f5f9; border-radius: 6px; font: 14px/1.7 system-ui, sans-serif; }
nav ol { margin: 0; padding-left: 1.4rem; columns: 2; }
nav a { color: var(--accent); text-decoration: none; }
section { margin: 2.6rem 0; }
section h2 { font-size: 1.25rem; border-bottom: 1px solid var(--rule); padding-bottom: .3rem; }
p.note { color: var(--muted); font-style: italic; margin-top: -.4rem; }
.block { margin: 1.4rem 0; overflow-x: auto; }
table.didwasm-table { border-collapse: collapse; border-top: 2px solid var(--ink); border-bottom: 2px solid var(--ink); font: 13.5px/1.35 system-ui, sans-serif; font-variant-numeric: tabular-nums; margin: 0 auto; }
table.didwasm-table caption { caption-side: top; text-align: left; font: 600 14px/1.4 system-ui, sans-serif; padding-bottom: .5rem; }
table.didwasm-table th, table.didwasm-table td { padding: .18em .9em; font-weight: normal; white-space: nowrap; }
table.didwasm-table thead tr:last-child th { border-bottom: 1px solid var(--ink); }
table.didwasm-table th.span { border-bottom: 1px solid var(--rule); }
table.didwasm-table tr.rule th, table.didwasm-table tr.rule td { border-top: 1px solid var(--ink); }
table.didwasm-table tr.paren td { color: var(--muted); }
table.didwasm-table .l { text-align: left; } table.didwasm-table .c { text-align: center; } table.didwasm-table .r { text-align: right; }
table.didwasm-table tfoot td { border-top: 1px solid var(--ink); font-size: 12px; color: var(--muted); text-align: left; white-space: normal; }
figure { margin: 1.6rem 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font: 600 14px/1.4 system-ui, sans-serif; margin-top: .3rem; }
.error { border-left: 4px solid var(--bad); background: #fef2f2; padding: .7rem 1rem; font: 14px/1.5 system-ui, sans-serif; color: #7f1d1d; }
.error strong { color: var(--bad); }
details.reproduce { margin: .8rem 0; font: 13px/1.5 system-ui, sans-serif; color: var(--muted); }
details.reproduce summary { cursor: pointer; }
details.reproduce ul { list-style: none; padding-left: .6rem; }
details.reproduce li { margin: .35rem 0; }
details.reproduce .what { display: block; color: var(--ink); }
details.reproduce code { display: block; white-space: pre-wrap; word-break: break-all; background: #f1f5f9; padding: .3rem .5rem; border-radius: 4px; }
@media print { details.reproduce { display: none; } }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule); color: var(--muted); font: 13px/1.6 system-ui, sans-serif; }
footer h2 { font-size: 1rem; color: var(--ink); }
`;

/** The command lines that reproduce a section's analyses, one per call, labelled by the analysis. */
function reproduceHtml(r: ReportResult, number: number): string {
  const section = r.sections.find((s) => s.number === number);
  const lines = (section?.analyses ?? []).flatMap((a) =>
    a.calls.map((c) => `<li><span class="what">${escapeHtml(a.analysis.label ?? a.analysis.type)}${c.role && c.role !== a.analysis.label && c.role !== "model" ? ` (${escapeHtml(c.role)})` : ""}</span><code>${escapeHtml(c.commandLine)}</code></li>`),
  );
  return lines.length ? `<details class="reproduce"><summary>Reproduce</summary><ul>${lines.join("")}</ul></details>` : "";
}

function sectionHtml(s: SectionBlocks, reproduce: string): string {
  const parts = [`<section id="s${s.number}">`, `<h2>${s.number}. ${escapeHtml(s.title)}</h2>`];
  if (s.note) parts.push(`<p class="note">${escapeHtml(s.note)}</p>`);
  for (const b of s.blocks) {
    if (b.kind === "table") parts.push(`<div class="block" id="table-${b.number}">${renderHtml(b.table)}</div>`);
    else if (b.kind === "figure") parts.push(`<figure id="figure-${b.number}">${b.svg.replace(/^<\?xml[^>]*>\s*/, "")}<figcaption>${escapeHtml(b.caption)}</figcaption></figure>`);
    else if (b.kind === "error") parts.push(`<div class="error" role="alert"><strong>Could not be estimated</strong> (${escapeHtml(b.where)}): ${escapeHtml(b.message)}</div>`);
    else parts.push(`<p>${escapeHtml(b.text)}</p>`);
  }
  if (reproduce) parts.push(reproduce);
  parts.push("</section>");
  return parts.join("\n");
}

function methods(r: ReportResult): string {
  const seeds = r.sections.flatMap((s) =>
    s.analyses.filter((a) => a.calls.some((c) => c.options.seed !== undefined)).map((a) => `${s.number}. ${escapeHtml(s.title)} (${escapeHtml(a.analysis.label ?? a.analysis.type)}): seed ${a.seed}`),
  );
  const failed = r.sections.flatMap((s) => s.analyses.flatMap((a) => a.calls.filter((c) => c.error).map(() => s.number)));
  return [
    "<footer>",
    "<h2>Methods and reproducibility</h2>",
    "<p>Two-way fixed-effects regressions absorb the fixed effects by alternating projections; standard errors are cluster-robust (CRV1) with fixest 0.12's small-sample corrections and t(G − 1) p-values. " +
      "Event studies omit the reference period and use never-treated units as controls. The Goodman-Bacon decomposition follows bacondecomp; did2s uses Gardner's two-stage estimator with its GMM-corrected variance; " +
      "Sun-Abraham aggregates cohort-period effects by their observation shares; Callaway-Sant'Anna uses never-treated controls and influence-function standard errors. " +
      "Placebo and group-difference tests draw replicate r from stream r of the analysis's seed, so every number can be reproduced exactly.</p>",
    seeds.length ? `<p>Seeds (from the spec's seed ${r.spec.seed}): ${seeds.join("; ")}.</p>` : "",
    `<p>Data: ${escapeHtml(r.spec.data)} (${r.nrow.toLocaleString("en-US")} rows). Produced by didwasm ${escapeHtml(r.version)} on ${escapeHtml(r.created)} in ${(r.elapsedMs / 1000).toFixed(1)} s` +
      `${failed.length ? `; ${failed.length} computation(s) failed (sections ${[...new Set(failed)].join(", ")})` : ""}. Every number is also in results.json, and every table in tables.tex.</p>`,
    "</footer>",
  ].join("\n");
}

export function reportHtml(r: ReportResult, sections: readonly SectionBlocks[]): string {
  const toc = sections.map((s) => `<li><a href="#s${s.number}">${escapeHtml(s.title)}</a></li>`).join("");
  const lang = /[\u3400-\u9fff]/.test(JSON.stringify(r.spec)) ? "zh" : "en";
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.spec.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(r.spec.title)}</h1>
<div class="meta">didwasm ${escapeHtml(r.version)} · ${escapeHtml(r.created.slice(0, 10))} · data: ${escapeHtml(r.spec.data)} · ${r.nrow.toLocaleString("en-US")} rows</div>
</header>
<nav><ol>${toc}</ol></nav>
${sections.map((s) => sectionHtml(s, reproduceHtml(r, s.number))).join("\n")}
${methods(r)}
</main>
</body>
</html>
`;
}
