// The report page's style sheet, screen and print. Tables always fit their column: header cells and row
// labels wrap at spaces, and a table's font shrinks when even wrapped it would be wider than the column
// (its estimated width in em, --fit-em, set per table by html.ts, against the column's width: 100cqi of
// the .block container). Printed (A4 or Letter, whichever the printer has: 15 mm margins leave 180 mm on
// A4, the narrower), the same rule fits them to the paper; tables and figures are not split across pages.

/** The largest font of a table (px); tables that fit at it are not scaled. */
export const TABLE_FONT_PX = 13.5;
/** Padding of a table cell on each side (em). */
export const CELL_PADDING_EM = 0.7;

export const REPORT_STYLE = `
:root { --ink: #1f2937; --muted: #6b7280; --rule: #d1d5db; --accent: #1d4ed8; --bad: #b91c1c; --warn: #92400e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 "Source Serif Pro", Georgia, "Noto Serif CJK SC", "Songti SC", serif; color: var(--ink); background: #f8fafc; }
main { max-width: 980px; margin: 0 auto; padding: 2.5rem 2rem 4rem; background: white; min-height: 100vh; box-shadow: 0 0 0 1px #e5e7eb; }
header h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .4rem; }
header .meta { color: var(--muted); font: 13px/1.5 system-ui, sans-serif; }
nav.toc { margin: 1.6rem 0 2rem; padding: .8rem 1rem; background: #f1f5f9; border-radius: 6px; font: 14px/1.6 system-ui, sans-serif; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .3rem; }
nav.toc ol { margin: 0; padding-left: 1.4rem; }
nav.toc ol ol { list-style: none; padding-left: .4rem; font-size: 13px; color: var(--muted); }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc ol ol a { color: var(--muted); }
section { margin: 2.6rem 0; }
section h2 { font-size: 1.25rem; border-bottom: 1px solid var(--rule); padding-bottom: .3rem; }
p.note { color: var(--muted); font-style: italic; margin-top: -.4rem; }
.block { margin: 1.4rem 0; container-type: inline-size; }
table.didwasm-table { border-collapse: collapse; border-top: 2px solid var(--ink); border-bottom: 2px solid var(--ink); font: 13.5px/1.35 system-ui, sans-serif;
  font-size: min(${TABLE_FONT_PX}px, calc(100cqi / var(--fit-em, 1))); font-variant-numeric: tabular-nums; margin: 0 auto; }
table.didwasm-table caption { caption-side: top; text-align: left; font: 600 14px/1.4 system-ui, sans-serif; padding-bottom: .5rem; }
table.didwasm-table th, table.didwasm-table td { padding: .18em ${CELL_PADDING_EM}em; font-weight: normal; white-space: nowrap; }
table.didwasm-table thead th, table.didwasm-table tbody th { white-space: normal; }
table.didwasm-table thead tr:last-child th { border-bottom: 1px solid var(--ink); }
table.didwasm-table th.span { border-bottom: 1px solid var(--rule); }
table.didwasm-table tr.rule th, table.didwasm-table tr.rule td { border-top: 1px solid var(--ink); }
table.didwasm-table tr.paren td { color: var(--muted); }
table.didwasm-table .l { text-align: left; } table.didwasm-table .c { text-align: center; } table.didwasm-table .r { text-align: right; }
table.didwasm-table tfoot td { border-top: 1px solid var(--ink); font-size: max(9px, .89em); color: var(--muted); text-align: left; white-space: normal; overflow-wrap: anywhere; }
table.didwasm-table tfoot .note-text { width: 0; min-width: 100%; }
figure { margin: 1.6rem 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font: 600 14px/1.4 system-ui, sans-serif; margin-top: .3rem; }
.files { font: 13px/1.5 system-ui, sans-serif; color: var(--muted); }
.files a { color: var(--accent); }
figure .files { margin-top: .2rem; font-weight: normal; }
.error { border-left: 4px solid var(--bad); background: #fef2f2; padding: .7rem 1rem; font: 14px/1.5 system-ui, sans-serif; color: #7f1d1d; }
.error strong { color: var(--bad); }
.analyses { margin: 1.2rem 0 0; font: 13px/1.5 system-ui, sans-serif; }
.analyses h3 { font: 600 13px/1.4 system-ui, sans-serif; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; margin: 0 0 .4rem; }
.analysis { border-top: 1px solid #e5e7eb; padding: .5rem 0 .6rem; }
.analysis h4 { margin: 0 0 .25rem; font: 600 13.5px/1.4 system-ui, sans-serif; }
.analysis h4 .type { color: var(--muted); font-weight: normal; }
.analysis ul.notes { margin: .2rem 0 .4rem; padding-left: 1.2rem; color: var(--muted); }
.analysis ul.notes li.warning { color: var(--warn); }
.analysis .command { display: flex; gap: .5rem; align-items: flex-start; margin: .3rem 0; }
.analysis .command .what { flex: 0 0 auto; color: var(--muted); min-width: 0; }
.analysis code { flex: 1 1 auto; min-width: 0; display: block; white-space: pre-wrap; overflow-wrap: anywhere; background: #f1f5f9; padding: .3rem .5rem; border-radius: 4px; font: 12px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; color: var(--ink); }
.analysis h4 code, .analysis .what code { display: inline; padding: 0 .25rem; font-size: 11.5px; color: inherit; }
button.copy { flex: 0 0 auto; font: 12px/1.2 system-ui, sans-serif; padding: .3rem .6rem; border: 1px solid var(--rule); border-radius: 4px; background: white; color: var(--ink); cursor: pointer; }
button.copy:hover { border-color: var(--accent); color: var(--accent); }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule); color: var(--muted); font: 13px/1.6 system-ui, sans-serif; }
footer h2 { font-size: 1rem; color: var(--ink); }
@page { margin: 15mm; }
@media print {
  body { background: none; font-size: 10.5pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; min-height: 0; }
  section { margin: 1.4rem 0; }
  h2, h3, h4 { break-after: avoid; }
  .block, figure, .analysis { break-inside: avoid; }
  table.didwasm-table thead { display: table-header-group; }
  /* On paper: the notes stay, the command lines and links (results.json has them) go. */
  button.copy, .files, .analysis .command { display: none; }
  a { color: inherit; text-decoration: none; }
}
`;
