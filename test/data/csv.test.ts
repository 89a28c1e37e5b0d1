import { describe, expect, it } from "vitest";
import { bytesSource, parseCsv } from "../../bindings/data/csv.js";
import type { NumericColumn, TextColumn } from "../../bindings/data/frame.js";
import { errorOf } from "../helpers/frames.js";
import { chunkedSource } from "../helpers/sources.js";

const num = (f: ReturnType<typeof parseCsv>, n: string) => Array.from((f.column(n) as NumericColumn).values);
const txt = (f: ReturnType<typeof parseCsv>, n: string) => {
  const c = f.column(n) as TextColumn;
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
};

const chunked = (text: string, size: number) => chunkedSource(text, size);

describe("parseCsv", () => {
  it("reads numbers, text and missing values", () => {
    const f = parseCsv("id,x,y\na,1.5,NA\nb,-2e3,\nc,.25,7\n");
    expect(f.nrow).toBe(3);
    expect(num(f, "x")).toEqual([1.5, -2000, 0.25]);
    expect(num(f, "y")).toEqual([NaN, NaN, 7]);
    expect(txt(f, "id")).toEqual(["a", "b", "c"]);
  });

  it("parses decimals exactly as Number() does", () => {
    const vals = ["0.0172297128777501", "-1.0947021321592", "123456789012345", "1.7976931348623157e308", "5e-324", "0.1", "3.14159265358979323846", "1e23", "-0"];
    const f = parseCsv("v\n" + vals.join("\n") + "\n");
    num(f, "v").forEach((v, i) => expect(Object.is(v, Number(vals[i]))).toBe(true));
  });

  it("handles BOM, CRLF, quoted fields with commas, quotes and newlines", () => {
    const f = parseCsv('\uFEFFname,v\r\n"Smith, J.",1\r\n"say ""hi""",2\r\n"two\nlines",3\r\n');
    expect(f.names).toEqual(["name", "v"]);
    expect(txt(f, "name")).toEqual(["Smith, J.", 'say "hi"', "two\nlines"]);
    expect(num(f, "v")).toEqual([1, 2, 3]);
    expect(f.describeRow(2)).toBe("line 4");
  });

  it("gives the same frame whatever the chunk size", () => {
    const text = 'g,x,s\n' + Array.from({ length: 300 }, (_, i) => `${i % 7},${(i * 1.25).toFixed(2)},"q${i % 5}, ok"`).join("\n") + "\n";
    const whole = parseCsv(text);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const f = parseCsv(chunked(text, size));
      expect(num(f, "x")).toEqual(num(whole, "x"));
      expect(txt(f, "s")).toEqual(txt(whole, "s"));
    }
  });

  it("keeps numeric-looking ids distinct when a column turns out to be text", () => {
    const f = parseCsv("id\n007\n7\n7.0\nx12\n");
    expect(txt(f, "id")).toEqual(["007", "7", "7.0", "x12"]);
    const c = f.column("id") as TextColumn;
    expect(c.firstText).toEqual({ row: 3, text: "x12" });
  });

  it("skips blank lines but reports true line numbers", () => {
    const f = parseCsv("a,b\n1,2\n\n3,4\n");
    expect(f.nrow).toBe(2);
    expect(f.describeRow(1)).toBe("line 4");
  });

  it("rejects bad files with typed errors that say where", () => {
    expect(errorOf(() => parseCsv("")).code).toBe("EMPTY_FILE");
    expect(errorOf(() => parseCsv("\uFEFF\n\n")).code).toBe("EMPTY_FILE");
    expect(errorOf(() => parseCsv("a,b\n")).code).toBe("NO_DATA_ROWS");
    const dup = errorOf(() => parseCsv("a,b,a\n1,2,3\n"));
    expect(dup.code).toBe("DUPLICATE_COLUMN");
    expect(dup.message).toContain('"a"');
    const ragged = errorOf(() => parseCsv("a,b\n1,2\n3\n"));
    expect(ragged.code).toBe("BAD_ROW");
    expect(ragged.message).toContain("line 3");
    expect(errorOf(() => parseCsv('a\n"open\n')).code).toBe("BAD_ROW");
    expect(errorOf(() => parseCsv("a,,c\n1,2,3\n")).code).toBe("EMPTY_COLUMN_NAME");
  });

  it("names the first non-numeric cell when a numeric column is required", () => {
    const f = parseCsv("y,x\n1,2\n2,oops\n");
    const e = errorOf(() => f.numeric("x", "regressor"));
    expect(e.code).toBe("NOT_NUMERIC");
    expect(e.message).toBe('regressor "x" must be numeric, but line 3 has "oops"');
  });

  it("suggests the nearest column name", () => {
    const f = parseCsv("lngdp,y\n1,2\n");
    const e = errorOf(() => f.column("lngpd"));
    expect(e.code).toBe("UNKNOWN_COLUMN");
    expect(e.message).toContain('did you mean "lngdp"');
  });

  it("reads Inf and logical values as numbers", () => {
    const f = parseCsv("v\nInf\n-Inf\nTRUE\nFALSE\n");
    expect(num(f, "v")).toEqual([Infinity, -Infinity, 1, 0]);
  });

  it("accepts a Uint8Array source", () => {
    const f = parseCsv(bytesSource(new TextEncoder().encode("a\n1\n")));
    expect(num(f, "a")).toEqual([1]);
  });
});
