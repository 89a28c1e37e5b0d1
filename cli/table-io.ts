// File handling of the table-making commands (describe, table): reading JSON inputs and label files, and
// writing --out. The formatting itself is in bindings/ (present/tables, commands/table.ts).
import { existsSync, readFileSync, statSync } from "node:fs";
import type { NamedJson } from "../bindings/commands/table.js";
import { DidwasmError } from "../bindings/errors.js";
import type { TableOutputFormat } from "../bindings/commands/table-options.js";
import { extensionOf } from "./write-file.js";

export function readText(path: string, what: string): string {
  // A pipe or device would block or never end: only regular files are read.
  let regular = true;
  try {
    regular = statSync(path).isFile() || statSync(path).isDirectory();
  } catch {
    // Missing: reported below.
  }
  if (!regular) throw new DidwasmError("FILE_UNREADABLE", `${path} is not a regular file (a pipe, device or socket): write it to a file first`, { path });
  try {
    return readFileSync(path, "utf8").replace(/^\ufeff/, "");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DidwasmError("FILE_NOT_FOUND", `${what} not found: ${path}`, { path });
    if (code === "EISDIR") throw new DidwasmError("FILE_UNREADABLE", `${path} is a directory, not ${what === "file" ? "a file" : `a ${what}`}`, { path });
    throw new DidwasmError("FILE_UNREADABLE", `cannot read ${path}: ${(e as Error).message}`, { path });
  }
}

export function readJsonFile(path: string, what = "JSON file"): NamedJson {
  const text = readText(path, what);
  try {
    return { name: path, json: JSON.parse(text) };
  } catch (e) {
    throw new DidwasmError("BAD_DATA", `${path} is not valid JSON (${(e as Error).message.replace(/\s+/g, " ")}); give the output of a command run with --json`, { path });
  }
}

/** A labels file: a JSON object of names to display names, e.g. { "did": "智慧城市试点", "city": "城市固定效应" }. */
export function readLabels(path: string): Record<string, string> {
  const { json } = readJsonFile(path, "labels file");
  if (typeof json !== "object" || json === null || Array.isArray(json) || !Object.values(json).every((v) => typeof v === "string")) {
    throw new DidwasmError("BAD_DATA", `${path} must be a JSON object of names to labels, e.g. {"did": "Treatment", "city": "City FE"}`, { path });
  }
  return json as Record<string, string>;
}

/** Table formats by the file extensions their writers produce. */
const FORMAT_OF_EXTENSION: Readonly<Record<string, TableOutputFormat>> = {
  txt: "text", text: "text", md: "markdown", markdown: "markdown", tex: "latex", html: "html", htm: "html", csv: "csv", rtf: "rtf", docx: "docx",
};

/** The raw output options with --format settled: as given, else from --out's extension. An extension no
 *  writer handles (.xlsx, .odt, ...) is refused; Word goes only to a .docx file. */
export function tableOutputFormat(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = typeof raw.out === "string" ? raw.out : undefined;
  const docxOut = out !== undefined && extensionOf(out) === "docx";
  if (raw.format === "docx" && !docxOut) {
    throw new DidwasmError("BAD_OPTION", `--format docx writes a Word file: give --out FILE.docx${out !== undefined ? `, got ${out}` : ""}`, { option: "--format" });
  }
  if (docxOut && raw.json !== true && raw.format !== undefined && raw.format !== "docx") {
    throw new DidwasmError("BAD_OPTION", `--out ${out} is a Word file, but --format is ${raw.format}: drop --format, or give a file name ending in the format's extension`, { option: "--format" });
  }
  if (out === undefined) return { ...raw };
  const ext = extensionOf(out);
  if (raw.json === true) {
    if (ext !== "json") throw new DidwasmError("BAD_OPTION", `--out with --json writes JSON: give a file name ending in .json, got ${out}`, { option: "--out" });
    if (raw.format !== undefined) throw new DidwasmError("BAD_OPTION", "--format applies to the table, not to --json output", { option: "--format" });
    return { ...raw };
  }
  const byExt = FORMAT_OF_EXTENSION[ext];
  if (!byExt) {
    const known = Object.keys(FORMAT_OF_EXTENSION).map((e) => `.${e}`).join(", ");
    const later = ["doc", "xlsx", "xls", "odt", "pdf"].includes(ext) ? ` (.${ext} is not written yet)` : "";
    throw new DidwasmError("BAD_OPTION", `--out ${out}: no writer for ${ext ? `.${ext}` : "a file without extension"}${later}; tables are written as ${known}`, { option: "--out" });
  }
  // An explicit --format wins over a known extension (e.g. HTML written to notes.txt).
  return { ...raw, format: raw.format ?? byExt };
}

/** --labels given as a JSON file (a path ending in .json, or any existing file) becomes its map; inline
 *  "a=A,b=B" stays text for the schema's parser. */
export function readLabelsOption(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const v = raw.labels;
  if (typeof v !== "string" || !(/\.json$/i.test(v) || existsSync(v))) return { ...raw };
  return { ...raw, labels: readLabels(v) };
}
