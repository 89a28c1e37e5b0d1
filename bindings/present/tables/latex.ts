// LaTeX with booktabs: \toprule, \midrule, \bottomrule, \multicolumn for spanning cells and \cmidrule
// under them, stars as a math superscript, a minus sign for negative numbers, notes set by threeparttable
// as wide as the table. LaTeX's special characters are escaped, and < > | ≤ ≥ ± × are set in math mode (the
// default OT1 encoding would print other glyphs). Options a report uses: `fit` scales a table wider than the
// line down (adjustbox), `landscape` turns its page, `headerWrap` sets long column titles in lines. Chinese, Japanese or Korean text needs XeLaTeX or LuaLaTeX with a CJK
// package: the fragment says so in a comment at its top; `standalone` writes a whole document that
// loads ctex (which loads xeCJK under XeLaTeX and picks fonts installed with TeX) when such text is present.
import { spanOf, tableHasCjk, type Cell, type Table } from "./model.js";

export interface LatexOptions {
  /** A complete document (\documentclass ... \end{document}) rather than a table float to \input. */
  readonly standalone?: boolean;
  /** \label{...} of the table float. */
  readonly label?: string;
  /** The package that typesets CJK text in the standalone document: "ctex" (default) or "xeCJK" (then
   *  `cjkFont` names the font, default FandolSong-Regular.otf, a file TeX Live ships; or a system font name such as "SimSun" or "Noto Serif CJK SC"). */
  readonly cjkPackage?: "ctex" | "xeCJK";
  readonly cjkFont?: string;
  /** Scale the table down to the line width when it is wider, or to the page's height when taller
   *  (adjustbox's `max width`, `max totalheight`); the caption is then set above the box at full size. */
  readonly fit?: boolean;
  /** Set the table on a landscape page of its own (pdflscape, which also turns the page in PDF viewers). */
  readonly landscape?: boolean;
  /** Header cells longer than this many characters are set in lines of about this length (a nested
   *  tabular), so that long column titles do not widen the table. */
  readonly headerWrap?: number;
}

/** The packages a table rendered with these options needs in the preamble. */
export function latexPackages(t: Table, o: LatexOptions = {}): string[] {
  return ["booktabs", ...(t.notes.length ? ["threeparttable"] : []), ...(o.fit ? ["adjustbox"] : []), ...(o.landscape ? ["pdflscape"] : [])];
}

const SPECIAL: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  $: "\\$",
  "&": "\\&",
  "#": "\\#",
  "%": "\\%",
  _: "\\_",
  "^": "\\textasciicircum{}",
  "~": "\\textasciitilde{}",
  "<": "$<$",
  ">": "$>$",
  "|": "$|$",
  "²": "\\textsuperscript{2}",
  "³": "\\textsuperscript{3}",
  // Math symbols the labels use (t ≤ -5, ±5, a × b): pdflatex has no text glyphs for them.
  "≤": "$\\le$",
  "≥": "$\\ge$",
  "±": "$\\pm$",
  "×": "$\\times$",
  "−": "$-$",
  "\n": " ",
  "\r": " ",
};

