// UTF-16 files (with a byte-order mark, or recognised by NULs in every other byte) are refused with advice
// to convert them, whatever the chunking, instead of a puzzling field count.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { readDataFile } from "../../bindings/data/read-data-file.js";
import { utf16Kind } from "../../bindings/data/utf16.js";
import { errorOf, errorOfAsync } from "../helpers/frames.js";
import { chunkedSource } from "../helpers/sources.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-utf16-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Text as UTF-16 code units, little- or big-endian, optionally with a byte-order mark. */
function utf16(text: string, little: boolean, bom: boolean): Uint8Array {
  const units = (bom ? "\ufeff" : "") + text;
  const out = new Uint8Array(2 * units.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(2 * i, units.charCodeAt(i), little);
  return out;
}

const CSV = "unit,year,y,city\n" + Array.from({ length: 150 }, (_, i) => `${i},2000,${i / 4},Zürich ${i}`).join("\n") + "\n";

describe("UTF-16 files", () => {
  it.each([
    ["UTF-16LE", true, true],
    ["UTF-16BE", false, true],
    ["UTF-16LE", true, false],
    ["UTF-16BE", false, false],
  ] as const)("%s (byte-order mark: %s) is refused with advice, in any chunking", (kind, little, bom) => {
    const bytes = utf16(CSV, little, bom);
    expect(utf16Kind(bytes)).toBe(kind);
    for (const size of [bytes.length, 1, 3, 63, 64, 1000]) {
      const e = errorOf(() => parseCsv(chunkedSource(bytes, size)));
      expect(e.code, `chunks of ${size}`).toBe("UNSUPPORTED_FORMAT");
      expect(e.message).toBe(
        `chunked.csv: the file is UTF-16 (${kind}): convert it to UTF-8 (e.g. iconv -f ${kind} -t UTF-8 in.csv > out.csv, or save it from Excel as "CSV UTF-8")`,
      );
    }
  });

  it("is recognised in a file shorter than the sniffed bytes, and through readDataFile", async () => {
    expect(errorOf(() => parseCsv(utf16("a,b\n1,2\n", true, false))).message).toContain("the file is UTF-16 (UTF-16LE)");
    const path = join(dir, "excel-unicode.csv");
    writeFileSync(path, utf16(CSV, true, true));
    const e = await errorOfAsync(() => readDataFile(path));
    expect(e.message).toContain(`${path}: the file is UTF-16`);
  });

  it("does not mistake UTF-8 for UTF-16: non-ASCII text, a UTF-8 BOM, a stray NUL, a tiny file", () => {
    expect(parseCsv(CSV).nrow).toBe(150);
    expect(parseCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CSV)])).names).toEqual(["unit", "year", "y", "city"]);
    expect(utf16Kind(new TextEncoder().encode("北京,上海\n1,2\n"))).toBeNull();
    expect(utf16Kind(new TextEncoder().encode("a,b\n1,\u00002\n3,4\n"))).toBeNull();
    expect(parseCsv("a\n1\n").nrow).toBe(1);
    expect(utf16Kind(new Uint8Array([0x61, 0]))).toBeNull();
  });
});
