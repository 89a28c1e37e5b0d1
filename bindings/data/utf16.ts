// Recognising UTF-16 text (what Excel's "Unicode text" and Windows tools such as PowerShell write), which
// the CSV reader does not decode: read byte by byte, every other byte is a NUL and the error would be a
// puzzling "line 122 has 1 field". Recognised by its byte-order mark, or, without one, by NULs in every
// other byte, which is how ASCII characters look in UTF-16 and never how they look in UTF-8.
import { DidwasmError } from "../errors.js";

/** Leading bytes looked at; the reader waits for this many (or the end of the file) before deciding. */
export const UTF16_SNIFF_BYTES = 64;

/** Share of the sampled characters that must have a NUL half for a file without a byte-order mark to be
 *  called UTF-16: high, so that a UTF-8 file with a few stray NULs is not, yet a sample with some
 *  non-ASCII characters (whose halves are both nonzero) still is. */
const NUL_SHARE = 0.75;

/** "UTF-16LE" or "UTF-16BE" when the leading bytes are UTF-16 text, else null. */
export function utf16Kind(b: Uint8Array): "UTF-16LE" | "UTF-16BE" | null {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return "UTF-16LE";
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return "UTF-16BE";
  const pairs = Math.min(b.length, UTF16_SNIFF_BYTES) >> 1;
  if (pairs < 2) return null;
  let highNul = 0; // ASCII in little-endian: the second byte of each pair is 0
  let lowNul = 0; // ... in big-endian: the first
  for (let i = 0; i < pairs; i++) {
    const first = b[2 * i];
    const second = b[2 * i + 1];
    if (first === 0 && second === 0) return null; // a NUL character: binary, not text in either byte order
    if (second === 0) highNul++;
    if (first === 0) lowNul++;
  }
  if (highNul >= NUL_SHARE * pairs) return "UTF-16LE";
  if (lowNul >= NUL_SHARE * pairs) return "UTF-16BE";
  return null;
}

export function utf16Error(name: string, kind: string): DidwasmError {
  return new DidwasmError(
    "UNSUPPORTED_FORMAT",
    `${name}: the file is UTF-16 (${kind}): convert it to UTF-8 (e.g. iconv -f ${kind} -t UTF-8 in.csv > out.csv, or save it from Excel as "CSV UTF-8")`,
    { encoding: kind },
  );
}
