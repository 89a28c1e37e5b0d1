// Parquet through hyparquet: fixtures written by test/data/fixtures/make-parquet.mjs (hyparquet-writer)
// from panel.csv, so every column must equal the CSV's (dates shifted from Stata's 1960 to 1970) and so
// must every regression; plus the mapping of Parquet's logical types, and damaged files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { readParquet, readParquetWithInfo } from "../../bindings/data/parquet.js";
import { feols } from "../../bindings/estimators/feols.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { cells, errorOfAsync, expectSameFrame } from "../helpers/frames.js";

const FIXTURES = join(__dirname, "fixtures");
const bytesOf = (file: string) => new Uint8Array(readFileSync(join(FIXTURES, file)));
const PANELS = ["panel.parquet", "panel-gzip.parquet", "panel-plain.parquet"];
/** Days from 1960-01-01 (Stata, and the CSV) to 1970-01-01 (Parquet DATE). */
const STATA_TO_UNIX_DAYS = 3653;

describe("Parquet panels equal the CSV", () => {
  const reference = parseCsv(bytesOf("panel.csv"));

  it.each(PANELS)("%s (snappy / gzip in 4 row groups / uncompressed in 3) has the CSV's columns, bit for bit", async (file) => {
    const { frame, info } = await readParquetWithInfo(bytesOf(file), { name: file });
    expectSameFrame(frame, reference, ["date"]);
    expect(cells(frame, "date")).toEqual(cells(reference, "date").map((d) => (d as number) - STATA_TO_UNIX_DAYS));
    expect(info.columns.find((c) => c.name === "date")).toMatchObject({ logicalType: "DATE", note: "days since 1970-01-01" });
    expect(info.columns.find((c) => c.name === "treat")).toMatchObject({ physicalType: "BOOLEAN", note: "true = 1, false = 0" });
  });

  it.each(PANELS)("%s gives the CSV's regressions", async (file) => {
    const frame = await readParquet(bytesOf(file));
    const specs: Array<[string, Parameters<typeof feols>[2]]> = [
      ["income ~ treat + x1 + x2 | unit + year", { vcov: "cluster:state" }],
      ["income ~ treat + x1 | city + year", { vcov: "hetero", weights: "wt" }],
    ];
    for (const [formula, options] of specs) expect(feols(frame, formula, options).tidy()).toEqual(feols(reference, formula, options).tidy());
  });
});

describe("Parquet types", () => {
  it("maps 64-bit integers, timestamps, decimals, booleans, unsigned, JSON and strings", async () => {
    const { frame, info } = await readParquetWithInfo(bytesOf("types.parquet"));
    // Beyond 2^53 a double is not exact: the column becomes text so ids stay distinct.
    expect(frame.column("big").kind).toBe("text");
    expect(cells(frame, "big")).toEqual(["1", "1152921504606846976", null, "-5"]);
    expect(cells(frame, "small64")).toEqual([1, -2, 3, NaN]);
    expect(cells(frame, "ts_ms")).toEqual([0, 1.5e9, NaN, -86400]);
    expect(cells(frame, "ts_us")).toEqual([0, 1500000000.123456, NaN, -0.000001]);
    expect(cells(frame, "price")).toEqual([123.45, -0.01, NaN, 1e6]);
    expect(cells(frame, "flag")).toEqual([1, 0, NaN, 1]);
    expect(cells(frame, "u32")).toEqual([0, 4000000000, NaN, 7]);
    expect(cells(frame, "meta")).toEqual(['{"a":1}', "[1,2]", null, "x"]);
    expect(cells(frame, "s")).toEqual(["a", null, null, "b"]); // "" is missing, as in CSV
    const note = (name: string) => info.columns.find((c) => c.name === name)?.note;
    expect(note("big")).toBe("64-bit integers beyond 2^53 read as text");
    expect(note("ts_ms")).toBe("seconds since 1970-01-01 UTC");
    expect(note("ts_us")).toBe("seconds since 1970-01-01 UTC");
    expect(note("meta")).toBe("nested values read as JSON text");
    expect(frame.describeRow(1)).toBe("row 2");
  });
});

describe("bad Parquet files are DidwasmErrors", () => {
  const good = bytesOf("panel.parquet");

  it("not Parquet, empty, truncated", async () => {
    expect((await errorOfAsync(() => readParquet(new TextEncoder().encode("a,b\n1,2\n")))).code).toBe("UNSUPPORTED_FORMAT");
    expect((await errorOfAsync(() => readParquet(new Uint8Array(0)))).code).toBe("EMPTY_FILE");
    for (const cut of [4, 100, good.length >> 1, good.length - 1, good.length - 9]) {
      const e = await errorOfAsync(() => readParquet(good.subarray(0, cut), { name: "cut.parquet" }));
      expect(e.code, `cut at ${cut}`).toBe("CORRUPT_FILE");
      expect(e.message).toMatch(/^cut\.parquet: /);
    }
  });

  it("a damaged footer length or metadata is CORRUPT_FILE", async () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(b.length - 8, 0x7fffffff, true);
    expect((await errorOfAsync(() => readParquet(b))).message).toMatch(/not a readable Parquet file/);
  });

  // Damage to the footer (schema, row groups, offsets) is checked here. Damage inside a data page header
  // can make hyparquet 1.33 loop for a very long time (a huge value count in a definition-level run), so
  // data pages are not fuzzed: that is hyparquet's to guard.
  it("random damage to the footer never escapes as anything but a DidwasmError (seeded)", async () => {
    const g = new Xoshiro128(5);
    for (const file of ["panel-plain.parquet", "types.parquet"]) {
      const good = bytesOf(file);
      const metaLen = new DataView(good.buffer, good.byteOffset).getUint32(good.length - 8, true);
      const from = good.length - 8 - metaLen;
      for (let k = 0; k < 200; k++) {
        const b = good.slice();
        const p = from + Math.floor(g.uniform() * (metaLen + 4));
        b[p] ^= 1 + Math.floor(g.uniform() * 255);
        try {
          await readParquet(b);
        } catch (e) {
          if (!(e instanceof Error) || e.name !== "DidwasmError") throw new Error(`${file} byte ${p}: ${(e as Error).stack}`);
        }
      }
    }
  });
});
