// The CSV reader's fast path for plain records (csv-plain-record.ts) gives exactly what the general reader
// gives. The general reader alone is reached by padding every record's last cell with a trailing space
// (which it trims, and which the fast path refuses): the padded file must give the same Frame, bit for bit,
// on random files holding every kind of cell. Then the refusals themselves, one by one.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { PlainRun, readPlainRecords, type PlainColumn } from "../../bindings/data/csv-plain-record.js";
import type { Frame } from "../../bindings/data/frame.js";
import { TextDictionary } from "../../bindings/data/text-dictionary.js";

function snapshot(f: Frame) {
  return {
    nrow: f.nrow,
    columns: f.columns.map((c) =>
      c.kind === "numeric"
        ? { name: c.name, allFinite: c.allFinite, values: Array.from(c.values, (v) => (Object.is(v, -0) ? "-0" : String(v))) }
        : { name: c.name, levels: c.levels, codes: Array.from(c.codes), firstText: c.firstText },
    ),
    rows: Array.from({ length: f.nrow }, (_, r) => f.describeRow(r)),
  };
}

/** The same text with a space before every line end (blank lines stay blank: spaces only). */
const padded = (text: string) => text.replace(/\r?\n/g, (m) => " " + m);

describe("plain records", () => {
  it("read exactly as the general reader reads them, on random files", () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const decimal = () => {
      const int = String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 9)));
      const frac = rnd() < 0.7 ? "." + String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 12))).padStart(Math.floor(rnd() * 10), "0") : "";
      return `${pick(["", "", "-", "+"])}${pick(["", "", "0", "00"])}${int}${frac}`;
    };
    const numericSpecial = () => pick(["", "NA", ".", "Inf", "-0", "1e5", "2.5E-3", "TRUE", ".5", "5.", "-.25", "12345678901234567", "0.000000000000000000000001"]);
    const text = () => (rnd() < 0.9 ? `t${Math.floor(rnd() * 9)}${pick(["", "é", 'x"q'])}` : pick(["", "NA", `"quoted ${Math.floor(rnd() * 4)}"`]));
    // Numeric columns (decimals, now and then a special number or a missing cell), text columns, and
    // columns of decimals that turn text at one random row.
    const cell = (kind: number, row: number, turn: number) => {
      if (kind === 1) return text();
      if (kind === 2 && row === turn) return "late text";
      return rnd() < 0.92 ? decimal() : numericSpecial();
    };
    let plain = 0;
    for (let k = 0; k < 40; k++) {
      const ncol = 1 + Math.floor(rnd() * 6);
      const eol = rnd() < 0.3 ? "\r\n" : "\n";
      const kinds = Array.from({ length: ncol }, () => (rnd() < 0.6 ? 0 : rnd() < 0.7 ? 1 : 2));
      const nrow = 20 + Math.floor(rnd() * 200);
      const turn = Math.floor(rnd() * nrow);
      const lines = Array.from({ length: nrow }, (_, r) => kinds.map((kind) => cell(kind, r, turn)).join(","));
      if (rnd() < 0.3) lines.splice(Math.floor(rnd() * lines.length), 0, ""); // a blank line
      const text = Array.from({ length: ncol }, (_, j) => `c${j}`).join(",") + eol + lines.join(eol) + eol;
      const fast = parseCsv(text);
      const general = parseCsv(padded(text));
      expect(snapshot(fast), `file ${k}`).toEqual(snapshot(general));
      plain += fast.columns.filter((c) => c.kind === "numeric").length;
    }
    expect(plain).toBeGreaterThan(40); // numeric columns compared, value by value
  });

  it("give a text repeated row after row the id of its first sight, across runs, blank lines and other cells", () => {
    // Runs of one text (a panel's unit label), texts that are prefixes of one another, the same text quoted or
    // padded (read by the general reader between two runs), missing cells, and a blank line (after which
    // records are read one at a time).
    const rows = ["ab", "ab", "ab", "ba", "a", "a", "abc", "ab", '"ab"', "ab", "ab ", "ab", "NA", "NA", "", "", "abc", "abc", "b", "ab"];
    const lines = rows.map((t, r) => `${r},${t},${r % 3}.5`);
    lines.splice(14, 0, "");
    const text = "i,s,x\n" + lines.join("\n") + "\n";
    const fast = parseCsv(text);
    expect(snapshot(fast)).toEqual(snapshot(parseCsv(padded(text))));
    const s = fast.columns[1];
    if (s.kind !== "text") throw new Error("s should be a text column");
    expect(s.levels).toEqual(["ab", "ba", "a", "abc", "b"]);
    expect(Array.from(s.codes)).toEqual([0, 0, 0, 1, 2, 2, 3, 0, 0, 0, 0, 0, -1, -1, -1, -1, 3, 3, 4, 0]);
  });

  it("do not take a text's id from an earlier chunk's buffer", () => {
    // The first chunk ends with the text "xy" at some offset; the second chunk (a new buffer) holds "zz" at
    // that same offset while its first record's text is "zz": the id of "xy" must not be reused for it.
    const enc = (t: string) => new TextEncoder().encode(t);
    const first = "i,s\n" + "0,xy\n".repeat(30);
    const at = first.lastIndexOf("xy");
    let second = "";
    for (let pad = 0; second.slice(at, at + 2) !== "zz"; pad++) {
      second = `1${"0".repeat(pad)},zz\n` + "2,zz\n".repeat(40);
    }
    const source = (pad: (t: string) => string) => {
      const chunks = [enc(pad(first)), enc(pad(second))];
      return { name: "chunks", size: chunks[0].length + chunks[1].length, chunks: () => chunks };
    };
    const fast = parseCsv(source((t) => t));
    expect(snapshot(fast)).toEqual(snapshot(parseCsv(source(padded))));
    const s = fast.columns[1];
    if (s.kind !== "text") throw new Error("s should be a text column");
    expect(s.levels).toEqual(["xy", "zz"]);
    expect(s.codes[30]).toBe(1);
  });

  it("are refused when a cell is quoted, padded, not a plain decimal, or the record has the wrong number of cells", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const columns = (kinds: string): PlainColumn[] =>
      Array.from(kinds, (k) => (k === "n" ? { kind: "numeric", values: new Float64Array(4), codes: null, dict: null } : { kind: "text", values: new Float64Array(0), codes: new Int32Array(4).fill(-1), dict: new TextDictionary() }));
    // One record: the offset after it, or -1 when refused.
    const read = (s: string, kinds = "nt") => {
      const run = new PlainRun();
      return readPlainRecords(enc(s), 0, enc(s).length, 44, columns(kinds), 0, 1, run) > 0 ? run.end : -1;
    };
    expect(read("1.5,a\n")).toBe(6);
    expect(read("1.5,a\r\nx")).toBe(7);
    expect(read("-.5,\n")).toBe(5); // an empty text cell after a comma is missing
    for (const s of ['"1",a\n', "1,\"a\"\n", " 1,a\n", "1 ,a\n", "1,a \n", "1,a\t\n", "1, a\n", "1e3,a\n", "NA,a\n", ",a\n", "1,a,b\n", "1\n", "1,a", "1,a\r", "1,a\rb\n", "12345678901234567,a\n"]) {
      expect(read(s), JSON.stringify(s)).toBe(-1);
    }
    expect(read("\n", "t")).toBe(-1); // an empty first cell may be a blank line
  });
});
