// Where the parallel CSV reader cuts a file (csv-split.ts): equal ranges with the last ones cut finer, each
// cut just after a line feed.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cutAtLines, cutOffsets } from "../../dist/bindings/data/csv-split.js";

const DIR = join(__dirname, "..", "..", "test-output", `csv-split-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe("cutting a CSV file into ranges", () => {
  it("offsets: equal parts, the last ones split finer", () => {
    expect(cutOffsets(0, 100, 4)).toEqual([25, 50, 75]);
    expect(cutOffsets(0, 100, 4, 2, 4)).toEqual([25, 50, 56, 62, 68, 75, 81, 87, 93]);
    expect(cutOffsets(10, 110, 2, 2, 2)).toEqual([35, 60, 85]);
  });

  it("cuts just after line feeds, in increasing order, with each range's bytes per line", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `${i},${"x".repeat(i % 17)}\n`).join("");
    const path = join(DIR, "lines.csv");
    writeFileSync(path, "h\n" + lines);
    const size = 2 + lines.length;
    const { bounds, bytesPerLine } = cutAtLines(path, 2, size, cutOffsets(2, size, 6, 2, 4));
    expect(bounds[0]).toBe(2);
    expect(bounds.at(-1)).toBe(size);
    expect(bounds.length).toBe(6 + 2 * 3 + 1);
    const text = "h\n" + lines;
    for (const b of bounds.slice(1, -1)) expect(text[b - 1]).toBe("\n");
    for (let k = 1; k < bounds.length; k++) expect(bounds[k]).toBeGreaterThan(bounds[k - 1]);
    expect(bytesPerLine.length).toBe(bounds.length - 1);
    for (const b of bytesPerLine) expect(b).toBeGreaterThan(2);
  });
});
