// RTF documents of tables (didwasm describe/table --format rtf, the report's tables.rtf): what Stata's esttab
// writes, and what every word processor opens. RTF is plain text, and no npm writer of it is both maintained
// and able to set real tables, so this file writes it: the same table model and the same page layout as the
// Word writer (docx-layout.ts: A4, portrait unless the table is too wide, the cells' type size and column
// widths), a real table (\trowd ... \cell ... \row) in the three-line style of journals (heavy rules above
// and below, light under the header, under spanning header cells and at the model's rules), stars as
// superscripts, notes under the table. Every character past ASCII is written as \uN? (RTF 1.5+), so the file
// is 7-bit clean and Chinese survives any code page; CJK runs are set in SimSun, the rest in Times New Roman.
import { tableLayout } from "./docx-layout.js";
import type { WordOptions, WordPart } from "./docx.js";
import { hasCjk, spanOf, type Align, type Cell, type Table } from "./tables/model.js";

/** A4, in twips (twentieths of a point), and one-inch margins, as the Word writer has them. */
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1440;
const TWIPS_PER_PT = 20;
/** Rule widths in twips: 1.5 pt and 0.5 pt, the Word writer's heavy and light rules. */
const HEAVY = 30;
const LIGHT = 10;
/** Space either side of a cell's text, in twips (the Word writer's cell margins). */
const CELL_GAP = 80;
/** Font numbers of the font table below. */
const LATIN = 0;
const CJK = 1;

/** Text as RTF: control characters of RTF escaped, everything past ASCII as \uN? (N a signed 16-bit UTF-16
 *  code unit, so characters beyond the BMP become two, a surrogate pair, as RTF readers expect). */
export function rtfEscape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c || c === 0x7b || c === 0x7d) out += `\\${s[i]}`;
    else if (c === 0x09) out += "\\tab ";
    else if (c === 0x0a) out += "\\line ";
    else if (c < 0x20) continue;
    else if (c < 0x80) out += s[i];
    else out += `\\u${c > 0x7fff ? c - 0x10000 : c}?`;
  }
  return out;
}

/** The text in runs, CJK characters in the CJK font (Word would otherwise show them in a Latin face's
 *  fallback, which differs from machine to machine). */
function textRuns(s: string): string {
  let out = "";
  let run = "";
  let cjk = false;
  const flush = () => {
    if (run) out += cjk ? `{\\f${CJK} ${rtfEscape(run)}}` : rtfEscape(run);
    run = "";
  };
  for (const ch of s) {
    const isCjk = hasCjk(ch);
    if (isCjk !== cjk) {
      flush();
      cjk = isCjk;
    }
    run += ch;
  }
  flush();
  return out;
}

const ALIGN: Readonly<Record<Align, string>> = { l: "\\ql", c: "\\qc", r: "\\qr" };

interface Rules {
  readonly top?: number;
  readonly bottom?: number;
  readonly underSpans?: boolean;
}

