// The parallel CSV reader (csv-parallel.ts) gives exactly the serial reader's Frame: same values (bit for
// bit), the same text levels in the same order, the same first-text cell, finiteness flags, row labels and
// errors, whatever the number of threads and wherever the cuts fall. Workers run the built JavaScript
// (dist/), which `npm test` builds first. Files are small and read with minBytes 0, so cuts fall every few
// lines; that the ranges were read (by whichever threads took them), not the file serially, is seen in the
// result: its columns are in shared memory.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../dist/bindings/data/csv.js";
import { readCsvFileParallel } from "../../dist/bindings/data/csv-parallel.js";
import type { Frame } from "../../dist/bindings/data/frame.js";

const DIR = join(__dirname, "..", "..", "test-output", `csv-parallel-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

let files = 0;
function file(content: string | Uint8Array): string {
  const path = join(DIR, `f${++files}.csv`);
  writeFileSync(path, content);
  return path;
}

/** Everything a Frame says, in a comparable form (NaN and -0 kept apart by Object.is via strings). */
function snapshot(f: Frame) {
  return {
    nrow: f.nrow,
    columns: f.columns.map((c) =>
      c.kind === "numeric"
        ? { name: c.name, kind: c.kind, allFinite: c.allFinite, values: Array.from(c.values, (v) => (Object.is(v, -0) ? "-0" : String(v))) }
        : { name: c.name, kind: c.kind, levels: c.levels, codes: Array.from(c.codes), firstText: c.firstText },
    ),
    rows: Array.from({ length: f.nrow }, (_, r) => f.describeRow(r)),
    unknown: (() => {
      try {
        f.column("no such column");
      } catch (e) {
        return (e as Error).message;
      }
    })(),
  };
}

const isShared = (f: Frame) => f.columns.every((c) => (c.kind === "numeric" ? c.values : c.codes).buffer instanceof SharedArrayBuffer);

/** Reads `content` in parallel with each number of threads and checks the frame against the serial
 *  reader's; unless `mayFallBack`, also that the parallel path gave it (no silent serial read). */
async function same(content: string | Uint8Array, threads: number[] = [2, 4], delimiter?: string, mayFallBack = false): Promise<Frame[]> {
  const path = file(content);
  const serial = parseCsv(typeof content === "string" ? new TextEncoder().encode(content) : content, { delimiter });
  const frames: Frame[] = [];
  for (const t of threads) {
    const serialReads: string[] = [];
    const f = await readCsvFileParallel(path, { threads: t, minBytes: 0, delimiter, onSerial: (why) => serialReads.push(why) });
    expect(snapshot(f)).toEqual(snapshot(serial));
    if (!mayFallBack) expect(serialReads).toEqual([]);
    frames.push(f);
  }
  return frames;
}

const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join("\n");

describe("parallel CSV reading", () => {
  it("reads numbers, text, missing tokens and Inf in parallel, identical to the serial reader", async () => {
    const text = "id,x,g,y\n" + rows(300, (i) => `${i},${(i * 0.37 - 20).toFixed(3)},${["a", "b", "NA", "c", ""][i % 5]},${i % 97 === 5 ? "Inf" : i % 13 === 0 ? "." : i % 11 === 0 ? "NULL" : i * 2}`) + "\n";
    const frames = await same(text);
    for (const f of frames) expect(isShared(f)).toBe(true);
    expect(frames[0].column("y").kind).toBe("numeric");
  });

  it("merges text levels in the serial order, also for a column numeric except one row in the last range", async () => {
    // "007" and "7" stay apart; the column turns text near the end, so earlier ranges re-read it as text.
    const text = "k,v,w\n" + rows(400, (i) => `${i % 9},${i === 397 ? "x7" : i % 3 === 0 ? "007" : i % 7},lvl${(i * 7919) % 23}`) + "\n";
    const [f] = await same(text);
    expect(isShared(f)).toBe(true);
    const v = f.column("v");
    expect(v.kind === "text" && v.firstText).toEqual({ row: 397, text: "x7" });
  });

  it("handles quotes, escaped quotes, commas in quotes, CRLF, a BOM and spaces", async () => {
    const text = "\uFEFFname, v ,t\r\n" + rows(200, (i) => `"Smith, J${i % 4}", ${i} ,"say ""hi${i % 3}"""`).replace(/\n/g, "\r\n") + "\r\n";
    const [f] = await same(text);
    expect(isShared(f)).toBe(true);
  });

  it("handles a last line without a line end, blank lines (row labels) and a one-row file", async () => {
    await same("a,b\n" + rows(150, (i) => (i % 40 === 0 ? `\n${i},x${i % 3}` : `${i},${i % 2}`)));
    // One record: nothing to cut, so read serially (and said so).
    await same("a,b\n1,2", [2, 4], undefined, true);
    await same("a,b\n1,2\n", [2, 4], undefined, true);
  });

  it("reads quoted fields holding line ends (a cut may fall inside one: then serially), and tab-separated files", async () => {
    await same("a,b\n" + rows(120, (i) => (i % 10 === 3 ? `${i},"two\nlines ${i}"` : `${i},"one ${i % 4}"`)) + "\n", [2, 4], undefined, true);
    await same("a\tb\n" + rows(120, (i) => `${i}\t${i % 3 ? "u" : "NA"}`) + "\n", [3], "\t");
  });

  it("reads bytes that are not UTF-8 as the serial reader does (Latin-1)", async () => {
    const head = new TextEncoder().encode("n,t\n");
    const body = Array.from({ length: 200 }, (_, i) => [...new TextEncoder().encode(`${i},`), ...(i % 2 ? [0xfc] : [0xc3, 0xbc]), 10]).flat();
    await same(new Uint8Array([...head, ...body]), [2]);
  });

  it("reads ranges with many more rows than the first lines' length suggested (their columns outgrow the slots)", async () => {
    // Rows are estimated from the first megabyte: 1,100 rows of 1 kB, then 60,000 rows of a few bytes.
    const long = rows(1100, (i) => `${i},${"x".repeat(1000)}`);
    const [f] = await same(`a,b\n${long}\n${rows(60_000, (i) => `${i % 10},${i % 3 ? "y" : "z"}`)}\n`, [3]);
    expect(isShared(f)).toBe(true);
  });

  it("writes the codes of columns that start as text into shared storage and merges them there, in place", async () => {
    // g is text from the first record (its codes get a shared buffer before the ranges are read, with room
    // to spare, so the frame's codes are a view of it); h turns text only after the 16 kB sampled for the
    // guess (storage of its own).
    const text = "id,g,h\n" + rows(3000, (i) => `${i},${["a", "b", "", "c"][(i * 7) % 4]}${i % 5},${i === 2900 ? "late" : i % 3}`) + "\n";
    for (const f of await same(text, [2, 3])) {
      const g = f.column("g");
      const h = f.column("h");
      if (g.kind !== "text" || h.kind !== "text") throw new Error("g and h should be text");
      expect(g.codes.buffer.byteLength).toBeGreaterThan(f.nrow * 4);
      expect(h.codes.buffer.byteLength).toBe(f.nrow * 4);
      expect(isShared(f)).toBe(true);
    }
  });

  it("reports a bad row with the serial reader's message and line", async () => {
    const path = file("a,b\n" + rows(300, (i) => (i === 250 ? "1,2,3" : `${i},${i}`)) + "\n");
    await expect(readCsvFileParallel(path, { threads: 3, minBytes: 0 })).rejects.toThrow("line 252 has 3 fields, but the header has 2");
    const unclosed = file("a,b\n" + rows(300, (i) => `${i},${i}`) + '\n1,"open\n');
    await expect(readCsvFileParallel(unclosed, { threads: 2, minBytes: 0 })).rejects.toThrow("line 302: a quoted field is never closed");
  });

  it("says when it reads serially after all, and why", async () => {
    const reasons = async (content: string, options: { threads: number; minBytes?: number }) => {
      const out: string[] = [];
      await readCsvFileParallel(file(content), { ...options, onSerial: (why) => out.push(why) }).catch(() => undefined);
      return out;
    };
    const plain = "a,b\n" + rows(300, (i) => `${i},${i % 7}`) + "\n";
    expect(await reasons(plain, { threads: 1, minBytes: 0 })).toEqual(["one thread"]);
    expect(await reasons(plain, { threads: 2 })).toEqual(["a small file"]);
    expect(await reasons(plain, { threads: 2, minBytes: 0 })).toEqual([]);
    // A range that fails sends the file to the serial reader, for its own message and line.
    expect(await reasons("a,b\n" + rows(300, (i) => (i === 250 ? "1,2,3" : `${i},${i}`)) + "\n", { threads: 3, minBytes: 0 })).toEqual([
      expect.stringMatching(/^the parallel reading failed: .*3 fields/),
    ]);
  });

  it("starts its workers in a process given V8 flags (which Node refuses as a worker's explicit flags)", () => {
    const path = file("id,x\n" + rows(300, (i) => `${i},${i / 4}`) + "\n");
    const url = pathToFileURL(join(__dirname, "..", "..", "dist", "bindings", "data", "csv-parallel.js")).href;
    const script = `const { readCsvFileParallel } = await import(${JSON.stringify(url)});
      const serial = [];
      const f = await readCsvFileParallel(${JSON.stringify(path)}, { threads: 2, minBytes: 0, onSerial: (why) => serial.push(why) });
      console.log(JSON.stringify({ nrow: f.nrow, shared: f.columns[1].values.buffer instanceof SharedArrayBuffer, serial }));`;
    const out = execFileSync(process.execPath, ["--max-old-space-size=2048", "--stack-size=900", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ nrow: 300, shared: true, serial: [] });
  });

  it("gives the same frame on random files for any number of threads", async () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cell = () => {
      const u = rnd();
      if (u < 0.55) return (rnd() * 200 - 100).toFixed(Math.floor(rnd() * 6));
      if (u < 0.65) return ["", "NA", ".", "Inf", "-0", "1e5", "TRUE"][Math.floor(rnd() * 7)];
      if (u < 0.9) return `t${Math.floor(rnd() * 12)}`;
      return `"q ${Math.floor(rnd() * 5)}, ""x"""`;
    };
    for (let k = 0; k < 3; k++) {
      const ncol = 1 + Math.floor(rnd() * 5);
      const text = Array.from({ length: ncol }, (_, j) => `c${j}`).join(",") + "\n" + rows(50 + Math.floor(rnd() * 250), () => Array.from({ length: ncol }, cell).join(",")) + (rnd() < 0.5 ? "\n" : "");
      await same(text, [2 + k]);
    }
  });
});
