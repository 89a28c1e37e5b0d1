// Stata .dta (formats 117, 118, 119) against files written by R haven (ReadStat) and byte-exact files
// written and checked by test/data/fixtures/make-dta.R. The panel fixtures hold the same data as
// panel.csv: every column must be identical, and so must every regression on them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { readDta, readDtaWithInfo } from "../../bindings/data/dta.js";
import type { Frame } from "../../bindings/data/frame.js";
import { feols } from "../../bindings/estimators/feols.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { writeDta118 } from "../helpers/dta-writer.js";
import { cells, errorOf, expectSameFrame } from "../helpers/frames.js";

const FIXTURES = join(__dirname, "fixtures");
const bytesOf = (file: string) => new Uint8Array(readFileSync(join(FIXTURES, file)));
const csv = () => parseCsv(bytesOf("panel.csv"));
const PANELS = ["panel-117.dta", "panel-118.dta", "panel-119.dta"];

/** Where an ASCII tag first occurs in the bytes. */
function at(bytes: Uint8Array, tag: string, from = 0): number {
  const t = new TextEncoder().encode(tag);
  outer: for (let i = from; i + t.length <= bytes.length; i++) {
    for (let j = 0; j < t.length; j++) if (bytes[i + j] !== t[j]) continue outer;
    return i;
  }
  throw new Error(`${tag} not found`);
}

function tidy(frame: Frame, formula: string, options: Parameters<typeof feols>[2] = {}) {
  return feols(frame, formula, options).tidy();
}

describe("R haven panels (117, 118, 119) equal the CSV", () => {
  const reference = csv();

  it.each(PANELS)("%s has the CSV's columns, bit for bit", (file) => {
    const frame = readDta(bytesOf(file), { name: file });
    expectSameFrame(frame, reference);
    expect(frame.nrow).toBe(180);
  });

  it.each(PANELS)("%s gives the CSV's regressions (clustered, weighted, text fixed effects)", (file) => {
    const frame = readDta(bytesOf(file));
    const specs: Array<[string, Parameters<typeof feols>[2]]> = [
      ["income ~ treat + x1 + x2 | unit + year", { vcov: "cluster:state" }],
      ["income ~ treat + x1 | city + year", { vcov: "hetero", weights: "wt" }],
      ["income ~ treat + x2 | region + year", { vcov: "iid" }],
    ];
    for (const [formula, options] of specs) expect(tidy(frame, formula, options)).toEqual(tidy(reference, formula, options));
  });

  it("keeps Stata's missing values (., .a, .z) as missing", () => {
    const frame = readDta(bytesOf("panel-118.dta"));
    expect((cells(frame, "x2") as number[]).filter(Number.isNaN)).toHaveLength(12);
  });

  it("reads strings: Chinese and Latin-1 letters, quotes and commas, blanks kept, strL beyond 2045 bytes", () => {
    for (const file of PANELS) {
      const { frame, info } = readDtaWithInfo(bytesOf(file));
      const city = cells(frame, "city");
      expect(city.slice(0, 61).filter((_, r) => r % 6 === 0)).toEqual([
        "北京", "上海", "广州", "深圳", "成都", "Zürich", "São Paulo", "Kraków", "O'Brien, \"Q\"", "  padded  ", "City 11",
      ]);
      expect(info.variables.find((v) => v.name === "note")?.type).toBe("strL");
      const note = cells(frame, "note");
      expect((note[2] as string).length).toBe(2200);
      expect(note[99]).toBe("长文本".repeat(700));
      expect(note[149]).toBe("x".repeat(2100));
      expect(note[24]).toBeNull(); // unit 5: "" is missing, as in Stata
    }
  });

  it("turns value-labelled columns into their labels (unlabelled values keep their number), or keeps codes", () => {
    const bytes = bytesOf("panel-118.dta");
    const text = readDtaWithInfo(bytes);
    expect(text.frame.column("region").kind).toBe("text");
    expect(new Set(cells(text.frame, "region"))).toEqual(new Set(["east", "west", "中部"]));
    expect(new Set(cells(text.frame, "grade"))).toEqual(new Set(["low", "mid", "high", "4"]));
    expect(text.info.valueLabels.get("region")).toEqual(new Map([[1, "east"], [2, "west"], [3, "中部"]]));
    const codes = readDta(bytes, { labels: "codes" });
    expect(codes.column("grade").kind).toBe("numeric");
    expect(new Set(cells(codes, "grade"))).toEqual(new Set([1, 2, 3, 4]));
    const regionText = cells(text.frame, "region");
    const regionCode = cells(codes, "region");
    regionText.forEach((t, r) => expect(text.info.valueLabels.get("region")!.get(regionCode[r] as number)).toBe(t));
  });

  it("keeps variable labels, formats and dates (numeric, Stata days since 1960)", () => {
    const { frame, info } = readDtaWithInfo(bytesOf("panel-119.dta"));
    expect(info.release).toBe(119);
    expect(info.variableLabels).toEqual(new Map([["treat", "Treated after adoption"], ["income", "Outcome (人均收入)"]]));
    expect(info.variables.find((v) => v.name === "date")).toMatchObject({ type: "double", format: "%td" });
    expect(frame.column("date").kind).toBe("numeric");
    expect(cells(frame, "date")[0]).toBe(18444); // 2010-07-01
  });
});