/** One table of the model: caption, the table's rows, the notes. */
function rtfTable(t: Table): { landscape: boolean; text: string } {
  const layout = tableLayout(t);
  const fs = Math.round(layout.fontPt * 2);
  const edges: number[] = [];
  let x = 0;
  for (const w of layout.columnsPt) edges.push(Math.round((x += w) * TWIPS_PER_PT));
  const lines: string[] = [];
  if (t.caption) lines.push(`\\pard\\plain\\qc\\keepn\\sb240\\sa120\\b\\fs21 ${textRuns(t.caption)}\\par`);

  // Each row sets its own cell boundaries, so a spanning cell is one wide cell (no merged cells to undo).
  const rowOf = (cells: readonly Cell[], rules: Rules, header: boolean, keepNext: boolean) => {
    let j = 0;
    let defs = `\\trowd\\trgaph${CELL_GAP}\\trqc\\trkeep${header ? "\\trhdr" : ""}`;
    let body = "";
    for (const c of cells) {
      const span = spanOf(c);
      const align = span > 1 ? (c.align ?? "c") : (t.align[j] ?? "l");
      j += span;
      const bottom = rules.bottom ?? (rules.underSpans && span > 1 ? LIGHT : undefined);
      if (rules.top) defs += `\\clbrdrt\\brdrs\\brdrw${rules.top}`;
      if (bottom) defs += `\\clbrdrb\\brdrs\\brdrw${bottom}`;
      defs += `\\clvertalc\\cellx${edges[j - 1]}`;
      const sup = c.sup ? `{\\super ${textRuns(c.sup)}}` : "";
      body += `\\pard\\plain\\intbl${ALIGN[align]}${keepNext ? "\\keepn" : ""}\\fs${fs} ${textRuns(c.text)}${sup}\\cell\n`;
    }
    lines.push(defs, body + "\\row");
  };

  t.header.forEach((h, i) => {
    const last = i === t.header.length - 1;
    rowOf(h.cells, { top: i === 0 ? HEAVY : undefined, bottom: last ? LIGHT : undefined, underSpans: h.underlineSpans }, true, true);
  });
  let rows = t.header.length;
  t.body.forEach((r, i) => {
    if (r.kind === "rule") return;
    const afterRule = i > 0 && t.body[i - 1].kind === "rule";
    const last = !t.body.slice(i + 1).some((x) => x.kind === "row");
    // The caption, the header and the first body row stay on one page.
    rowOf(r.cells, { top: rows === 0 ? HEAVY : afterRule ? LIGHT : undefined, bottom: last ? HEAVY : undefined }, false, rows === t.header.length);
    rows++;
  });
  const noteFs = Math.max(14, fs - 2);
  t.notes.forEach((note, i) => lines.push(`\\pard\\plain\\ql${i === 0 ? "\\sb60" : ""}\\fs${noteFs} ${textRuns(note)}\\par`));
  lines.push("\\pard\\plain\\sa240\\par");
  return { landscape: layout.orientation === "landscape", text: lines.join("\n") };
}

/** A section's page: A4 portrait or landscape, one-inch margins. */
function sectionPage(landscape: boolean): string {
  const [w, h] = landscape ? [A4.height, A4.width] : [A4.width, A4.height];
  return `\\sectd${landscape ? "\\lndscpsxn" : ""}\\pgwsxn${w}\\pghsxn${h}\\marglsxn${MARGIN}\\margrsxn${MARGIN}\\margtsxn${MARGIN}\\margbsxn${MARGIN}`;
}

/** The parts as an RTF document: headings and tables in order, a table too wide for portrait on a landscape
 *  section of its own (with the headings just before it). */
export function tablesToRtf(parts: readonly WordPart[], o: WordOptions = {}): string {
  const sections: Array<{ landscape: boolean; body: string[] }> = [];
  let pending: string[] = [];
  const add = (landscape: boolean, body: string[]) => {
    const last = sections[sections.length - 1];
    if (last && last.landscape === landscape) last.body.push(...body);
    else sections.push({ landscape, body: [...body] });
  };
  if (o.title) pending.push(`\\pard\\plain\\qc\\sa240\\b\\fs32 ${textRuns(o.title)}\\par`);
  for (const p of parts) {
    if ("heading" in p) {
      pending.push(`\\pard\\plain\\keepn\\sb240\\sa120\\b\\fs${p.level === 2 ? 23 : 26} ${textRuns(p.heading)}\\par`);
    } else {
      const t = rtfTable(p.table);
      add(t.landscape, [...pending, t.text]);
      pending = [];
    }
  }
  if (pending.length || sections.length === 0) add(sections[sections.length - 1]?.landscape ?? false, pending);

  const head = [
    "{\\rtf1\\ansi\\ansicpg1252\\uc1\\deff0",
    `{\\fonttbl{\\f${LATIN}\\froman\\fcharset0 Times New Roman;}{\\f${CJK}\\fnil\\fcharset134 SimSun;}}`,
    `{\\info{\\title ${rtfEscape(o.title ?? "didwasm tables")}}{\\author didwasm}}`,
    `\\paperw${A4.width}\\paperh${A4.height}\\margl${MARGIN}\\margr${MARGIN}\\margt${MARGIN}\\margb${MARGIN}`,
  ];
  const body = sections.map((s, i) => `${i > 0 ? "\\sect" : ""}${sectionPage(s.landscape)}\n${s.body.join("\n")}`);
  return `${head.join("\n")}\n${body.join("\n")}\n}\n`;
}
