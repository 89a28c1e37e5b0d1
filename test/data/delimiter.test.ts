// The delimiter option: impossible separators are refused before any byte is read, "\t" (as a shell passes
// it) means tab, and a file read with the wrong separator says which one it probably has.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { delimiterByte, wrongDelimiterHint } from "../../bindings/data/delimiter.js";
import { readDataBytes } from "../../bindings/data/read-any.js";
import { readDataFile } from "../../bindings/data/read-data-file.js";
import { errorOf, errorOfAsync } from "../helpers/frames.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-delimiter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("delimiterByte", () => {
  it("accepts one ASCII character, and \\t or tab for a tab", () => {
    expect(delimiterByte(undefined)).toBe(44);
    expect(delimiterByte(";")).toBe(59);
    expect(delimiterByte(" ")).toBe(32);
    expect(delimiterByte("\t")).toBe(9);
    expect(delimiterByte("\\t")).toBe(9);
    expect(delimiterByte("tab")).toBe(9);
  });

  it.each([
    ['"', /^the CSV delimiter cannot be the quote character \("\), which encloses fields$/],
    ["\n", /^the CSV delimiter cannot be a line end \(\\n\), which ends records$/],
    ["\r", /^the CSV delimiter cannot be a line end \(\\r\), which ends records$/],
    ["", /must be one ASCII character, got "" \(empty\)/],
    [";;", /must be one ASCII character, got ";;"/],
    ["é", /must be one ASCII character, got "é"/],
  ])("refuses %j", (d, message) => {
    const e = errorOf(() => delimiterByte(d));
    expect(e.code).toBe("BAD_OPTION");
    expect(e.message).toMatch(message);
  });

  it("refuses before reading: from parseCsv, readDataBytes (any format) and readDataFile (even a missing file)", async () => {
    expect(errorOf(() => parseCsv("a,b\n1,2\n", { delimiter: '"' })).code).toBe("BAD_OPTION");
    expect((await errorOfAsync(() => readDataBytes(new Uint8Array([1, 2]), { delimiter: "" }))).code).toBe("BAD_OPTION");
    expect((await errorOfAsync(() => readDataFile(join(dir, "no-such-file.csv"), { delimiter: "\n" }))).code).toBe("BAD_OPTION");
  });

  it("reads a tab-separated file with the shell spelling \\t", () => {
    const f = parseCsv("a\tb\n1\t2\n", { delimiter: "\\t" });
    expect(f.names).toEqual(["a", "b"]);
    expect(Array.from(f.numeric("b"))).toEqual([2]);
  });
});

describe("a file read with the wrong delimiter", () => {
  const semicolons = "unit;year;y\n1;2000;1,5\n2;2000;2,5\n";
  const tabs = "unit\tyear\ty\n1\t2000\t1.5\n2\t2000\t2.5\n";

  it("suggests --delimiter \";\" in the error about the row (decimal commas split it)", () => {
    const e = errorOf(() => parseCsv(semicolons));
    expect(e.code).toBe("BAD_ROW");
    expect(e.message).toContain("line 2 has 2 fields, but the header has 1");
    expect(e.message).toContain('read it with --delimiter ";"');
  });

  it("suggests --delimiter \"\\t\" when an asked-for column is not found, and the suggestion works", () => {
    const frame = parseCsv(tabs);
    const e = errorOf(() => frame.column("y"));
    expect(e.code).toBe("UNKNOWN_COLUMN");
    expect(e.message).toContain('the header is a single column that contains tab: if the file is tab-separated, read it with --delimiter "\\t"');
    expect(parseCsv(tabs, { delimiter: "\\t" }).names).toEqual(["unit", "year", "y"]);
  });

  it("keeps the suggestion on frames derived by withColumn", () => {
    const frame = parseCsv("a;b\n1;2\n").withColumn({ kind: "numeric", name: "z", values: new Float64Array([1]) });
    expect(errorOf(() => frame.column("b")).message).toContain('--delimiter ";"');
  });

  it("suggests the separator the header holds most often, and nothing without one or when a delimiter was chosen", () => {
    expect(wrongDelimiterHint(["a;b;c|d"], 44)).toContain('--delimiter ";"');
    expect(wrongDelimiterHint(["a|b|c;d"], 44)).toContain('--delimiter "|"');
    expect(wrongDelimiterHint(["root:x:0:0"], 44)).toBe("");
    expect(wrongDelimiterHint(["a;b", "c"], 44)).toBe("");
    expect(wrongDelimiterHint(["a;b"], 124)).toBe("");
    const e = errorOf(() => parseCsv("a;b\n1;2\n", { delimiter: "|" }).column("b"));
    expect(e.message).not.toContain("--delimiter");
  });

  it("says so through readDataFile too", async () => {
    const path = join(dir, "semicolons.csv");
    writeFileSync(path, semicolons);
    expect((await errorOfAsync(() => readDataFile(path))).message).toContain('--delimiter ";"');
  });
});
