// Text from a data file, made safe to put in an error message. A message must never carry more of a file
// than the offending cell, and not all of it either: the data may be confidential (a report spec can point
// at any readable file), a cell can be megabytes long, and control characters (ANSI escapes, carriage
// returns, bidirectional overrides) would garble or disguise what a terminal shows. So: at most
// EXCERPT_CHARS characters, control characters spelled as escapes.

/** Longest excerpt, in UTF-16 code units, the ellipsis included: enough to recognise a cell, not to copy a
 *  line of a file (a password hash, a whole record). */
export const EXCERPT_CHARS = 40;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0" };

/** C0 and C1 controls, DEL, and the Unicode line separators and bidirectional controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

function escaped(ch: string): string {
  if (!CONTROL.test(ch)) return ch;
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** The text with control characters escaped, cut to at most `max` characters (ending in "…" when cut). */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  let out = "";
  for (let i = 0; i < text.length; ) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const piece = escaped(ch);
    i += ch.length;
    // Unless this is the last character, keep room for the ellipsis a later cut would need.
    const room = i >= text.length ? max : max - 1;
    if (out.length + piece.length > room) return out + "…";
    out += piece;
  }
  return out;
}

/** The excerpt in double quotes, the way messages quote a cell or a name. */
export function quoted(text: string, max = EXCERPT_CHARS): string {
  return `"${excerpt(text, max)}"`;
}