describe("every storage type, both byte orders, formats 117-119 (written byte by byte, checked with haven)", () => {
  const FILES = ["117-lsf", "117-msf", "118-lsf", "118-msf", "119-lsf", "119-msf"].map((s) => `types-${s}.dta`);

  it.each(FILES)("%s", (file) => {
    const release = Number(file.slice(6, 9));
    const { frame, info } = readDtaWithInfo(bytesOf(file), { name: file });
    expect(info).toMatchObject({ release, byteOrder: file.includes("msf") ? "MSF" : "LSF", label: "Types test", timestamp: "01 Jan 2024 12:00" });
    expect(info.variables.map((v) => v.type)).toEqual(["byte", "int", "long", "float", "double", "str5", "strL", "byte", "long"]);
    // Extremes of each type, then ., .a, .z.
    expect(cells(frame, "b")).toEqual([-127, 100, NaN, NaN, NaN, 0]);
    expect(cells(frame, "i")).toEqual([-32767, 32740, NaN, NaN, NaN, 7]);
    expect(cells(frame, "l")).toEqual([-2147483647, 2147483620, NaN, NaN, NaN, 123456]);
    expect(cells(frame, "f")).toEqual([-1.5, Math.fround(0.1), NaN, NaN, NaN, 1.7014117331926443e38]);
    expect(cells(frame, "d")).toEqual([-1.7976931348623157e308, 8.988465674311579e307, NaN, NaN, NaN, 0.1]);
    // Fixed-width strings: full width without a terminator, blanks kept; 117 is Latin-1.
    expect(cells(frame, "s")).toEqual(["ab", null, "abcde", "é", release === 117 ? "x" : "中", " sp "]);
    // strL: a shared (v,o), an empty (0,0), a long one, a binary (type 129) one.
    const longMemo = release === 117 ? "long memo ".repeat(60) : "长备注 ".repeat(60);
    expect(cells(frame, "memo")).toEqual(["short memo", null, "short memo", longMemo, "binary memo", "six"]);
    // Value label lvl: 1 low, 2 high, .a refused (a labelled missing value stays missing); 3 has no label.
    expect(cells(frame, "level")).toEqual(["low", "high", "3", null, null, "low"]);
    expect(cells(readDta(bytesOf(file), { labels: "codes" }), "level")).toEqual([1, 2, 3, NaN, NaN, 1]);
    expect(cells(frame, "day")).toEqual([0, 21915, -1, 101, NaN, 365]);
    expect(info.variableLabels.get("b")).toBe("a byte");
    expect(info.variableLabels.get("memo")).toBe(release === 117 ? "Memo" : "Memo (备注)");
    expect(frame.describeRow(2)).toBe("observation 3");
  });

  it("reads format 119 strL references split 3 + 5 bytes (Stata) and 2 + 6 bytes (ReadStat)", () => {
    expect(cells(readDta(bytesOf("types-119-lsf.dta")), "memo")[5]).toBe("six");
    expect(cells(readDta(bytesOf("panel-119.dta")), "note")[0]).toBe("note 1-2010");
  });
});

describe("many rows", () => {
  it("300,000 observations of byte, int, long, float and double, both byte orders", () => {
    const n = 300_000;
    const g = new Xoshiro128(7);
    const cols = {
      b: Float64Array.from({ length: n }, (_, r) => (r % 97 === 0 ? NaN : (r % 201) - 100)),
      i: Float64Array.from({ length: n }, (_, r) => (r % 13) * 1000 - 6000),
      l: Float64Array.from({ length: n }, (_, r) => r * 7 - 1_000_000),
      f: Float64Array.from({ length: n }, () => Math.fround(g.normal())),
      d: Float64Array.from({ length: n }, (_, r) => (r % 1001 === 0 ? NaN : g.normal())),
    };
    for (const little of [true, false]) {
      const bytes = writeDta118(
        [
          { name: "b", type: "byte", values: cols.b }, { name: "i", type: "int", values: cols.i }, { name: "l", type: "long", values: cols.l },
          { name: "f", type: "float", values: cols.f }, { name: "d", type: "double", values: cols.d },
        ],
        little,
      );
      const t0 = performance.now();
      const frame = readDta(bytes);
      expect(performance.now() - t0).toBeLessThan(2000);
      for (const [name, values] of Object.entries(cols)) expect(cells(frame, name)).toEqual(Array.from(values));
    }
  });
});

