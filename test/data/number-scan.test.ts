// scanNumber (the CSV reader's fused fast path for numeric cells) gives exactly parseCell's value for every
// cell it accepts, and refuses what parseCell does not compute in one IEEE operation, where the cell ends
// in something other than the delimiter or a line end, or where it may go on in the next chunk.
import { describe, expect, it } from "vitest";
import { Cell, ParsedCell, parseCell, scanNumber } from "../../bindings/data/number-parse.js";

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
