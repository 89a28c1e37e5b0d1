// Data larger than one WebAssembly heap through the CLI: a fit streamed through the heap gives the in-heap
// numbers, and past the machine's memory an estimation stops before it starts with an error that says how
// much it needs. The heap is made small through DIDWASM_TEST_HEAP_BYTES (engine/staged/staged-backend.ts),
// the machine through DIDWASM_TEST_MEMORY_BYTES (engine/machine-memory.ts); the real limits are checked
// the same way.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { feols } from "../../bindings/estimators/feols.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { STACK_LINE, panelCsv } from "./fixtures.js";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "didwasm-memory-"));
  writeFileSync(join(dir, "panel.csv"), panelCsv({ units: 200, periods: 10, dropShare: 0.1 }));
  // balanced and stored unit by unit: demeaned and clustered without ids (estimators/absorb.ts, vcov/cluster.ts)
  writeFileSync(join(dir, "balanced.csv"), panelCsv({ units: 200, periods: 10 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (memory: string | null, heap: string | null = null, extra: string[] = [], file = "panel.csv") =>
  spawnSync(process.execPath, ["dist/cli/main.js", "fit", join(dir, file), "--formula", "y ~ x1 + x2 | unit + year", "--vcov", "cluster:unit", "--json", ...extra], {
    encoding: "utf8",
    env: { ...process.env, DIDWASM_TEST_MEMORY_BYTES: memory ?? "", DIDWASM_TEST_HEAP_BYTES: heap ?? "" },
  });

describe("a fit larger than the WebAssembly heap", () => {
  it.each([
    ["one thread", "1", "panel.csv"],
    ["two threads (blocks of columns split over kernel threads)", "2", "panel.csv"],
    ["a balanced panel stored unit by unit, one thread", "1", "balanced.csv"],
    ["a balanced panel stored unit by unit, two threads", "2", "balanced.csv"],
  ])("is streamed through it in blocks, with the in-heap estimates and clustered standard errors, and says so: %s", (_, threads, file) => {
    const inHeap = cli(null, null, [], file);
    const staged = cli(null, "200000", ["--threads", threads], file);
    expect(inHeap.status, inHeap.stderr).toBe(0);
    expect(staged.status, staged.stderr).toBe(0);
    const a = JSON.parse(inHeap.stdout);
    const b = JSON.parse(staged.stdout);
    expect(b.nobs).toBe(a.nobs);
    for (const [k, c] of (a.coefficients as Array<{ estimate: number; std_error: number }>).entries()) {
      expect(Math.abs(b.coefficients[k].estimate - c.estimate)).toBeLessThanOrEqual(1e-10 * Math.abs(c.estimate));
      expect(Math.abs(b.coefficients[k].std_error - c.std_error)).toBeLessThanOrEqual(1e-10 * c.std_error);
    }
    const said = (j: { notes: Array<{ message: string }> }) => j.notes.some((n) => /streamed through the heap/.test(n.message));
    expect(said(b)).toBe(true);
    expect(said(a)).toBe(false);
  });
});

describe("an estimation past the machine's memory", () => {
  it("the CLI exits 2 with the memory needed, no stack trace", () => {
    const r = cli("100000");
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^didwasm: error: the estimation needs about [\d.]+ (KiB|MiB) of memory for its 1,8\d\d rows.*this machine has 98 KiB available/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("a file that cannot fit once read is refused before reading, with its estimated rows and the memory needed", () => {
    const r = cli("20000");
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^didwasm: error: reading \S+panel\.csv \([\d.]+ KiB, about 1,[78]\d\d rows x 8 columns\) needs at least [\d.]+ KiB of memory.*this machine has 20 KiB available/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("with the memory it needs, the same command fits", () => {
    const r = cli("1000000000");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).coefficients).toBeDefined();
  });
});

describe("the library's check", () => {
  afterEach(() => {
    delete process.env.DIDWASM_TEST_MEMORY_BYTES;
  });
  it("throws TOO_LARGE with the bytes needed and available", () => {
    const frame = fromColumns(generateSyntheticPanel({ units: 100, periods: 5, regressors: 2, seed: 3 }));
    process.env.DIDWASM_TEST_MEMORY_BYTES = "50000";
    let err: unknown = null;
    try {
      feols(frame, "y ~ x1 + x2 | unit + year", { vcov: "cluster:unit" });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "TOO_LARGE", details: { availableBytes: 50000 } });
    const needed = (err as { details: { neededBytes: number } }).details.neededBytes;
    // [y X] alone is 500 rows x 3 columns of 8 bytes.
    expect(needed).toBeGreaterThan(8 * 500 * 3);
    expect(needed).toBeGreaterThan(50000);
  });
});
