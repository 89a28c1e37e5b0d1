// A Groups' ids may be read through a getter (model/groups.ts: a whole column's encoding is written where
// it is needed and kept in memory only once read), so a loop that reads `g.ids[i]` makes a getter call per
// row: measured at twice renumber's own time on a million rows. Loops read the ids into a local first.
// This lists every per-element read of `.ids[` in the library; the allowed ones are objects of other types.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const BINDINGS = join(import.meta.dirname, "../../bindings");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Files whose `.ids[` reads are of plain arrays, not of Groups: a text dictionary's own ids, and stacked
 *  DID's block groups (plain { ids, first, G } objects). */
const OTHER_TYPES = ["data/text-dictionary.ts", "estimators/did/stacked-demean.ts", "estimators/did/stacked-sample.ts"];

describe("group ids", () => {
  it("are read into a local before a loop, never element by element through the Groups", () => {
    const files = tsFiles(BINDINGS);
    expect(files.length).toBeGreaterThan(100);
    const readers = files
      .filter((f) => /\.ids\[/.test(readFileSync(f, "utf8").replace(/\/\/.*$/gm, "")))
      .map((f) => relative(BINDINGS, f).split("\\").join("/"))
      .sort();
    expect(readers).toEqual([...OTHER_TYPES].sort());
  });
});
