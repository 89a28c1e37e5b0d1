// File handling of the table-making commands (describe, table): reading JSON inputs and label files, and
// writing --out. The formatting itself is in bindings/ (present/tables, commands/table.ts).
import { readFileSync, writeFileSync } from "node:fs";
import type { NamedJson } from "../bindings/commands/table.js";
import { DidwasmError } from "../bindings/errors.js";
import { formatForPath, type TableFormat } from "../bindings/present/tables/render.js";

function readText(path: string, what: string): string {
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

/** --format if given, else what --out's extension suggests (.md, .tex, .html, .csv), else text. */
export function outputFormat(format: string | undefined, out: string | undefined): string | TableFormat {
  return format ?? (out ? formatForPath(out) : "text");
}

export function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new DidwasmError("FILE_UNREADABLE", `cannot write ${path}: ${(e as Error).message}`, { path });
  }
}
