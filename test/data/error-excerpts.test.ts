// Error messages quote at most a short, escaped excerpt of a file: a 10,000-character cell or header, a
// cell with control characters, or a file that is not data at all (a report spec can point at
// /etc/shadow: its first line becomes the header) never reaches a message whole or raw.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { readDta } from "../../bindings/data/dta.js";
import { EXCERPT_CHARS } from "../../bindings/data/excerpt.js";
import { readParquet } from "../../bindings/data/parquet.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { parquetWriteBuffer } from "hyparquet-writer";
import { errorOf, errorOfAsync } from "../helpers/frames.js";

const LONG = "x".repeat(5000) + "SECRET-TAIL" + "y".repeat(4989); // 10,000 characters
/** Raw control characters (other than none): what must never appear unescaped in a message. */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/;

/** The longest run of `text` that appears in `message` (as a substring), by brute force over prefixes. */
function longestCopied(message: string, text: string): number {
  let best = 0;
  for (let i = 0; i < text.length; i++) {
    let len = best + 1;
    while (i + len <= text.length && message.includes(text.slice(i, i + len))) len++;
    best = Math.max(best, len - 1);
  }
  return best;
}

describe("CSV: cells and names are quoted as short excerpts", () => {
  it("a 10,000-character cell in a numeric column", () => {
    const frame = parseCsv(`y,x\n1,2\n2,3\n3,4\n4,5\n5,${LONG}\n`);
    const e = errorOf(() => frame.numeric("x"));
    expect(e.code).toBe("NOT_NUMERIC");
    expect(e.message).toBe(`column "x" must be numeric, but line 6 has "${"x".repeat(EXCERPT_CHARS - 1)}…"`);
  });

  it("a cell with control characters is escaped (ANSI colour, carriage return, NUL, BEL, bidi override)", () => {
    const frame = parseCsv(`y,x\n1,"\x1b[31mred\rover\x00\x07\u202eabc"\n`);
    const e = errorOf(() => frame.numeric("x"));
    expect(e.message).toBe('column "x" must be numeric, but line 2 has "\\x1b[31mred\\rover\\0\\x07\\u202eabc"');
    expect(e.message).not.toMatch(RAW_CONTROL);
  });

  it("a 10,000-character header: the unknown-column list quotes at most an excerpt", () => {
    const frame = parseCsv(`${LONG}\n1\n`);
    const e = errorOf(() => frame.column("y"));
    expect(e.code).toBe("UNKNOWN_COLUMN");
    expect(longestCopied(e.message, LONG)).toBeLessThanOrEqual(EXCERPT_CHARS);
    expect(e.message).not.toContain("SECRET-TAIL");
    expect(e.message.length).toBeLessThan(200);
  });

  it("a password file read as data: its first line is not copied into the error", () => {
    const first = "root:$6$Rk2PvBqQ$TzWmN3cV8pXyE1aH7uJ0sLdG4fKiOb9nZr5qYtCx2eMvSgAwlUhIjDkFoPyBnRc6tQz1/:19500:0:99999:7:::";
    const shadowLike = [first, "daemon:*:19500:0:99999:7:::", "bin:*:19500:0:99999:7:::"].join("\n") + "\n";
    const frame = parseCsv(shadowLike, {});
    for (const ask of [() => frame.column("y"), () => frame.numeric(frame.names[0])]) {
      const e = errorOf(ask);
      expect(e.message).not.toContain(first);
      expect(longestCopied(e.message, first)).toBeLessThanOrEqual(EXCERPT_CHARS);
    }
  });

  it("a wide file lists 30 names, then how many more", () => {
    const names = Array.from({ length: 500 }, (_, i) => `v${i}`);
    const e = errorOf(() => parseCsv(`${names.join(",")}\n${names.map(() => 1).join(",")}\n`).column("nope"));
    expect(e.message).toContain("v29, and 470 more");
    expect(e.message).not.toContain("v30,");
  });

  it("a duplicate header name of 10,000 characters with control characters", () => {
    const name = "\x1b]0;title\x07" + LONG;
    const e = errorOf(() => parseCsv(`${name},${name}\n1,2\n`));
    expect(e.code).toBe("DUPLICATE_COLUMN");
    expect(e.message).not.toMatch(RAW_CONTROL);
    expect(e.message).not.toContain("SECRET-TAIL");
    expect(e.message.length).toBeLessThan(120);
  });
});

