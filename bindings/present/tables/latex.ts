// LaTeX with booktabs: \toprule, \midrule, \bottomrule, \multicolumn for spanning cells and \cmidrule
// under them, stars as a math superscript, a minus sign for negative numbers, notes set by threeparttable
// as wide as the table. LaTeX's special characters are escaped, and < > | are set in math mode (the
// default OT1 encoding would print other glyphs). Chinese, Japanese or Korean text needs XeLaTeX or LuaLaTeX with a CJK
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
  "\n": " ",
  "\r": " ",
};

export function escapeLatex(s: string): string {
  const escaped = s.replace(/[\\{}$&#%_^~<>|²³\r\n]/g, (c) => SPECIAL[c]);
  // "-0.25" and "(-1.96)": a minus sign, not a hyphen.
  return escaped.replace(/(^|[\s(\[])-(?=\.?\d)/g, "$1$-$");
}

const content = (c: Cell) => (c.latex ?? escapeLatex(c.text)) + (c.sup ? `$^{${escapeLatex(c.sup)}}$` : "");

function cells(cs: readonly Cell[]): string {
  return cs.map((c) => (spanOf(c) > 1 ? `\\multicolumn{${spanOf(c)}}{${c.align ?? "c"}}{${content(c)}}` : content(c))).join(" & ") + " \\\\";
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
  body.push("\\begin{table}[htbp]", "\\centering");
  if (tpt) body.push("\\begin{threeparttable}");
  if (t.caption) body.push(`\\caption{${escapeLatex(t.caption)}}`);
  if (o.label) body.push(`\\label{${o.label.replace(/[\\{}%#$&^~\s]/g, "")}}`);
  body.push(`\\begin{tabular}{${t.align.join("")}}`, "\\toprule");
  for (const h of t.header) {
    body.push(cells(h.cells));
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
  body.push("\\end{table}");
  const packages = ["booktabs", ...(tpt ? ["threeparttable"] : [])];

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
