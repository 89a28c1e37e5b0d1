// One entry for every format: recognised by the first bytes, else by the extension, else CSV; from bytes
// (browser-safe) and from a file (Node, CSV still streamed).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { detectFormat, readDataBytes } from "../../bindings/data/read-any.js";
import { readDataFile } from "../../bindings/data/read-data-file.js";
import { cells, errorOf, errorOfAsync, expectSameFrame } from "../helpers/frames.js";

const FIXTURES = join(__dirname, "fixtures");
const fixture = (file: string) => join(FIXTURES, file);
const bytesOf = (file: string) => new Uint8Array(readFileSync(fixture(file)));
const reference = parseCsv(bytesOf("panel.csv"));
const tmp = mkdtempSync(join(tmpdir(), "didwasm-read-any-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("detectFormat", () => {
  it("trusts the first bytes over the name", () => {
    expect(detectFormat(bytesOf("panel.parquet"), "x.csv")).toBe("parquet");
    expect(detectFormat(bytesOf("panel-118.dta"), "x.txt")).toBe("dta");
    expect(detectFormat(bytesOf("old-113.dta"))).toBe("dta");
    expect(detectFormat(new TextEncoder().encode("a,b\n1,2\n"), "data.csv")).toBe("csv");
    expect(detectFormat(new TextEncoder().encode("a,b\n1,2\n"))).toBe("csv");
    expect(detectFormat(new TextEncoder().encode("PAR1,b\n1,2\n"))).toBe("csv");
  });

  it("falls back to the extension, so a damaged .dta or .parquet is not read as CSV", () => {
    expect(detectFormat(new TextEncoder().encode("a,b\n"), "survey.DTA")).toBe("dta");
    expect(detectFormat(new TextEncoder().encode("a,b\n"), "x.parquet")).toBe("parquet");
    expect(detectFormat(new TextEncoder().encode("a,b\n"), "x.pq")).toBe("parquet");
  });

  it("names formats it does not read", () => {
    expect(errorOf(() => detectFormat(new Uint8Array([0x50, 0x4b, 3, 4, 0]), "book.xlsx")).message).toBe("book.xlsx is a zip archive (an Excel .xlsx workbook?): save it as CSV");
    expect(errorOf(() => detectFormat(new Uint8Array([0x1f, 0x8b, 8]), "d.csv.gz")).code).toBe("UNSUPPORTED_FORMAT");
    expect(errorOf(() => detectFormat(new TextEncoder().encode("$FL2@(#) SPSS"), "s.sav")).message).toContain("SPSS");
  });
});

describe("readDataBytes", () => {
  it.each(["panel.csv", "panel-117.dta", "panel-118.dta", "panel-119.dta", "panel-gzip.parquet"])("%s", async (file) => {
    const frame = await readDataBytes(bytesOf(file), { name: file });
    expectSameFrame(frame, reference, file.endsWith(".parquet") ? ["date"] : []);
  });

  it("passes options on: labels for .dta, delimiter for CSV, an explicit format", async () => {
    expect(cells(await readDataBytes(bytesOf("panel-118.dta"), { labels: "codes" }), "region").slice(0, 2)).toEqual([2, 2]);
    const semi = await readDataBytes(new TextEncoder().encode("a;b\n1;2\n"), { delimiter: ";" });
    expect(semi.names).toEqual(["a", "b"]);
    expect((await readDataBytes(bytesOf("panel-118.dta").buffer as ArrayBuffer, { format: "dta" })).nrow).toBe(180);
  });

  it("a delimiter with a Stata or Parquet file is refused, not ignored", async () => {
    expect((await errorOfAsync(() => readDataBytes(bytesOf("panel-118.dta"), { name: "panel-118.dta", delimiter: ";" }))).message).toBe(
      "--delimiter applies to CSV files; panel-118.dta is a Stata .dta file",
    );
  });

  it("a .dta or .parquet name on other bytes is that format's error", async () => {
    const csvBytes = new TextEncoder().encode("a,b\n1,2\n");
    expect((await errorOfAsync(() => readDataBytes(csvBytes, { name: "x.dta" }))).message).toBe("x.dta: not a Stata .dta file (it does not start with <stata_dta>)");
    expect((await errorOfAsync(() => readDataBytes(csvBytes, { name: "x.parquet" }))).message).toBe("x.parquet: not a Parquet file (it does not start with PAR1)");
  });
});

describe("readDataFile (Node)", () => {
  it.each(["panel.csv", "panel-118.dta", "panel.parquet"])("%s", async (file) => {
    expectSameFrame(await readDataFile(fixture(file)), reference, file.endsWith(".parquet") ? ["date"] : []);
  });

  it("recognises the content whatever the name; CSV rows keep line numbers", async () => {
    const renamed = join(tmp, "export.txt");
    writeFileSync(renamed, bytesOf("panel-119.dta"));
    expectSameFrame(await readDataFile(renamed), reference);
    expect((await readDataFile(fixture("panel.csv"))).describeRow(0)).toBe("line 2");
  });

  it("missing files, directories and old formats", async () => {
    expect((await errorOfAsync(() => readDataFile(join(tmp, "nope.dta")))).code).toBe("FILE_NOT_FOUND");
    expect((await errorOfAsync(() => readDataFile(tmp))).code).toBe("FILE_UNREADABLE");
    const old = await errorOfAsync(() => readDataFile(fixture("old-115.dta")));
    expect(old.message).toMatch(/old-115\.dta: this is a Stata \.dta file in the old format 115 \(Stata 12\)/);
  });
});
