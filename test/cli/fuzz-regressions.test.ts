// Deterministic regressions for bugs the fuzzer (fuzz.test.ts) found in the input path.
import { describe, expect, it } from "vitest";
import { parseCsv, type ByteSource } from "../../bindings/data/csv.js";
import type { TextColumn } from "../../bindings/data/frame.js";
import { feols } from "../../bindings/estimators/feols.js";
import { parseFormula } from "../../bindings/model/formula.js";
import { errorOf } from "../helpers/frames.js";
import { chunkedSource } from "../helpers/sources.js";

const chunked = (bytes: Uint8Array, size: number) => chunkedSource(bytes, size, "data.csv");

const enc = new TextEncoder();
const latin1Bytes = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

describe("CSV chunk boundaries", () => {
  // Line 6 has a text cell in x: the error must name line 6 however the bytes are cut.
  const crlf = enc.encode("id,x\r\n1,1\r\n2,2\r\n3,3\r\n4,4\r\n5,oops\r\n6,6\r\n");
  it("a CR LF cut between two chunks is one line end (line numbers stay right)", () => {
    for (let size = 1; size <= crlf.length; size++) {
      const f = parseCsv(chunked(crlf, size));
      expect(f.nrow, `chunk ${size}`).toBe(6);
      const e = errorOf(() => f.numeric("x", "regressor"));
      expect(e.message, `chunk ${size}`).toContain('line 6 has "oops"');
    }
  });
  it("a BOM cut between chunks is still a BOM", () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode("\n\nunit,y\n1,2\n3,4\n")]);
    for (let size = 1; size <= 4; size++) {
      const f = parseCsv(chunked(bom, size));
      expect(f.names, `chunk ${size}`).toEqual(["unit", "y"]);
      expect(f.nrow).toBe(2);
    }
  });
  it("a file shorter than a BOM is read", () => {
    expect(errorOf(() => parseCsv(chunked(enc.encode("a\n"), 1))).code).toBe("NO_DATA_ROWS");
    expect(parseCsv(chunked(enc.encode("a\n1"), 1)).nrow).toBe(1);
  });
});

describe("a large file reads the same in any chunking", () => {
  // 5000 rows (past the 2000-row capacity re-estimate and the 4096-row first allocation), CRLF, a quoted
  // field with a line break, and a column that turns to text at row 4500 (so earlier rows are re-read).
  const lines = ["id,x,code,label"];
  for (let r = 0; r < 5000; r++) {
    const code = r === 4500 ? "A7" : r % 3 === 0 ? "007" : String(r % 11);
    lines.push(`${r},${(r * 0.37) % 5},${code},${r % 97 === 0 ? '"multi\nline, quoted"' : `"l${r % 13}"`}`);
  }
  const bytes = enc.encode(lines.join("\r\n") + "\r\n");
  const summary = (src: ByteSource | Uint8Array) => {
    const f = parseCsv(src);
    const code = f.column("code") as TextColumn;
    const label = f.column("label") as TextColumn;
    const text = (r: number) => code.levels[code.codes[r]];
    return [f.nrow, code.kind, [0, 1, 2, 3, 7, 4499, 4500, 4999].map(text).join(), code.firstText?.row, f.describeRow(4600), label.levels.length];
  };
  it("whole, and in chunks of 1 KiB, 4093 bytes and 64 KiB", () => {
    const whole = summary(bytes);
    // The quoted line breaks shift the file lines after them: row 4600 is on line 4600 + 2 + 48.
    expect(whole).toEqual([5000, "text", "007,1,2,007,7,0,A7,5", 4500, "line 4650", 14]);
    for (const size of [1024, 4093, 65536]) expect(summary(chunked(bytes, size)), `chunk ${size}`).toEqual(whole);
  });
});

describe("text that is not valid UTF-8", () => {
  it("different Latin-1 bytes stay different levels, decoded as Latin-1", () => {
    const f = parseCsv(latin1Bytes("g,y\nZ\xfcrich,1\nZ\xf6rich,2\nZ\xfcrich,3\n"));
    const g = f.column("g") as TextColumn;
    expect(g.levels).toEqual(["Zürich", "Zörich"]);
    expect(Array.from(g.codes)).toEqual([0, 1, 0]);
  });
  it("the same text in UTF-8 and in Latin-1 is one level", () => {
    const bytes = new Uint8Array([...enc.encode("g,y\nZürich,1\n"), ...latin1Bytes("Z\xfcrich,2\n")]);
    const g = parseCsv(bytes).column("g") as TextColumn;
    expect(g.levels).toEqual(["Zürich"]);
    expect(Array.from(g.codes)).toEqual([0, 0]);
  });
  it("header names are decoded the same way", () => {
    expect(parseCsv(latin1Bytes("gr\xf6\xdfe,y\n1,2\n")).names).toEqual(["größe", "y"]);
  });
});

describe("formulas", () => {
  it("a:a is a, and a*b*a is a + b + a:b (R's rules)", () => {
    const f = parseFormula("y ~ a*b*a + c:c");
    // Terms ordered by degree, as R's terms() gives them: a, b, c, a:b.
    expect(f.terms.map((t) => t.factors.map((x) => x.name).join(":"))).toEqual(["a", "b", "c", "a:b"]);
  });
  it("two i() in one term are refused, also through *", () => {
    expect(errorOf(() => parseFormula("y ~ i(a)*i(b)")).code).toBe("FORMULA_SYNTAX");
    expect(errorOf(() => parseFormula("y ~ i(a):i(b)")).code).toBe("FORMULA_SYNTAX");
  });
  it("a crossing of more than 10 distinct parts is refused instead of expanding 2^k terms", () => {
    const names = Array.from({ length: 11 }, (_, k) => `v${k}`);
    expect(parseFormula(`y ~ ${names.slice(0, 10).join("*")}`).terms.length).toBe(1023);
    expect(errorOf(() => parseFormula(`y ~ ${names.join("*")}`)).message).toContain("more than 1023 terms");
    // 32 parts used to wrap 1 << 32 to 1 and silently drop every term.
    expect(parseFormula(`y ~ ${Array.from({ length: 32 }, (_, k) => (k % 2 ? "a" : "b")).join("*")}`).terms.length).toBe(3);
  });
  it("a data column named like a product is not confused with the product", () => {
    const data = { y: [1, 2, 3, 5, 4, 6], x1: [1, 0, 1, 2, 3, 1], x2: [2, 1, 0, 1, 1, 3], "x1:x2": [9, 8, 7, 1, 2, 3] };
    const e = errorOf(() => feols(data, "y ~ x1:x2 + `x1:x2`"));
    expect(e.code).toBe("FORMULA_SYNTAX");
    expect(e.message).toContain('two different regressors would both be named "x1:x2"');
  });
});
