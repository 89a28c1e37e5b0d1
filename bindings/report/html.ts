// The report as one self-contained HTML page: no fonts, images or scripts fetched; tables as HTML that
// always fit the page, on screen and printed (html-style.ts), figures as inline SVG, numbered like a paper,
// a table of contents, errors shown in the section they belong to, each analysis with its notes, files and
// reproducing command lines (html-analyses.ts), and a note on methods, seeds and software at the end. One
// small inline script serves the copy buttons; the page reads the same without it.
import { escapeHtml, renderHtml } from "../present/tables/html.js";
import { SANS_METRICS, tableWidthEm } from "../present/tables/width.js";
import type { Table } from "../present/tables/model.js";
import type { SectionBlocks } from "./blocks.js";
import { COPY_SCRIPT, analysesHtml, figureLinks, type FileExists } from "./html-analyses.js";
import { CELL_PADDING_EM, REPORT_STYLE } from "./html-style.js";
import type { ReportResult } from "./runner.js";

export interface ReportHtmlOptions {
  /** Whether a file beside the page exists (figure files, each analysis's JSON): only those are linked.
   *  Default: none is. */
  readonly exists?: FileExists;
}

/** Room left for what the estimate cannot see (borders, rounding of widths): a table is fitted to this
 *  share of its column. */
const FIT_MARGIN = 1.06;

/** The table's estimated narrowest width in em (wrapping header cells and row labels), for --fit-em. */
function fitEm(t: Table): string {
  const em = tableWidthEm(t, { metrics: SANS_METRICS, paddingEm: 2 * CELL_PADDING_EM, wrapHeader: true, wrapStub: true });
  return (em * FIT_MARGIN).toFixed(1);
}

function sectionHtml(s: SectionBlocks, analyses: string, exists: FileExists): string {
  const parts = [`<section id="s${s.number}">`, `<h2>${s.number}. ${escapeHtml(s.title)}</h2>`];
  if (s.note) parts.push(`<p class="note">${escapeHtml(s.note)}</p>`);
  for (const b of s.blocks) {
    if (b.kind === "table") parts.push(`<div class="block" id="table-${b.number}" style="--fit-em: ${fitEm(b.table)}">${renderHtml(b.table, { noteBlocks: true })}</div>`);
    else if (b.kind === "figure") {
      const links = figureLinks(b, exists);
      parts.push(
        `<figure id="figure-${b.number}">${b.svg.replace(/^<\?xml[^>]*>\s*/, "")}<figcaption>${escapeHtml(b.caption)}</figcaption>` +
          `${links ? `<div class="files">Download: ${links}</div>` : ""}</figure>`,
      );
    } else if (b.kind === "error") parts.push(`<div class="error" role="alert"><strong>Could not be estimated</strong> (${escapeHtml(b.where)}): ${escapeHtml(b.message)}</div>`);
    else parts.push(`<p>${escapeHtml(b.text)}</p>`);
  }
  if (analyses) parts.push(analyses);
  parts.push("</section>");
  return parts.join("\n");
}

/** Sections, and under each its tables and figures. */
function contents(sections: readonly SectionBlocks[]): string {
  const items = sections.map((s) => {
    const inner = s.blocks.flatMap((b) =>
      b.kind === "table" ? [`<li><a href="#table-${b.number}">${escapeHtml(b.caption)}</a></li>`] : b.kind === "figure" ? [`<li><a href="#figure-${b.number}">${escapeHtml(b.caption)}</a></li>`] : [],
    );
    return `<li><a href="#s${s.number}">${escapeHtml(s.title)}</a>${inner.length ? `<ol>${inner.join("")}</ol>` : ""}</li>`;
  });
  return `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${items.join("")}<li><a href="#methods">Methods and reproducibility</a></li></ol></nav>`;
}

function methods(r: ReportResult): string {
  const seeds = r.sections.flatMap((s) =>
    s.analyses.filter((a) => a.calls.some((c) => c.options.seed !== undefined)).map((a) => `${s.number}. ${escapeHtml(s.title)} (${escapeHtml(a.analysis.label ?? a.analysis.type)}): seed ${a.seed}`),
  );
  const failed = r.sections.flatMap((s) => s.analyses.flatMap((a) => a.calls.filter((c) => c.error).map(() => s.number)));
  return [
    '<footer id="methods">',
    "<h2>Methods and reproducibility</h2>",
    "<p>Two-way fixed-effects regressions absorb the fixed effects by alternating projections; standard errors are cluster-robust (CRV1) with fixest 0.12's small-sample corrections and t(G − 1) p-values. " +
      "Event studies omit the reference period and use never-treated units as controls. The Goodman-Bacon decomposition follows bacondecomp; did2s uses Gardner's two-stage estimator with its GMM-corrected variance; " +
      "Sun-Abraham aggregates cohort-period effects by their observation shares; Callaway-Sant'Anna uses never-treated controls and influence-function standard errors. " +
      "Placebo and group-difference tests draw replicate r from stream r of the analysis's seed, so every number can be reproduced exactly.</p>",
    seeds.length ? `<p>Seeds (from the spec's seed ${r.spec.seed}): ${seeds.join("; ")}.</p>` : "",
    `<p>Data: ${escapeHtml(r.spec.data)} (${r.nrow.toLocaleString("en-US")} rows). Produced by didwasm ${escapeHtml(r.version)} on ${escapeHtml(r.created)} in ${(r.elapsedMs / 1000).toFixed(1)} s` +
      `${failed.length ? `; ${failed.length} computation(s) failed (sections ${[...new Set(failed)].join(", ")})` : ""}. Every number is also in results.json, and every table in tables.tex, tables.docx and tables.rtf.</p>`,
    "</footer>",
  ].join("\n");
}

export function reportHtml(r: ReportResult, sections: readonly SectionBlocks[], o: ReportHtmlOptions = {}): string {
  const exists = o.exists ?? (() => false);
  const lang = /[\u3400-\u9fff]/.test(JSON.stringify(r.spec)) ? "zh" : "en";
  const body = sections.map((s) => {
    const outcome = r.sections.find((x) => x.number === s.number);
    return sectionHtml(s, outcome ? analysesHtml(outcome, s, exists) : "", exists);
  });
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.spec.title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(r.spec.title)}</h1>
<div class="meta">didwasm ${escapeHtml(r.version)} · ${escapeHtml(r.created.slice(0, 10))} · data: ${escapeHtml(r.spec.data)} · ${r.nrow.toLocaleString("en-US")} rows</div>
</header>
${contents(sections)}
${body.join("\n")}
${methods(r)}
</main>
${COPY_SCRIPT}
</body>
</html>
`;
}
