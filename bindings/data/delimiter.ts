// The CSV field separator: which ones can work, and a guess at the right one when a file was read with the
// wrong one (a semicolon- or tab-separated file read as comma-separated has a one-column header).
import { DidwasmError } from "../errors.js";
import { quoted } from "./excerpt.js";

/** What a user types for a tab in a shell, where "\t" stays two characters; "tab" for the same reason. */
const TAB_SPELLINGS = new Set(["\\t", "tab", "TAB"]);

/** Characters that cannot separate fields, because the CSV grammar gives them another meaning. */
const RESERVED: Readonly<Record<string, string>> = {
  '"': 'the quote character ("), which encloses fields',
  "\n": "a line end (\\n), which ends records",
  "\r": "a line end (\\r), which ends records",
};

/** The delimiter option as the byte the reader compares against (default ","). Refuses what cannot work. */
export function delimiterByte(delimiter: string | undefined): number {
  if (delimiter === undefined) return 44;
  if (TAB_SPELLINGS.has(delimiter)) return 9;
  const got = `got ${quoted(delimiter)}`;
  if (delimiter.length === 0) throw new DidwasmError("BAD_OPTION", `the CSV delimiter must be one ASCII character, ${got} (empty)`);
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127) {
    throw new DidwasmError("BAD_OPTION", `the CSV delimiter must be one ASCII character, ${got} (for a tab, give \\t)`);
  }
  const why = RESERVED[delimiter];
  if (why) throw new DidwasmError("BAD_OPTION", `the CSV delimiter cannot be ${why}`);
  return delimiter.charCodeAt(0);
}

/** Separators people use instead of commas, with how to ask for each. */
const LIKELY: ReadonlyArray<{ char: string; option: string }> = [
  { char: ";", option: '--delimiter ";"' },
  { char: "\t", option: '--delimiter "\\t"' },
  { char: "|", option: '--delimiter "|"' },
];

/** When the header is one column whose name holds a likely separator (the one it holds most often), a
 *  sentence that suggests reading the file with it; otherwise "". Read with the default comma only: a
 *  delimiter the user chose is not second-guessed. */
export function wrongDelimiterHint(header: readonly string[], delimiter: number): string {
  if (header.length !== 1 || delimiter !== 44) return "";
  let best: (typeof LIKELY)[number] | null = null;
  let bestCount = 0;
  for (const d of LIKELY) {
    const count = header[0].split(d.char).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  if (!best) return "";
  const name = best.char === "\t" ? "tab" : `"${best.char}"`;
  return `the header is a single column that contains ${name}: if the file is ${name}-separated, read it with ${best.option}`;
}
