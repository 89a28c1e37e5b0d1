// scanNumber (the CSV reader's fused fast path for numeric cells) gives exactly parseCell's value for every
// cell it accepts, and refuses what parseCell does not compute in one IEEE operation, where the cell ends
// in something other than the delimiter or a line end, or where it may go on in the next chunk. And
// isMissingBytes, which the reader asks of every text cell, knows exactly the missing tokens.
import { describe, expect, it } from "vitest";
import { Cell, ParsedCell, isMissingBytes, parseCell, scanNumber } from "../../bindings/data/number-parse.js";

const enc = (s: string) => new TextEncoder().encode(s);

describe("scanNumber", () => {
  it("agrees with parseCell (and Number) on random decimals, and refuses long ones", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const out = new ParsedCell();
    const ref = new ParsedCell();
    let accepted = 0;
    for (let k = 0; k < 5000; k++) {
      const int = String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 12)));
      const frac = rnd() < 0.7 ? "." + String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 10))).padStart(Math.floor(rnd() * 9), "0") : "";
      const exp = rnd() < 0.2 ? `e${rnd() < 0.5 ? "-" : ""}${Math.floor(rnd() * 30)}` : "";
      const text = `${rnd() < 0.3 ? "-" : ""}${int}${frac}${exp}`;
      const b = enc(`${text}${rnd() < 0.2 ? "  " : ""},`);
      const end = scanNumber(b, 0, b.length, 44, out);
      parseCell(b, 0, text.length, ref);
      expect(ref.kind).toBe(Cell.Number);
      if (end < 0) continue;
      accepted++;
      expect(end).toBe(text.length);
      expect(Object.is(out.value, ref.value), text).toBe(true);
      expect(Object.is(out.value, Number(text)), text).toBe(true);
    }
    expect(accepted).toBeGreaterThan(3000);
    expect(scanNumber(enc("1234567890.1234567,"), 0, 19, 44, out)).toBe(-1); // 17 digits: parseCell's slow path
    expect(scanNumber(enc("1e40,"), 0, 5, 44, out)).toBe(-1);
  });

  it("refuses cells that are not a plain number up to the delimiter or line end", () => {
    const out = new ParsedCell();
    for (const s of ["1.5abc,", "NA,", ".,", "-,", "1e,", "1 2,", "7"]) expect(scanNumber(enc(s), 0, s.length, 44, out), s).toBe(-1);
    expect(scanNumber(enc("42\r\n"), 0, 4, 44, out)).toBe(2);
    expect(out.value).toBe(42);
    expect(scanNumber(enc("-0\t1"), 0, 4, 9, out)).toBe(2); // a tab delimiter is not skipped as a space
    expect(Object.is(out.value, -0)).toBe(true);
  });
});

describe("isMissingBytes", () => {
  // The tokens as csv.ts documents them; the check looks only at bytes, so every short byte string is tried.
  const TOKENS = ["", "NA", "N/A", "NaN", "nan", ".", "NULL", "null"];

  it("is true for the empty cell and exactly the missing tokens, among every cell of up to two bytes and near misses", () => {
    const cells: number[][] = [[]];
    for (let a = 0; a < 256; a++) {
      cells.push([a]);
      for (let b = 0; b < 256; b++) cells.push([a, b]);
    }
    for (const t of TOKENS) {
      const bytes = Array.from(t, (ch) => ch.charCodeAt(0));
      cells.push(bytes);
      // Each token with one byte changed, and cut or lengthened by one.
      bytes.forEach((_, i) => cells.push(bytes.map((x, j) => (j === i ? x ^ 0x20 : x)), bytes.map((x, j) => (j === i ? x + 1 : x))));
      cells.push(bytes.slice(1), bytes.slice(0, -1), [...bytes, 65], [46, ...bytes]);
    }
    let missing = 0;
    for (const cell of cells) {
      // In the middle of a buffer, as the reader asks: the bytes around the cell must not matter.
      const b = Uint8Array.from([78, ...cell, 65]);
      const text = String.fromCharCode(...cell);
      const expected = TOKENS.includes(text);
      expect(isMissingBytes(b, 1, 1 + cell.length), JSON.stringify(text)).toBe(expected);
      if (expected) missing++;
    }
    expect(missing).toBeGreaterThanOrEqual(TOKENS.length + 2); // the short tokens come up twice
  });
});
