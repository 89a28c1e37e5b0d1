// Output options of the commands that write a table (describe, table): the format, the file, and the
// switches each format honours. Declared once; an option meant for another format than the one chosen is
// refused rather than ignored (e.g. --bom with LaTeX).
import { tablesToRtf } from "../present/rtf.js";
import type { Table } from "../present/tables/model.js";
import type { RenderOptions } from "../present/tables/render.js";
import { renderTable, TABLE_FORMATS } from "../present/tables/render.js";
import { opt } from "./schema/define.js";
import type { Parsed, ParsedValues } from "./schema/types.js";

const forFormats = (...formats: string[]) => (o: ParsedValues) =>
  formats.includes(String(o.format ?? "text")) ? null : `applies only with {format} ${formats.join(" or ")} (or an --out file ending in ${formats.map((f) => EXTENSIONS[f]).join(" or ")})`;

/** The file extension of each format, for messages. */
const EXTENSIONS: Readonly<Record<string, string>> = { text: ".txt", markdown: ".md", latex: ".tex", html: ".html", csv: ".csv", rtf: ".rtf", docx: ".docx" };

/** The text formats, RTF (a document, but plain text: present/rtf.ts), and Word: a file (present/docx.ts),
 *  so written only with --out. */
export const TABLE_OUTPUT_FORMATS = [...TABLE_FORMATS, "rtf", "docx"] as const;
export type TableOutputFormat = (typeof TABLE_OUTPUT_FORMATS)[number];

export const tableOutput = {
  format: opt.choice(TABLE_OUTPUT_FORMATS)({
    label: "Format", help: "text, markdown, latex, html, csv, rtf (a document Word opens, as esttab writes), or docx (a Word table; needs --out FILE.docx)", defaultText: "from --out's extension, else text", default: "text",
  }),
  caption: opt.text({ label: "Caption", help: "table caption" }),
  note: opt.texts({ label: "Notes", help: "a note under the table (repeatable)" }),
  labels: opt.labels({ label: "Labels", help: 'display names: a JSON file such as {"did": "智慧城市试点"}, or "did=Treatment,lngdp=Log GDP"', valueName: "file.json|a=A,b=B" }),
  standalone: opt.flag({ label: "Standalone", help: "latex: a complete document (loads ctex for Chinese; compile with xelatex); html: a whole page with <meta charset>", appliesWhen: forFormats("latex", "html") }),
  label: opt.text({ label: "LaTeX label", help: "latex: \\label{...} of the table float", appliesWhen: forFormats("latex") }),
  cjkPackage: opt.choice(["ctex", "xeCJK"] as const)({
    label: "CJK package", help: "latex --standalone: load ctex or xeCJK for Chinese text (default: ctex when the table has CJK text)",
    appliesWhen: (o) => (o.format === "latex" && o.standalone === true ? null : "applies only with {format} latex and {standalone}"),
  }),
  cjkFont: opt.text({ label: "CJK font", help: "latex --standalone with xeCJK: the CJK font", appliesWhen: (o) => (o.cjkPackage === "xeCJK" ? null : "applies only with {cjkPackage} xeCJK") }),
  lang: opt.text({ label: "Page language", help: 'html --standalone: the page language, e.g. "zh-CN"', appliesWhen: (o) => (o.format === "html" && o.standalone === true ? null : "applies only with {format} html and {standalone}") }),
  bom: opt.flag({ label: "Byte-order mark", help: "csv: start with a UTF-8 byte-order mark (default: when the table has non-ASCII text, for Excel); --no-bom never", appliesWhen: forFormats("csv"), negatable: true }),
};

/** The table's text in the chosen format: empty for docx (a file the CLI writes from the model). */
export function tableOutputText(table: Table, o: Parsed<typeof tableOutput>): string {
  if (o.format === "docx") return "";
  if (o.format === "rtf") return tablesToRtf([{ table }]);
  return renderTable(table, o.format, renderOptions(o));
}

export function renderOptions(o: Parsed<typeof tableOutput>): RenderOptions {
  return { standalone: o.standalone, label: o.label, bom: o.bom, cjkPackage: o.cjkPackage, cjkFont: o.cjkFont, lang: o.lang };
}