export function escapeLatex(s: string): string {
  const escaped = s.replace(/[\\{}$&#%_^~<>|²³≤≥±×−\r\n]/g, (c) => SPECIAL[c]);
  // "-0.25" and "(-1.96)": a minus sign, not a hyphen.
  return escaped.replace(/(^|[\s(\[])-(?=\.?\d)/g, "$1$-$");
}

const content = (c: Cell) => (c.latex ?? escapeLatex(c.text)) + (c.sup ? `$^{${escapeLatex(c.sup)}}$` : "");

/** Words in lines of at most `max` characters (a longer word is a line of its own). */
export function wrapWords(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.length ? lines[lines.length - 1] : null;
    if (last !== null && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [text];
}

/** A header cell in lines (a nested tabular without side padding, aligned on its last line). */
function headerContent(c: Cell, wrap: number | undefined): string {
  if (!wrap || c.latex !== undefined || c.text.length <= wrap || !/\s/.test(c.text.trim())) return content(c);
  const lines = wrapWords(c.text, wrap).map(escapeLatex);
  const sup = c.sup ? `$^{${escapeLatex(c.sup)}}$` : "";
  return `\\begin{tabular}[b]{@{}${c.align ?? "c"}@{}}${lines.join(" \\\\ ")}${sup}\\end{tabular}`;
}

function cells(cs: readonly Cell[], text: (c: Cell) => string = content): string {
  return cs.map((c) => (spanOf(c) > 1 ? `\\multicolumn{${spanOf(c)}}{${c.align ?? "c"}}{${text(c)}}` : text(c))).join(" & ") + " \\\\";
}

function cmidrules(cs: readonly Cell[]): string {
  const out: string[] = [];
  let j = 1;
  for (const c of cs) {
    if (spanOf(c) > 1) out.push(`\\cmidrule(lr){${j}-${j + spanOf(c) - 1}}`);
    j += spanOf(c);
  }
  return out.join(" ");
}

export function renderLatex(t: Table, o: LatexOptions = {}): string {
  const cjk = tableHasCjk(t);
  const body: string[] = [];
  const tpt = t.notes.length > 0;
  const captionAndLabel = [
    ...(t.caption ? [`\\caption{${escapeLatex(t.caption)}}`] : []),
    ...(o.label ? [`\\label{${o.label.replace(/[\\{}%#$&^~\s]/g, "")}}`] : []),
  ];
  if (o.landscape) body.push("\\begin{landscape}");
  body.push("\\begin{table}[htbp]", "\\centering");
  // Scaled, the caption stays outside the box (full size, as wide as the text); otherwise threeparttable
  // sets it as wide as the table.
  // Also no taller than the page less room for the caption (on a landscape page, lscape leaves \textheight
  // as it was: the page's height is then \textwidth).
  const height = `${o.landscape ? "\\textwidth" : "\\textheight"}-4\\baselineskip`;
  if (o.fit) body.push(...captionAndLabel, `\\begin{adjustbox}{max width=\\linewidth, max totalheight=${height}}`);
  if (tpt) body.push("\\begin{threeparttable}");
  if (!o.fit) body.push(...captionAndLabel);
  body.push(`\\begin{tabular}{${t.align.join("")}}`, "\\toprule");
  for (const h of t.header) {
    body.push(cells(h.cells, (c) => headerContent(c, o.headerWrap)));
    if (h.underlineSpans && h.cells.some((c) => spanOf(c) > 1)) body.push(cmidrules(h.cells));
  }
  if (t.header.length) body.push("\\midrule");
  t.body.forEach((r, i) => {
    if (r.kind === "rule") {
      if (i > 0 && i < t.body.length - 1) body.push("\\midrule");
    } else body.push(cells(r.cells));
  });
  body.push("\\bottomrule", "\\end{tabular}");
  // threeparttable sets the notes as wide as the tabular (a \multicolumn note row would widen its last column).
  if (tpt) body.push("\\begin{tablenotes}[flushleft]", "\\footnotesize", ...t.notes.map((note) => `\\item ${escapeLatex(note)}`), "\\end{tablenotes}", "\\end{threeparttable}");
  if (o.fit) body.push("\\end{adjustbox}");
  body.push("\\end{table}");
  if (o.landscape) body.push("\\end{landscape}");
  const packages = latexPackages(t, o);

  if (!o.standalone) {
    const head = [`% Made by didwasm. Needs ${packages.map((p) => `\\usepackage{${p}}`).join(" and ")} in the preamble.`];
    if (cjk) head.push("% Contains Chinese/CJK text: compile with XeLaTeX (or LuaLaTeX) and \\usepackage{ctex} (or \\usepackage{xeCJK} with a CJK font).");
    return [...head, ...body].join("\n") + "\n";
  }
  const pre = ["% Made by didwasm." + (cjk ? " Contains Chinese/CJK text: compile with xelatex." : ""), "\\documentclass{article}"];
  // A CJK package the caller names is loaded even when the table has no CJK text yet.
  const loadCjk = cjk || o.cjkPackage !== undefined;
  if (loadCjk && (o.cjkPackage ?? "ctex") === "ctex") pre.push("\\usepackage[UTF8]{ctex}");
  else if (loadCjk) pre.push("\\usepackage{xeCJK}", `\\setCJKmainfont{${(o.cjkFont ?? "FandolSong-Regular.otf").replace(/[\\{}%]/g, "")}}`);
  pre.push(...packages.map((p) => `\\usepackage{${p}}`), "\\begin{document}");
  return [...pre, ...body, "\\end{document}"].join("\n") + "\n";
}