describe("Stata .dta: texts from the file are escaped and cut", () => {
  it("a byte order of control characters", () => {
    const head = "<stata_dta><header><release>118</release><byteorder>\x1b[2</byteorder>";
    const e = errorOf(() => readDta(Uint8Array.from(head, (c) => c.charCodeAt(0)), { name: "bad.dta" }));
    expect(e.code).toBe("CORRUPT_FILE");
    expect(e.message).toContain('the byte order is "\\x1b[2", not MSF or LSF');
    expect(e.message).not.toMatch(RAW_CONTROL);
  });

  it("a release of control characters", () => {
    const head = "<stata_dta><header><release>\r\n\x00</release>";
    const e = errorOf(() => readDta(Uint8Array.from(head, (c) => c.charCodeAt(0)), { name: "bad.dta" }));
    expect(e.message).toContain("Stata .dta format \\r\\n\\0 is not supported");
    expect(e.message).not.toMatch(RAW_CONTROL);
  });
});

describe("Parquet: the library's text is a short, escaped detail", () => {
  const good = new Uint8Array(readFileSync(join(__dirname, "fixtures", "panel.parquet")));

  it("damaged metadata says the file is not a readable Parquet file, with the reader's words as a detail", async () => {
    const g = new Xoshiro128(17);
    const metaLen = new DataView(good.buffer, good.byteOffset).getUint32(good.length - 8, true);
    const from = good.length - 8 - metaLen;
    const kinds = new Set<string>();
    for (let k = 0; k < 300; k++) {
      const b = good.slice();
      b[from + Math.floor(g.uniform() * metaLen)] ^= 1 + Math.floor(g.uniform() * 255);
      let message: string;
      try {
        await readParquet(b, { name: "damaged.parquet" });
        continue;
      } catch (e) {
        expect((e as Error).name, String(e)).toBe("DidwasmError");
        message = (e as Error).message;
      }
      expect(message).not.toMatch(RAW_CONTROL);
      const detail = /^damaged\.parquet: not a readable Parquet file, it may be damaged \(reader says: (.*)\)$/s.exec(message);
      if (!detail) continue; // one of the reader's own checks (duplicate column, no rows, ...)
      expect(detail[1].length).toBeLessThanOrEqual(60);
      kinds.add(detail[1].split(/[\s:]/)[0]);
    }
    // Both the Thrift decoder's and JavaScript's own errors (a TypeError from a mangled structure) arrive
    // wrapped, never raw.
    expect([...kinds]).toEqual(expect.arrayContaining(["thrift", "parquet"]));
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  });

  it("a reader message quoting a 10,000-character column name is cut and escaped", async () => {
    // The footer names each column twice: in the schema and in the column chunk's path. Changing the last
    // character of the path makes the reader quote the whole path: "schema element not found: ...".
    const name = "\x1b[2J" + LONG;
    const b = new Uint8Array(parquetWriteBuffer({ columnData: [{ name, data: Int32Array.from([1, 2, 3]), type: "INT32" }] }));
    const at = lastIndexOf(b, "y".repeat(50)) + 49;
    b[at] = "z".charCodeAt(0);
    const e = await errorOfAsync(() => readParquet(b, { name: "renamed.parquet" }));
    expect(e.code).toBe("CORRUPT_FILE");
    expect(e.message).toMatch(/^renamed\.parquet: not a readable Parquet file, it may be damaged \(reader says: parquet schema element not found: \\x1b\[2Jx+…\)$/);
    expect(e.message).not.toMatch(RAW_CONTROL);
  });
});

function lastIndexOf(b: Uint8Array, text: string): number {
  const t = Uint8Array.from(text, (c) => c.charCodeAt(0));
  outer: for (let i = b.length - t.length; i >= 0; i--) {
    for (let j = 0; j < t.length; j++) if (b[i + j] !== t[j]) continue outer;
    return i;
  }
  throw new Error(`${text} not found`);
}
