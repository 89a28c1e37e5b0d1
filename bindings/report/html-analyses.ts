// Under each section of the report page, one entry per analysis: its notes (warnings first), links to its
// JSON and figure files (only files that exist beside the page), and the exact command line of each of its
// computations with a copy button. The buttons need the page's one small script (COPY_SCRIPT); without
// it they stay hidden and the command lines can still be selected.
import type { Note } from "../notes.js";
import { FIGURE_FORMATS, figureFileStem } from "../present/figure-files.js";
import { escapeHtml } from "../present/tables/html.js";
import type { FigureBlock, SectionBlocks } from "./blocks.js";
import { FIGURES_FOLDER } from "./figure-and-word-files.js";
import { analysisJsonPath, type SectionOutcome } from "./runner.js";
import { EN_WORDS, fill, wordOr, type Words } from "./words.js";

/** Whether a file (a path relative to the page, "/"-separated) exists beside the page. */
export type FileExists = (path: string) => boolean;

/** Links to the files of a figure that exist: "SVG · PDF · PNG". */
export function figureLinks(b: FigureBlock, exists: FileExists): string {
  const stem = figureFileStem(b.number, b.caption);
  const links = FIGURE_FORMATS.map((f) => `${FIGURES_FOLDER}/${stem}.${f}`)
    .filter((p) => exists(p))
    .map((p) => `<a href="${escapeHtml(p)}">${escapeHtml(p.slice(p.lastIndexOf(".") + 1).toUpperCase())}</a>`);
  return links.join(" · ");
}

function notesHtml(notes: readonly Note[], words: Words, noteText: (n: Note) => string): string {
  if (notes.length === 0) return "";
  const ordered = [...notes.filter((n) => n.severity === "warning"), ...notes.filter((n) => n.severity !== "warning")];
  return `<ul class="notes">${ordered.map((n) => `<li class="${n.severity}">${n.severity === "warning" ? escapeHtml(words.warning) : ""}${escapeHtml(noteText(n))}</li>`).join("")}</ul>`;
}

/** The notes of an analysis's calls, each once. */
function analysisNotes(calls: SectionOutcome["analyses"][number]["calls"]): Note[] {
  const seen = new Set<string>();
  const out: Note[] = [];
  for (const c of calls) {
    for (const n of c.output?.notes ?? []) {
      const key = `${n.severity}\u0000${n.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(n);
    }
  }
  return out;
}

/** A computation's role: the phrasebook's word for it ("role:event study"), or, for a group's regression
 *  ("east = 0", a condition on a column), the condition in code font. */
function roleHtml(role: string, words: Words): string {
  return /^\S+ = \S+$/.test(role) ? `<code>${escapeHtml(role)}</code>` : escapeHtml(wordOr(words, `role:${role}`, role));
}

/** `words`: the spec's phrasebook (words.ts) for the headings, links and buttons; `noteText`: the estimators'
 *  notes in its language. An analysis without a label is named by the phrasebook's word for its type
 *  ("type:eventstudy"), the type itself shown after it in code font. */
export function analysesHtml(section: SectionOutcome, blocks: SectionBlocks, exists: FileExists, words: Words = EN_WORDS, noteText: (n: Note) => string = (n) => n.message): string {
  const entries = section.analyses.map((a, i) => {
    const name = a.analysis.label ?? wordOr(words, `type:${a.analysis.type}`, a.analysis.type);
    const files: string[] = [];
    const json = analysisJsonPath(section.number, i, a.analysis.type);
    if (exists(json)) files.push(`<a href="${escapeHtml(json)}">JSON</a>`);
    for (const b of blocks.blocks) {
      if (b.kind !== "figure" || !b.analyses.includes(i)) continue;
      const links = figureLinks(b, exists);
      if (links) files.push(`<a href="#figure-${b.number}">${escapeHtml(fill(words.figureRef, { n: b.number }))}</a>: ${links}`);
    }
    const commands = a.calls.map((c) => {
      const role = c.role && c.role !== a.analysis.label && c.role !== "model" ? `<span class="what">${roleHtml(c.role, words)}</span>` : "";
      return `<div class="command">${role}<code>${escapeHtml(c.commandLine)}</code><button type="button" class="copy" data-done="${escapeHtml(words.copied)}" hidden>${escapeHtml(words.copy)}</button></div>`;
    });
    return [
      `<div class="analysis" id="s${section.number}-a${i + 1}">`,
      `<h4>${escapeHtml(name)}${name !== a.analysis.type ? ` <span class="type">(<code>${escapeHtml(a.analysis.type)}</code>)</span>` : ""}</h4>`,
      notesHtml(analysisNotes(a.calls), words, noteText),
      files.length ? `<div class="files">${escapeHtml(words.files)}${files.join("; ")}</div>` : "",
      ...commands,
      "</div>",
    ].join("");
  });
  return entries.length ? `<div class="analyses"><h3>${escapeHtml(words.reproduce)}</h3>${entries.join("\n")}</div>` : "";
}

/** Copy buttons: shown once the script runs; a click copies its command line (the clipboard API where the
 *  page is a secure context, file: pages included, else a selection and execCommand). */
export const COPY_SCRIPT = `<script>
for (const b of document.querySelectorAll("button.copy")) b.hidden = false;
document.addEventListener("click", (e) => {
  const b = e.target.closest && e.target.closest("button.copy");
  if (!b) return;
  const code = b.parentElement.querySelector("code");
  const label = b.textContent;
  const done = () => { b.textContent = b.dataset.done || "Copied"; b.dataset.copied = "true"; setTimeout(() => { b.textContent = label; }, 1500); };
  const select = () => {
    const range = document.createRange();
    range.selectNodeContents(code);
    const s = getSelection();
    s.removeAllRanges();
    s.addRange(range);
    if (document.execCommand("copy")) done();
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(code.textContent).then(done, select);
  else select();
});
</script>`;
