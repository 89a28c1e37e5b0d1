// Bad input to boot: a typed DidwasmError with a clear message from the API, and exit status 2 with that
// message (no stack trace) from the built CLI. Needs `npm run build` (dist/cli/main.js).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromColumns, type ColumnData } from "../../bindings/data/columns.js";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { DidwasmError, type ErrorCode } from "../../bindings/errors.js";
import { boot, type BootOptions } from "../../bindings/resampling/boot.js";

const CLI = resolve(__dirname, "../../dist/cli/main.js");
const cols: ColumnData = { ...generateSyntheticPanel({ units: 40, periods: 5, regressors: 2, unitsPerState: 4, seed: 3 }), one: new Array(200).fill(1) };
const frame = fromColumns(cols);
const BASE: BootOptions = { formula: "y ~ x1 + x2 | unit + year", coef: "x1", cluster: "state", reps: 99, seed: 1 };

function apiError(o: Partial<BootOptions>): DidwasmError {
  try {
    boot(frame, { ...BASE, ...o });
  } catch (e) {
    if (e instanceof DidwasmError) return e;
    throw e;
  }
  throw new Error("expected a DidwasmError, got a result");
}

describe("boot refuses bad input with a clear message (API)", () => {
  const cases: Array<[string, Partial<BootOptions>, ErrorCode, RegExp]> = [
    ["reps < 1", { reps: 0 }, "BAD_OPTION", /reps must be a positive whole number, got 0/],
    ["reps not whole", { reps: 9.5 }, "BAD_OPTION", /reps must be a positive whole number/],
    ["reps absurdly large", { reps: 1_000_001 }, "BAD_OPTION", /more than 1,000,000 replicates/],
    ["unknown coefficient", { coef: "x3" }, "UNKNOWN_COEFFICIENT", /"x3" is not a coefficient of the model.*coefficients: x1, x2/],
    ["a typo in the coefficient", { coef: "X1" }, "UNKNOWN_COEFFICIENT", /did you mean "x1"/],
    ["fewer than 2 clusters", { cluster: "one" }, "TOO_FEW_CLUSTERS", /"one" has 1 cluster.*at least 2/],
    ["no cluster variable for the wild bootstrap", { cluster: null }, "BAD_OPTION", /needs a cluster variable/],
    ["no cluster variable for the pairs bootstrap", { cluster: null, method: "pairs" }, "BAD_OPTION", /needs a cluster variable/],
    ["unknown cluster column", { cluster: "county" }, "UNKNOWN_COLUMN", /county/],
    ["multiway clusters", { cluster: "state+year" }, "BAD_OPTION", /one variable/],
    ["unknown weights", { weightType: "gauss" as never }, "BAD_OPTION", /weights must be one of rademacher, webb, mammen, normal/],
    ["enumeration with Webb weights", { enumerate: true, weightType: "webb" }, "BAD_OPTION", /Rademacher sign vectors/],
    ["alpha outside (0, 1)", { alpha: 1.5 }, "BAD_OPTION", /alpha must be between 0 and 1/],
    ["non-finite null", { null: NaN }, "BAD_OPTION", /null value must be a finite number/],
    ["bad seed", { seed: -1 }, "BAD_OPTION", /seed must be an integer/],
    ["bad method", { method: "jackknife" as never }, "BAD_OPTION", /method must be one of wild, pairs, ri/],
    ["ri of a constructed regressor", { method: "ri", formula: "y ~ x1:x2 + x2 | unit", coef: "x1:x2" }, "BAD_OPTION", /constructed regressor/],
  ];
  for (const [label, o, code, message] of cases) {
    it(label, () => {
      const e = apiError(o);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    });
  }

  it("enumeration with too many clusters", () => {
    const big = fromColumns(generateSyntheticPanel({ units: 60, periods: 3, regressors: 1, unitsPerState: 2, seed: 1 })); // 30 states
    expect(() => boot(big, { formula: "y ~ x1", coef: "x1", cluster: "state", enumerate: true, seed: 1 })).toThrow(/available up to 19 clusters/);
  });
});

describe("boot on the command line", () => {
  let dir = "";
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, DIDWASM_DEBUG: "" } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const args = (...extra: string[]) => ["boot", join(dir, "panel.csv"), "--formula", "y ~ x1 + x2 | unit + year", "--coef", "x1", "--cluster", "state", ...extra];

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    dir = mkdtempSync(join(tmpdir(), "didwasm-boot-"));
    writeFileSync(join(dir, "panel.csv"), toCsv(cols));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["--reps 0", ["--reps", "0", "--seed", "1"], /--reps must be a whole number at least 1 and at most 1,000,000, got "0"/],
    ["--reps 2000000", ["--reps", "2000000", "--seed", "1"], /--reps must be a whole number at least 1 and at most 1,000,000, got "2000000"/],
    ["--coef missing from the model", ["--coef", "x9", "--seed", "1"], /"x9" is not a coefficient of the model/],
    ["one cluster", ["--cluster", "one", "--seed", "1"], /at least 2 are needed/],
    ["--weights unknown", ["--weights", "gauss", "--seed", "1"], /--weights must be one of rademacher, webb, mammen, normal/],
    ["--impose-null maybe", ["--impose-null", "maybe", "--seed", "1"], /--impose-null must be true or false, got "maybe"/],
    // An empty seed is not "no seed" (which would draw and print one): it is refused.
    ["--seed empty", ["--seed", ""], /--seed must be a whole number, got ""/],
    ["--seed beyond 32 bits", ["--seed", "4294967296"], /--seed must be a whole number at least 0 and at most 4,294,967,295/],
  ])("%s: exit 2 with a clear message", (_, extra, message) => {
    const r = cli(args(...extra));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });

  it("--json prints the result with the issue's keys and the timing; without --seed the seed is printed", () => {
    const r = cli(args("--reps", "199", "--weights", "webb", "--impose-null", "false", "--json"));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no --seed given; using --seed \d+/);
    const j = JSON.parse(r.stdout);
    for (const k of ["t_obs", "reps", "p_value", "p_equal_tailed", "conf_low", "conf_high", "method", "weights", "impose_null", "seed", "coefficient", "estimate"]) {
      expect(j).toHaveProperty(k);
    }
    expect(j.weights).toBe("webb");
    expect(j.impose_null).toBe(false);
    expect(j.reps).toBe(199);
    expect(j.timing_ms).toHaveProperty("run");
  });

  it("the text summary, the same numbers as the API", () => {
    const r = cli(args("--seed", "5", "--reps", "299", "--null", "0.3"));
    expect(r.status).toBe(0);
    const api = boot(frame, { ...BASE, seed: 5, reps: 299, null: 0.3 });
    expect(r.stdout).toMatch(/Wild cluster bootstrap \(restricted, WCR; rademacher weights\)/);
    expect(r.stdout).toContain(`p-value: ${api.pValue.toFixed(4)}`);
    expect(r.stdout).toMatch(/95\.0% confidence interval \(by test inversion\)/);
  });
});
