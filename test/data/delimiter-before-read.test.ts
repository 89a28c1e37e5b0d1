// A delimiter given with a Stata or Parquet file is refused before the file is read whole: refusing it
// only after loading a large file into memory would waste the read. readWholeFile is replaced by a spy
// (in this file only) to see whether readDataFile called it.
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { readDataFile } from "../../bindings/data/read-data-file.js";
import { errorOfAsync } from "../helpers/frames.js";

const wholeReads = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../bindings/data/read-file.js", async (original) => {
  const actual = await original<typeof import("../../bindings/data/read-file.js")>();
  return {
    ...actual,
    readWholeFile: (path: string) => {
      wholeReads.count++;
      return actual.readWholeFile(path);
    },
  };
});

const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);

describe("readDataFile with a delimiter and a non-CSV file", () => {
  it.each([
    ["panel-118.dta", "a Stata .dta"],
    ["panel.parquet", "a Parquet"],
  ])("%s is refused without reading it whole", async (name, kind) => {
    wholeReads.count = 0;
    const e = await errorOfAsync(() => readDataFile(fixture(name), { delimiter: ";" }));
    expect(e.message).toBe(`--delimiter applies to CSV files; ${fixture(name)} is ${kind} file`);
    expect(wholeReads.count).toBe(0);
  });

  it("the spy sees the whole-file read when there is no delimiter", async () => {
    wholeReads.count = 0;
    expect((await readDataFile(fixture("panel-118.dta"))).nrow).toBe(180);
    expect(wholeReads.count).toBe(1);
  });
});
