// Which columns the first records of a CSV file hold as text (csv-sample.ts): the parallel reader gives
// those columns' codes shared storage before reading. A guess, so it must never throw.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { textColumnsAtStart } from "../../dist/bindings/data/csv-sample.js";

const DIR = join(__dirname, "..", "..", "test-output", `csv-sample-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function guess(content: string, delimiter?: string): boolean[] {
  const path = join(DIR, "sample.csv");
  writeFileSync(path, content);
  const header = content.indexOf("\n") + 1;
  const names = content.slice(0, header - 1).split(delimiter === "\t" ? "\t" : ",");
  return textColumnsAtStart(path, header, content.length, { names, hint: "" }, delimiter);
}

describe("text columns guessed from a CSV file's first records", () => {
  it("finds the columns that hold text among numbers and missing cells", () => {
    expect(guess("a,b,c,d\n1,x,NA,2.5\n2,y,,3\n")).toEqual([false, true, false, false]);
    expect(guess("a\tb\n1\tNA\n2\tq r\n", "\t")).toEqual([false, true]);
  });

  it("reads only whole lines, and says none when the lines cannot be read", () => {
    expect(guess("a,b\n1,2\n3,x")).toEqual([false, false]); // the last line has no line end: not read
    expect(guess('a,b\n1,"open\n2,x\n')).toEqual([false, false]); // a quote never closed within the sample
    expect(guess("a,b\n1,2,3\n")).toEqual([false, false]); // too many fields
    expect(guess("a,b\n")).toEqual([false, false]); // no records
  });
});
