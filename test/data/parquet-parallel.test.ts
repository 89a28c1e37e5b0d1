// The parallel Parquet reader (parquet-parallel.ts) gives exactly the whole-file reader's Frame: the same
// values bit for bit, the same text levels in the same order and the same first text, whatever the number
// of threads, also when a column is numbers in some row groups and text in others (64-bit integers beyond
// 2^53 in one group only: the whole-file reader then writes every number of the column as its decimal
// text). Workers run the built JavaScript (dist/), which `npm test` builds first.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import type { Frame } from "../../dist/bindings/data/frame.js";
import { readParquet } from "../../dist/bindings/data/parquet.js";
import { readParquetFileParallel } from "../../dist/bindings/data/parquet-parallel.js";

const DIR = join(__dirname, "..", "..", "test-output", `parquet-parallel-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const FIXTURES = join(__dirname, "fixtures");

function snapshot(f: Frame) {
  return {
    nrow: f.nrow,
    columns: f.columns.map((c) =>
      c.kind === "numeric"
        ? { name: c.name, kind: c.kind, values: Array.from(c.values, (v) => (Object.is(v, -0) ? "-0" : String(v))) }
        : { name: c.name, kind: c.kind, levels: c.levels, codes: Array.from(c.codes), firstText: c.firstText },
    ),
  };
}

async function same(path: string, threads: number[] = [2, 3]): Promise<Frame[]> {
  const whole = await readParquet(readFileSync(path), { name: path });
  const frames: Frame[] = [];
  for (const t of threads) {
    const f = await readParquetFileParallel(path, { threads: t });
    expect(snapshot(f)).toEqual(snapshot(whole));
    frames.push(f);
  }
  return frames;
}

const shared = (f: Frame) => f.columns.every((c) => (c.kind === "numeric" ? c.values : c.codes).buffer instanceof SharedArrayBuffer);

describe("parallel Parquet reading", () => {
  it("reads the fixtures with several row groups (gzip, uncompressed with small pages) as the whole-file reader does", async () => {
    for (const name of ["panel-gzip.parquet", "panel-plain.parquet"]) {
      const [f] = await same(join(FIXTURES, name));
      expect(shared(f)).toBe(true); // read by row groups, not handed to the whole-file reader
    }
  });

  it("joins groups where a column is numbers in some and text in others, nulls, empty strings and booleans", async () => {
    const n = 900;
    let seed = 5;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const big = 2n ** 60n;
    const columnData = [
      { name: "id", data: Int32Array.from({ length: n }, (_, i) => i), type: "INT32" as const, nullable: false },
      // Beyond 2^53 only in rows 400-449 (one group of 50): text there, numbers elsewhere.
      { name: "big", data: Array.from({ length: n }, (_, i) => (i >= 400 && i < 450 && i % 7 === 0 ? big + BigInt(i) : BigInt(i % 13))), type: "INT64" as const },
      { name: "s", data: Array.from({ length: n }, (_, i) => (i < 120 ? null : rnd() < 0.1 ? "" : `lvl${Math.floor(rnd() * 30)}`)), type: "STRING" as const },
      { name: "x", data: Array.from({ length: n }, () => (rnd() < 0.05 ? null : Math.round(rnd() * 1e6) / 1e3 - 500)), type: "DOUBLE" as const },
      { name: "b", data: Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : rnd() < 0.5)), type: "BOOLEAN" as const },
    ];
    const path = join(DIR, "mixed.parquet");
    writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 50 })));
    const [f] = await same(path, [2, 3, 4]);
    expect(shared(f)).toBe(true);
    const b = f.column("big");
    expect(b.kind === "text" && b.firstText?.row).toBe(406); // the first value beyond 2^53
    expect(f.column("s").kind).toBe("text");
  });

  it("reads files of one row group alike (all types: big integers, timestamps, decimals, JSON), on one thread too, and leaves a damaged file to the whole-file reader (and its errors)", async () => {
    for (const name of ["panel.parquet", "types.parquet", "panel-gzip.parquet"]) {
      const [f] = await same(join(FIXTURES, name), [1, 2]);
      expect(shared(f)).toBe(true);
    }
    const bytes = readFileSync(join(FIXTURES, "panel-gzip.parquet"));
    const cut = join(DIR, "cut.parquet");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    await expect(readParquetFileParallel(cut, { threads: 2 })).rejects.toThrow(/truncated or damaged/);
  });
});
