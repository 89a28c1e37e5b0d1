// End to end: the built CLI reads CSV, Stata .dta (117, 118, 119) and Parquet, and the same command gives
// the same --json on each (timings aside). Needs `npm run build` (dist/cli/main.js).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = resolve(__dirname, "../../dist/cli/main.js");
const FIXTURES = resolve(__dirname, "../data/fixtures");
let dir = "";

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, DIDWASM_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]): Record<string, unknown> {
  const r = cli([...args, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const { timing_ms: _timing, ...rest } = JSON.parse(r.stdout);
  return rest;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), "didwasm-formats-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILES = ["panel-117.dta", "panel-118.dta", "panel-119.dta", "panel.parquet", "panel-gzip.parquet"];

describe("didwasm reads CSV, .dta and Parquet alike", () => {
  it.each(FILES)("fit %s --json equals fit panel.csv --json", (file) => {
    const args = ["--formula", "income ~ treat + x1 + x2 | unit + year", "--vcov", "cluster:state"];
    expect(json(["fit", join(FIXTURES, file), ...args])).toEqual(json(["fit", join(FIXTURES, "panel.csv"), ...args]));
  });

  it("bacon on a .dta equals bacon on the CSV", () => {
    const args = ["--y", "income", "--unit", "unit", "--time", "year", "--treat", "treat"];
    expect(json(["bacon", join(FIXTURES, "panel-118.dta"), ...args])).toEqual(json(["bacon", join(FIXTURES, "panel.csv"), ...args]));
  });

  it("old, truncated and misnamed files exit 2 with a message", () => {
    const old = cli(["fit", join(FIXTURES, "old-113.dta"), "--formula", "yy ~ id"]);
    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(/^didwasm: error: .*old-113\.dta: this is a Stata \.dta file in the old format 113 \(Stata 8 or 9\)/);
    const cut = join(dir, "cut.dta");
    writeFileSync(cut, readFileSync(join(FIXTURES, "panel-118.dta")).subarray(0, 5000));
    const truncated = cli(["fit", cut, "--formula", "income ~ x1"]);
    expect(truncated.status).toBe(2);
    expect(truncated.stderr).toContain("cut.dta: the file is truncated or damaged");
    const fake = join(dir, "fake.parquet");
    writeFileSync(fake, "a,b\n1,2\n");
    const misnamed = cli(["fit", fake, "--formula", "a ~ b"]);
    expect(misnamed.status).toBe(2);
    expect(misnamed.stderr).toContain("fake.parquet: not a Parquet file");
    expect(truncated.stderr + old.stderr + misnamed.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