describe("bad files are DidwasmErrors that say what is wrong", () => {
  const good = bytesOf("panel-118.dta");

  it("old binary formats (113, 115) are refused with advice", () => {
    for (const [file, format, version] of [["old-113.dta", 113, "Stata 8 or 9"], ["old-115.dta", 115, "Stata 12"]] as const) {
      const e = errorOf(() => readDta(bytesOf(file), { name: file }));
      expect(e.code).toBe("UNSUPPORTED_FORMAT");
      expect(e.message).toContain(`old format ${format} (${version})`);
      expect(e.message).toMatch(/117, 118 and 119.*saveold.*haven::write_dta/);
    }
  });

  it("other releases, other files and empty files", () => {
    const newer = good.slice();
    newer.set(new TextEncoder().encode("121"), at(newer, "<release>") + 9);
    expect(errorOf(() => readDta(newer)).message).toContain("format 121 is not supported");
    expect(errorOf(() => readDta(new TextEncoder().encode("a,b\n1,2\n"))).code).toBe("UNSUPPORTED_FORMAT");
    expect(errorOf(() => readDta(new Uint8Array(0))).code).toBe("EMPTY_FILE");
    expect(errorOf(() => readDta(good, { labels: "words" as "text" })).code).toBe("BAD_OPTION");
  });

  it("a file cut anywhere is CORRUPT_FILE (truncated), never another exception", () => {
    const cuts = new Set<number>([1, 5, 11, 40, 100, good.length - 1, good.length - 13]);
    for (let c = 0; c < good.length; c += 211) cuts.add(c);
    for (const tag of ["<map>", "<data>", "</data>", "<strls>", "GSO", "<value_labels>", "<lbl>"]) cuts.add(at(good, tag) + 2);
    for (const cut of [...cuts].filter((c) => c > 0)) {
      const e = errorOf(() => readDta(good.subarray(0, cut), { name: "cut.dta" }));
      expect(e.code, `cut at ${cut}`).toBe("CORRUPT_FILE");
      expect(e.message, `cut at ${cut}`).toMatch(/^cut\.dta: the file is (truncated|damaged)/);
    }
    expect(errorOf(() => readDta(good.subarray(0, at(good, "<data>") + 100))).message).toMatch(/truncated or damaged: it ends while reading the data \(180 observations of \d+ bytes\)/);
  });

  it("damaged sections name what is wrong", () => {
    const damage = (tag: string, offset: number, bytes: number[]) => {
      const b = good.slice();
      b.set(bytes, at(b, tag) + offset);
      return errorOf(() => readDta(b, { name: "bad.dta" }));
    };
    expect(damage("<byteorder>", 11, [88]).message).toContain('the byte order is "XSF"');
    expect(damage("<variable_types>", 16, [1, 0x90]).message).toContain("variable 1 has unknown storage type code 36865");
    expect(damage("</data>", 2, [120]).message).toContain('expected </data>, found "</xata>"');
    // A strL reference to a string that is not stored.
    const b = good.slice();
    const dataStart = at(b, "<data>") + 6;
    const { info } = readDtaWithInfo(good);
    const widths = info.variables.map((v) => (v.type === "strL" || v.type === "double" ? 8 : v.type.startsWith("str") ? Number(v.type.slice(3)) : 4));
    const noteAt = dataStart + widths.slice(0, info.variables.findIndex((v) => v.name === "note")).reduce((s, w) => s + w, 0);
    b[noteAt + 2] = 0xee; // o of observation 1 becomes huge
    expect(errorOf(() => readDta(b)).message).toMatch(/strL variable "note", observation 1: its reference \(v=\d+, o=\d+\) matches no stored string/);
    // Value-label table whose sizes disagree.
    const lbl = good.slice();
    lbl[at(lbl, "<lbl>") + 5] += 1;
    expect(errorOf(() => readDta(lbl)).code).toBe("CORRUPT_FILE");
  });

  it("random single-byte damage never escapes as anything but a DidwasmError (seeded)", () => {
    const g = new Xoshiro128(20240607);
    const small = bytesOf("types-118-lsf.dta");
    let errors = 0;
    for (let k = 0; k < 400; k++) {
      const b = small.slice();
      const p = Math.floor(g.uniform() * b.length);
      b[p] = Math.floor(g.uniform() * 256);
      try {
        readDta(b);
      } catch (e) {
        if (!(e instanceof Error) || e.name !== "DidwasmError") throw new Error(`byte ${p} = ${b[p]}: ${(e as Error).stack}`);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(0);
  });
});

describe("value-labelled columns as numbers", () => {
  it("a labelled column reads as its labels, yet enters a regression with its stored numbers", () => {
    const f = readDta(readFileSync(join(FIXTURES, "panel-118.dta")));
    const col = f.column("grade");
    expect(col.kind).toBe("text");
    const numbers = f.numeric("grade");
    expect(new Set(Array.from(numbers).filter((v) => !Number.isNaN(v)))).toEqual(new Set([1, 2, 3, 4]));
    const fit = feols(f, "income ~ grade + x1 | unit + year", { vcov: "iid" });
    const codes = readDta(readFileSync(join(FIXTURES, "panel-118.dta")), { labels: "codes" });
    expect(fit.coef("grade")).toBe(feols(codes, "income ~ grade + x1 | unit + year", { vcov: "iid" }).coef("grade"));
  });
});
