// The file sources the CSV reader streams from (read-file.ts): whole files and byte ranges, read a buffer at
// a time and cut after the last line feed of each read, give exactly the file's bytes, in chunks that end
// at a line end unless a line is longer than the buffer.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileRangeSource, fileSource } from "../../dist/bindings/data/read-file.js";

const DIR = join(__dirname, "..", "..", "test-output", `file-range-source-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const LF = 10;
const MB = 1 << 20;

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The chunks copied out (each source reuses its buffer), checked against the bytes they should give. */
function chunksOf(source: { chunks(): Iterable<Uint8Array> }, expected: Uint8Array): Uint8Array[] {
  const chunks = Array.from(source.chunks(), (c) => c.slice());
  expect(Buffer.from(concat(chunks)).equals(Buffer.from(expected))).toBe(true);
  return chunks;
}

describe("file sources read in line-cut chunks", () => {
  // Short lines, then one line of 2.5 MB (longer than a read), then short lines without a final line end.
  const short = (n: number, from: number) => Array.from({ length: n }, (_, i) => `${from + i},${"v".repeat((i * 37) % 90)}\n`).join("");
  const bytes = new TextEncoder().encode(short(20_000, 0) + "long," + "w".repeat(2.5 * MB) + "\n" + short(30_000, 20_000) + "1,2");
  const path = join(DIR, "lines.csv");
  writeFileSync(path, bytes);

  it("gives a whole file's bytes, every chunk but those of a too-long line ending at a line end", () => {
    const chunks = chunksOf(fileSource(path), readFileSync(path));
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks.slice(0, -1)) expect(c[c.length - 1] === LF || c.length === MB).toBe(true);
    expect(chunks.filter((c) => c[c.length - 1] !== LF).length).toBeGreaterThan(1); // the long line's parts and the end
  });

  it("gives a byte range's bytes, with one buffer kept across ranges, as often as it is read", () => {
    const scratch = { bytes: new Uint8Array(0) };
    const cuts = [0, 7, 900_000, 1_000_001, 3 * MB, 3 * MB + 5, bytes.length - 2, bytes.length];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const source = fileRangeSource(path, cuts[k], cuts[k + 1], scratch);
      expect(source.size).toBe(cuts[k + 1] - cuts[k]);
      for (let pass = 0; pass < 2; pass++) chunksOf(source, bytes.subarray(cuts[k], cuts[k + 1]));
    }
    expect(scratch.bytes.length).toBe(MB);
  });
});
