// Stata .dta files streamed from disk in blocks (dta-file.ts) give exactly what reading the whole file
// gives (dta.ts), for every format, byte order and column type of the R-made fixtures (make-dta.R), with
// blocks so small that they cut the data every observation or two; damaged files give the same errors.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDtaWithInfo } from "../../bindings/data/dta.js";
import { readDtaFileWithInfo, readDtaStreamed } from "../../bindings/data/dta-file.js";
import { readDataFile } from "../../bindings/data/read-data-file.js";
import type { Frame } from "../../bindings/data/frame.js";

const FIXTURES = join(__dirname, "fixtures");
const FILES = ["panel-117.dta", "panel-118.dta", "panel-119.dta", "types-117-lsf.dta", "types-117-msf.dta", "types-118-lsf.dta", "types-118-msf.dta", "types-119-lsf.dta", "types-119-msf.dta"];
const DIR = join(__dirname, "..", "..", "test-output", `dta-file-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const cellsOf = (f: Frame) =>
  f.columns.map((c) => (c.kind === "numeric" ? { n: c.name, v: Array.from(c.values, String) } : { n: c.name, l: c.levels, c: Array.from(c.codes), f: c.firstText, x: c.numbers && Array.from(c.numbers, String) }));

describe("streamed .dta files", () => {
  for (const file of FILES) {
    it(`${file}: the same frame and metadata in blocks of any size`, () => {
      const path = join(FIXTURES, file);
      const whole = readDtaWithInfo(readFileSync(path), { name: path });
      for (const blockBytes of [1, 97, 4096]) {
        for (const labels of ["text", "codes"] as const) {
          const ref = labels === "text" ? whole : readDtaWithInfo(readFileSync(path), { name: path, labels });
          const got = readDtaStreamed(path, { blockBytes, labels });
          expect(got.frame.nrow).toBe(ref.frame.nrow);
          expect(cellsOf(got.frame)).toEqual(cellsOf(ref.frame));
          expect(got.info).toEqual(ref.info);
        }
      }
    });
  }

  it("reports a truncated or damaged file as the whole-file reader does", () => {
    const bytes = readFileSync(join(FIXTURES, "panel-118.dta"));
    const cut = join(DIR, "cut.dta");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const wholeError = (() => {
      try {
        readDtaWithInfo(readFileSync(cut), { name: cut });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(wholeError).toMatch(/truncated|damaged/);
    expect(() => readDtaStreamed(cut, { blockBytes: 64 })).toThrow();
    expect(() => readDtaFileWithInfo(cut, { blockBytes: 64 })).toThrow(wholeError!);
  });

  it("is what readDataFile uses for .dta files", async () => {
    const path = join(FIXTURES, "panel-119.dta");
    const f = await readDataFile(path);
    expect(cellsOf(f)).toEqual(cellsOf(readDtaWithInfo(readFileSync(path), { name: path }).frame));
  });
});
