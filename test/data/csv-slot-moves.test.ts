// The numeric part of the parallel CSV merge (csv-slot-moves.ts): ranges' numbers sit in slots with gaps
// behind them; the moves close the gaps, in file order, on whichever thread applies them, the worker
// script included (it is sent a move message after the rounds). Also a parallel read large enough that the
// worker is up before the ranges run out, so the merge is shared out, checked against the serial reader.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../dist/bindings/data/csv.js";
import type { CsvRange } from "../../dist/bindings/data/csv-merge.js";
import { readCsvFileParallel } from "../../dist/bindings/data/csv-parallel.js";
import { applySlotMoves, callerMoveShare, slotMoves } from "../../dist/bindings/data/csv-slot-moves.js";

const DIR = join(__dirname, "..", "..", "test-output", `csv-slot-moves-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** Ranges of `rows[k]` rows each, written at slot starts `at[k]` of one shared buffer per column; row r of
 *  the file holds 1000 * column + r. Gap rows hold -1, which must never reach the column. */
function layout(rows: number[], at: number[], ncol: number, slotRows: number) {
  const slots = Array.from({ length: ncol }, () => new SharedArrayBuffer(slotRows * 8));
  for (const s of slots) new Float64Array(s).fill(-1);
  let row = 0;
  const ranges: CsvRange[] = rows.map((n, k) => {
    const columns = slots.map((s, j) => {
      const values = new Float64Array(s, at[k] * 8, n);
      for (let i = 0; i < n; i++) values[i] = 1000 * j + row + i;
      return { kind: "numeric" as const, name: `c${j}`, values, allFinite: true };
    });
    row += n;
    return { nrow: n, columns, rowLine: null, lines: n };
  });
  return { slots, ranges, nrow: row };
}

const expected = (j: number, nrow: number) => Array.from({ length: nrow }, (_, r) => 1000 * j + r);

describe("moving ranges into place in their shared buffers", () => {
  it("closes the gaps, in file order, the same moves for every column", () => {
    const { slots, ranges, nrow } = layout([5, 0, 7, 3], [0, 9, 10, 22], 3, 30);
    const { columns, moves } = slotMoves(ranges, slots);
    expect(columns).toEqual([0, 1, 2]);
    expect(moves).toEqual([{ from: 10, to: 5, rows: 7 }, { from: 22, to: 12, rows: 3 }]);
    for (const s of slots) applySlotMoves(s, moves);
    slots.forEach((s, j) => expect(Array.from(new Float64Array(s, 0, nrow))).toEqual(expected(j, nrow)));
  });

  it("leaves to the main merge a column with a range in storage of its own, or one that is text", () => {
    const { slots, ranges } = layout([4, 4], [0, 6], 3, 12);
    const grown = ranges.map((r, k) => (k === 1 ? { ...r, columns: r.columns.map((c, j) => (j === 1 && c.kind === "numeric" ? { ...c, values: new Float64Array(c.values) } : c)) } : r));
    const texted = grown.map((r) => ({ ...r, columns: r.columns.map((c, j) => (j === 2 ? { kind: "text" as const, name: c.name, codes: new Int32Array(r.nrow), levels: ["a"], firstText: { row: 0, text: "a" } } : c)) }));
    expect(slotMoves(texted, slots).columns).toEqual([0]);
  });

  it("are shared out so that the calling thread, which merges the text columns, moves fewer columns", () => {
    expect(callerMoveShare(9, 1, 0)).toBe(9); // no worker up: every column
    expect(callerMoveShare(9, 0, 1)).toBe(4); // numbers only: an even split, the odd column to the worker
    expect(callerMoveShare(8, 0, 3)).toBe(2);
    expect(callerMoveShare(9, 1, 1)).toBeLessThan(4); // one text column of ten: fewer than the even split
    expect(callerMoveShare(9, 1, 1)).toBeGreaterThan(0);
    expect(callerMoveShare(4, 5, 1)).toBe(0); // mostly text: the workers move every number
    for (let movable = 0; movable < 12; movable++) {
      for (let text = 0; text < 4; text++) {
        for (let helpers = 0; helpers < 4; helpers++) {
          const own = callerMoveShare(movable, text, helpers);
          expect(own).toBeGreaterThanOrEqual(0);
          expect(own).toBeLessThanOrEqual(movable);
          expect(own).toBeLessThanOrEqual(Math.floor(movable / (helpers + 1)));
        }
      }
    }
  });

  it("are applied by the CSV worker script when it is sent them", async () => {
    const { slots, ranges, nrow } = layout([50, 60, 40], [0, 55, 120], 2, 170);
    const { moves } = slotMoves(ranges, slots);
    const worker = new Worker(new URL("../../dist/bindings/data/csv-worker-node.js", import.meta.url));
    try {
      const reply = await new Promise((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.postMessage({ move: { slots, moves } });
      });
      expect(reply).toEqual({ ok: true, ranges: [] });
    } finally {
      await worker.terminate();
    }
    slots.forEach((s, j) => expect(Array.from(new Float64Array(s, 0, nrow))).toEqual(expected(j, nrow)));
  });

  it("give the serial reader's columns on a file large enough for the worker to take part", async () => {
    const path = join(DIR, "large.csv");
    let text = "id,g,x,y\n";
    for (let i = 0; i < 400_000; i++) text += `${i},g${i % 31},${((i * 7919) % 10007) / 8},${i % 13 === 0 ? "NA" : i * 0.5}\n`;
    writeFileSync(path, text);
    const serial = parseCsv(new TextEncoder().encode(text));
    const serialReads: string[] = [];
    const f = await readCsvFileParallel(path, { threads: 2, minBytes: 0, onSerial: (why) => serialReads.push(why) });
    expect(serialReads).toEqual([]);
    expect(f.nrow).toBe(serial.nrow);
    f.columns.forEach((c, j) => {
      const s = serial.columns[j];
      if (c.kind === "numeric" && s.kind === "numeric") {
        expect(c.allFinite).toBe(s.allFinite);
        expect(Buffer.compare(Buffer.from(c.values.buffer, c.values.byteOffset, c.values.byteLength), Buffer.from(s.values.buffer, s.values.byteOffset, s.values.byteLength))).toBe(0);
      } else if (c.kind === "text" && s.kind === "text") {
        expect(c.levels).toEqual(s.levels);
        expect(Array.from(c.codes)).toEqual(Array.from(s.codes));
      } else throw new Error(`column ${j}: ${c.kind} in parallel, ${s.kind} serially`);
    });
  });
});
