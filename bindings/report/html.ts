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
import { otherDataFiles } from "./spec.js";
import { fill, reportNoteText, reportWords, wordOr, type Words } from "./words.js";

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

function sectionHtml(s: SectionBlocks, analyses: string, exists: FileExists, w: Words): string {
  const parts = [`<section id="s${s.number}">`, `<h2>${s.number}. ${escapeHtml(s.title)}</h2>`];
  if (s.note) parts.push(`<p class="note">${escapeHtml(s.note)}</p>`);
  for (const b of s.blocks) {
    if (b.kind === "table") parts.push(`<div class="block" id="table-${b.number}" style="--fit-em: ${fitEm(b.table)}">${renderHtml(b.table, { noteBlocks: true })}</div>`);
    else if (b.kind === "figure") {
      const links = figureLinks(b, exists);
      parts.push(
        `<figure id="figure-${b.number}">${b.svg.replace(/^<\?xml[^>]*>\s*/, "")}<figcaption>${escapeHtml(b.caption)}</figcaption>` +
          `${links ? `<div class="files">${escapeHtml(w.download)}${links}</div>` : ""}</figure>`,
      );
    } else if (b.kind === "error") parts.push(`<div class="error" role="alert"><strong>${escapeHtml(w.notEstimated)}</strong> (${escapeHtml(b.where)}): ${escapeHtml(b.message)}</div>`);
    else parts.push(`<p>${escapeHtml(b.text)}</p>`);
  }
  if (analyses) parts.push(analyses);
  parts.push("</section>");
  return parts.join("\n");
}

/** Sections, and under each its tables and figures. */
function contents(sections: readonly SectionBlocks[], w: Words): string {
  const items = sections.map((s) => {
    const inner = s.blocks.flatMap((b) =>
      b.kind === "table" ? [`<li><a href="#table-${b.number}">${escapeHtml(b.caption)}</a></li>`] : b.kind === "figure" ? [`<li><a href="#figure-${b.number}">${escapeHtml(b.caption)}</a></li>`] : [],
    );
    return `<li><a href="#s${s.number}">${escapeHtml(s.title)}</a>${inner.length ? `<ol>${inner.join("")}</ol>` : ""}</li>`;
  });
  return `<nav class="toc" aria-label="${escapeHtml(w.contents)}"><h2>${escapeHtml(w.contents)}</h2><ol>${items.join("")}<li><a href="#methods">${escapeHtml(w.methods)}</a></li></ol></nav>`;
}

/** The data files analyses name besides the spec's (the firm panel beside the city panel), or nothing. */
function otherDataNote(r: ReportResult, w: Words): string {
  const others = otherDataFiles(r.spec).map((f) => f.data);
  return others.length ? fill(w.otherData, { files: others.join(", ") }) : "";
}

function methods(r: ReportResult, w: Words): string {
  const seeds = r.sections.flatMap((s) =>
    s.analyses.filter((a) => a.calls.some((c) => c.options.seed !== undefined)).map((a) => fill(w.seedItem, { section: s.number, title: s.title, analysis: a.analysis.label ?? wordOr(w, `type:${a.analysis.type}`, a.analysis.type), seed: a.seed })),
  );
  const failed = r.sections.flatMap((s) => s.analyses.flatMap((a) => a.calls.filter((c) => c.error).map(() => s.number)));
  return [
    '<footer id="methods">',
    `<h2>${escapeHtml(w.methods)}</h2>`,
    `<p>${escapeHtml(w.methodsText)}</p>`,
    seeds.length ? `<p>${escapeHtml(fill(w.seeds, { seed: r.spec.seed, list: seeds.join(w.compareSeparator) }))}</p>` : "",
    `<p>${escapeHtml(fill(w.produced, {
      data: r.spec.data, rows: r.nrow.toLocaleString("en-US"), others: otherDataNote(r, w), version: r.version, created: r.created,
      seconds: (r.elapsedMs / 1000).toFixed(1), failed: failed.length ? fill(w.failed, { count: failed.length, sections: [...new Set(failed)].join(", ") }) : "",
    }))}</p>`,
    "</footer>",
  ].join("\n");
}

export function reportHtml(r: ReportResult, sections: readonly SectionBlocks[], o: ReportHtmlOptions = {}): string {
  const exists = o.exists ?? (() => false);
  const w = reportWords(r.spec);
  const lang = /[\u3400-\u9fff]/.test(JSON.stringify(r.spec)) ? "zh" : "en";
  const body = sections.map((s) => {
    const outcome = r.sections.find((x) => x.number === s.number);
    return sectionHtml(s, outcome ? analysesHtml(outcome, s, exists, w, reportNoteText(r.spec)) : "", exists, w);
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
<div class="meta">${escapeHtml(fill(w.meta, { version: r.version, date: r.created.slice(0, 10), data: r.spec.data, rows: r.nrow.toLocaleString("en-US"), others: otherDataNote(r, w) }))}</div>
</header>
${contents(sections, w)}
${body.join("\n")}
${methods(r, w)}
</main>
${COPY_SCRIPT}
</body>
</html>
`;
}
