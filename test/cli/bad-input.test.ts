// End to end: every bad input gets a clear message and exit status 2 from the built CLI (never a stack
// trace, never a silently wrong number), and a typed DidwasmError with a code from the API. BOM, CRLF and
// quoted commas must succeed with the same numbers as a clean file; non-convergence is reported in the
// result and on stderr. Needs `npm run build` (dist/cli/main.js).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { DidwasmError, type ErrorCode } from "../../bindings/errors.js";
import { feolsMulti, type FeolsOptions } from "../../bindings/estimators/feols.js";
import { errorOf } from "../helpers/frames.js";
import { STACK_LINE, panelCsv } from "./fixtures.js";

const CLI = resolve(__dirname, "../../dist/cli/main.js");
let dir = "";
const file = (name: string) => join(dir, name);

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, DIDWASM_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const apiError = errorOf;

const CLEAN = panelCsv();
const FORMULA = "y ~ x1 + x2 | unit + year";

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), "didwasm-bad-input-"));
  const lines = CLEAN.trimEnd().split("\n");
  const write = (name: string, text: string | Uint8Array) => writeFileSync(file(name), text);
  write("clean.csv", CLEAN);
  write("empty.csv", "");
  write("header-only.csv", lines[0] + "\n");
  // Line 5 of the file (data row 4): x2 holds text.
  write("non-numeric.csv", lines.map((l, i) => (i === 4 ? l.replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, "$1abc") : l)).join("\n") + "\n");
  // Every row of fe_na / cl_na is missing.
  write("all-missing.csv", lines.map((l, i) => l + (i === 0 ? ",fe_na,cl_na" : ",NA,")).join("\n") + "\n");
  // const0 has no variation; x1_twice = 2 * x1; unit_copy repeats the unit fixed effect.
  write(
    "collinear.csv",
    lines
      .map((l, i) => {
        if (i === 0) return l + ",const0,x1_twice,unit_copy";
        const c = l.split(",");
        return `${l},3,${Number(c[2]) * 2},${c[0]}`;
      })
      .join("\n") + "\n",
  );
  write("few-rows.csv", lines.slice(0, 4).join("\n") + "\n");
  write("duplicate.csv", lines.map((l, i) => (i === 0 ? l.replace("x2", "x1") : l)).join("\n") + "\n");
  write("bom.csv", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CLEAN)]));
  write("crlf.csv", CLEAN.replace(/\n/g, "\r\n"));
  write("quoted-comma.csv", panelCsv({ label: "comma" }));
  write("all-three.csv", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(panelCsv({ label: "comma" }).replace(/\n/g, "\r\n"))]));
  write("unbalanced.csv", panelCsv({ units: 40, periods: 10, dropShare: 0.35, seed: 11 }));
  // x1 on line 3 holds a finite value whose product with x2 overflows.
  write("huge-x.csv", lines.map((l, i) => (i === 2 ? l.replace(/^([^,]*,[^,]*,)[^,]*/, "$11e308") : l)).join("\n") + "\n");
  // Latin-1 labels (not valid UTF-8): "Z\xfcrich" and "Z\xf6rich" must stay two different places.
  const latin1 = [lines[0], ...lines.slice(1).map((l, i) => l.replace(/"city [^"]*"$/, i % 2 ? "Z\xf6rich" : "Z\xfcrich"))].join("\n") + "\n";
  write("latin1.csv", Uint8Array.from(latin1, (ch) => ch.charCodeAt(0)));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface BadCase {
  name: string;
  /** CLI arguments after "fit"; "@" + name means a file in the temp dir. */
  args: string[];
  /** Fragments stderr must contain. */
  stderr: Array<string | RegExp>;
  /** Error code from the API, when the case is reachable through readCsvFile + feolsMulti. */
  code?: ErrorCode;
  /** Options for the API call (file, formula and options mirror args). */
  api?: { data: string; formula: string; options?: FeolsOptions };
}

const BAD: BadCase[] = [
  {
    name: "missing file",
    args: ["@no-such-file.csv", "--formula", FORMULA],
    stderr: ["file not found", "no-such-file.csv"],
    code: "FILE_NOT_FOUND",
    api: { data: "no-such-file.csv", formula: FORMULA },
  },
  {
    name: "a directory instead of a file",
    args: ["@", "--formula", FORMULA],
    stderr: ["is a directory"],
    code: "FILE_UNREADABLE",
    api: { data: "", formula: FORMULA },
  },
  {
    name: "empty file",
    args: ["@empty.csv", "--formula", FORMULA],
    stderr: ["empty.csv", "the file is empty"],
    code: "EMPTY_FILE",
    api: { data: "empty.csv", formula: FORMULA },
  },
  {
    name: "header only",
    args: ["@header-only.csv", "--formula", FORMULA],
    stderr: ["header-only.csv", "no data rows"],
    code: "NO_DATA_ROWS",
    api: { data: "header-only.csv", formula: FORMULA },
  },
  {
    name: "unknown regressor, with a suggestion",
    args: ["@clean.csv", "--formula", "y ~ x11 + x2 | unit + year"],
    stderr: ['unknown regressor "x11"', 'did you mean "x1"?'],
    code: "UNKNOWN_COLUMN",
    api: { data: "clean.csv", formula: "y ~ x11 + x2 | unit + year" },
  },
  {
    name: "unknown fixed effect, with a suggestion",
    args: ["@clean.csv", "--formula", "y ~ x1 | unti + year"],
    stderr: ['unknown fixed effect "unti"', 'did you mean "unit"?'],
    code: "UNKNOWN_COLUMN",
    api: { data: "clean.csv", formula: "y ~ x1 | unti + year" },
  },
  {
    name: "unknown outcome, with a suggestion",
    args: ["@clean.csv", "--formula", "Y ~ x1 | unit"],
    stderr: ['unknown outcome "Y"', 'did you mean "y"?'],
    code: "UNKNOWN_COLUMN",
    api: { data: "clean.csv", formula: "Y ~ x1 | unit" },
  },
  {
    name: "unknown cluster variable, with a suggestion",
    args: ["@clean.csv", "--formula", FORMULA, "--vcov", "cluster:gpr"],
    stderr: ['unknown cluster variable "gpr"', 'did you mean "grp"?'],
    code: "UNKNOWN_COLUMN",
    api: { data: "clean.csv", formula: FORMULA, options: { vcov: "cluster:gpr" } },
  },
  {
    name: "unknown column in the subset",
    args: ["@clean.csv", "--formula", FORMULA, "--subset", "yaer > 2001"],
    stderr: ['"yaer"', 'did you mean "year"?'],
    code: "UNKNOWN_COLUMN",
    api: { data: "clean.csv", formula: FORMULA, options: { subset: "yaer > 2001" } },
  },
  {
    name: "a non-numeric cell in a numeric column",
    args: ["@non-numeric.csv", "--formula", FORMULA],
    stderr: ['"x2"', "line 5", '"abc"'],
    code: "NOT_NUMERIC",
    api: { data: "non-numeric.csv", formula: FORMULA },
  },
  {
    name: "a text column used as weights",
    args: ["@clean.csv", "--formula", FORMULA, "--weights", "name"],
    stderr: ['weights "name" must be numeric', "line 2", "city 1"],
    code: "NOT_NUMERIC",
    api: { data: "clean.csv", formula: FORMULA, options: { weights: "name" } },
  },
  {
    name: "formula syntax error: doubled operator",
    args: ["@clean.csv", "--formula", "y ~ x1 + + x2"],
    stderr: ["formula", "position 10", "y ~ x1 + + x2\n", /\n {11}\^/],
    code: "FORMULA_SYNTAX",
    api: { data: "clean.csv", formula: "y ~ x1 + + x2" },
  },
  {
    name: "formula syntax error: missing ~",
    args: ["@clean.csv", "--formula", "y x1"],
    stderr: ['expected "~"', "position 3"],
    code: "FORMULA_SYNTAX",
    api: { data: "clean.csv", formula: "y x1" },
  },
  {
    name: "formula syntax error: unclosed i(",
    args: ["@clean.csv", "--formula", "y ~ i(year, ref = 2000"],
    stderr: ['expected ")"', "position 23"],
    code: "FORMULA_SYNTAX",
    api: { data: "clean.csv", formula: "y ~ i(year, ref = 2000" },
  },
  {
    name: "formula syntax error: bad character",
    args: ["@clean.csv", "--formula", "y ~ x1 $ x2"],
    stderr: ['unexpected character "$"', "position 8"],
    code: "FORMULA_SYNTAX",
    api: { data: "clean.csv", formula: "y ~ x1 $ x2" },
  },
  {
    name: "formula: two i() in one crossed term",
    args: ["@clean.csv", "--formula", "y ~ i(grp)*i(year) | unit"],
    stderr: ["at most one i()", "position"],
    code: "FORMULA_SYNTAX",
    api: { data: "clean.csv", formula: "y ~ i(grp)*i(year) | unit" },
  },
  {
    name: "formula: a crossing too large to expand",
    args: ["@clean.csv", "--formula", "y ~ " + Array.from({ length: 11 }, (_, k) => `a${k}`).join("*")],
    stderr: ["expands to more than 1023 terms", "position 34"],
    code: "FORMULA_SYNTAX",
    api: { data: "clean.csv", formula: "y ~ " + Array.from({ length: 11 }, (_, k) => `a${k}`).join("*") },
  },
  {
    name: "formula: an outcome repeated in c()",
    args: ["@clean.csv", "--formula", "c(y, x2, y) ~ x1"],
    stderr: ["outcome `y` appears twice", "position 10"],
    code: "FORMULA_SYNTAX",
    api: { data: "clean.csv", formula: "c(y, x2, y) ~ x1" },
  },
  // Values whose squares overflow are fitted in rescaled units, with a precision note where f64 cannot
  // hold a result (test/numerics/precision-notes.test.ts); values that themselves overflow are refused.
  {
    name: "a product of regressors that overflows",
    args: ["@huge-x.csv", "--formula", "y ~ x1:x2"],
    stderr: ['regressor "x1:x2" is too large'],
    code: "NOT_FINITE",
    api: { data: "huge-x.csv", formula: "y ~ x1:x2" },
  },
  {
    name: "a subset nested too deeply",
    args: ["@clean.csv", "--formula", FORMULA, "--subset", "(".repeat(5000) + "x1 > 0" + ")".repeat(5000)],
    stderr: ["nested more than 200 levels deep", "position 201"],
    code: "SUBSET_SYNTAX",
    api: { data: "clean.csv", formula: FORMULA, options: { subset: "(".repeat(5000) + "x1 > 0" + ")".repeat(5000) } },
  },
  {
    name: "a subset of many negations",
    args: ["@clean.csv", "--formula", FORMULA, "--subset", "!".repeat(20000) + "x1 > 0"],
    stderr: ["nested more than 200 levels deep"],
    code: "SUBSET_SYNTAX",
    api: { data: "clean.csv", formula: FORMULA, options: { subset: "!".repeat(20000) + "x1 > 0" } },
  },
  {
    name: "a subset chain too long to evaluate",
    args: ["@clean.csv", "--formula", FORMULA, "--subset", "x1 > 0" + " + 1".repeat(20000)],
    stderr: ["more than 1000 operations in a chain"],
    code: "SUBSET_SYNTAX",
    api: { data: "clean.csv", formula: FORMULA, options: { subset: "x1 > 0" + " + 1".repeat(20000) } },
  },
  {
    name: "subset syntax error",
    args: ["@clean.csv", "--formula", FORMULA, "--subset", "year >> 2001"],
    stderr: ["subset", "position 7"],
    code: "SUBSET_SYNTAX",
    api: { data: "clean.csv", formula: FORMULA, options: { subset: "year >> 2001" } },
  },
  {
    name: "a subset that keeps no rows",
    args: ["@clean.csv", "--formula", FORMULA, "--subset", "year > 3000"],
    stderr: ['subset "year > 3000" keeps no rows'],
    code: "EMPTY_SAMPLE",
    api: { data: "clean.csv", formula: FORMULA, options: { subset: "year > 3000" } },
  },
  {
    name: "a fixed effect that is all missing",
    args: ["@all-missing.csv", "--formula", "y ~ x1 + x2 | fe_na"],
    stderr: ['fixed effect "fe_na" is missing in every row'],
    code: "ALL_MISSING",
    api: { data: "all-missing.csv", formula: "y ~ x1 + x2 | fe_na" },
  },
  {
    name: "a cluster variable that is all missing",
    args: ["@all-missing.csv", "--formula", FORMULA, "--vcov", "cluster:cl_na"],
    stderr: ['cluster variable "cl_na" is missing in every row'],
    code: "ALL_MISSING",
    api: { data: "all-missing.csv", formula: FORMULA, options: { vcov: "cluster:cl_na" } },
  },
  {
    name: "a regressor with no variation, alone",
    args: ["@collinear.csv", "--formula", "y ~ const0 | unit"],
    stderr: ["every regressor is collinear", "const0"],
    code: "ALL_COLLINEAR",
    api: { data: "collinear.csv", formula: "y ~ const0 | unit" },
  },
  {
    name: "every regressor collinear with the fixed effects",
    args: ["@collinear.csv", "--formula", "y ~ unit_copy + const0 | unit"],
    stderr: ["every regressor is collinear with the fixed effects", "unit_copy", "const0"],
    code: "ALL_COLLINEAR",
    api: { data: "collinear.csv", formula: "y ~ unit_copy + const0 | unit" },
  },
  {
    name: "no regressor at all",
    args: ["@clean.csv", "--formula", "y ~ 0"],
    stderr: ["no regressor"],
    code: "NO_REGRESSORS",
    api: { data: "clean.csv", formula: "y ~ 0" },
  },
  {
    name: "fewer rows than parameters",
    args: ["@few-rows.csv", "--formula", "y ~ x1 + x2 + year"],
    stderr: ["3 observation(s) for 4 parameters"],
    code: "TOO_FEW_ROWS",
    api: { data: "few-rows.csv", formula: "y ~ x1 + x2 + year" },
  },
  {
    name: "fewer rows than parameters, counting fixed effects",
    args: ["@few-rows.csv", "--formula", "y ~ x1 | year"],
    stderr: ["3 observation(s) for 4 parameters", "fixed-effect levels"],
    code: "TOO_FEW_ROWS",
    api: { data: "few-rows.csv", formula: "y ~ x1 | year" },
  },
  {
    name: "duplicate column names",
    args: ["@duplicate.csv", "--formula", "y ~ x1"],
    stderr: ['duplicate column name "x1"', "duplicate.csv"],
    code: "DUPLICATE_COLUMN",
    api: { data: "duplicate.csv", formula: "y ~ x1" },
  },
  {
    name: "a single cluster",
    args: ["@clean.csv", "--formula", FORMULA, "--vcov", "cluster:grp", "--subset", "grp == 1"],
    stderr: ['cluster variable "grp" has 1 cluster'],
    code: "TOO_FEW_CLUSTERS",
    api: { data: "clean.csv", formula: FORMULA, options: { vcov: "cluster:grp", subset: "grp == 1" } },
  },
  {
    name: "an unknown vcov",
    args: ["@clean.csv", "--formula", FORMULA, "--vcov", "foo"],
    stderr: ['unknown vcov "foo"', "iid, hetero, cluster:VAR"],
    code: "BAD_OPTION",
    api: { data: "clean.csv", formula: FORMULA, options: { vcov: "foo" } },
  },
  {
    name: "an empty cluster name",
    args: ["@clean.csv", "--formula", FORMULA, "--vcov", "cluster:unit+"],
    stderr: ["cluster variable name is empty"],
    code: "BAD_OPTION",
    api: { data: "clean.csv", formula: FORMULA, options: { vcov: "cluster:unit+" } },
  },
  {
    name: "a tolerance of 1 or more",
    args: ["@clean.csv", "--formula", FORMULA, "--tol", "2"],
    stderr: ["tol must be a number greater than 0 and less than 1", "2"],
    code: "BAD_OPTION",
    api: { data: "clean.csv", formula: FORMULA, options: { tol: 2 } },
  },
  {
    name: "a delimiter of several characters",
    args: ["@clean.csv", "--formula", FORMULA, "--delimiter", ";;"],
    stderr: ["delimiter must be one ASCII character", ";;"],
  },
  // Option values rejected by the option schema before the data is read.
  { name: "--fixef-rm x", args: ["@clean.csv", "--formula", FORMULA, "--fixef-rm", "x"], stderr: ["--fixef-rm must be one of none, singleton", '"x"'] },
  { name: "--tol -1", args: ["@clean.csv", "--formula", FORMULA, "--tol", "-1"], stderr: ["--tol must be a number greater than 0 and less than 1", '"-1"'] },
  { name: "--tol abc", args: ["@clean.csv", "--formula", FORMULA, "--tol", "abc"], stderr: ["--tol must be a number", '"abc"'] },
  { name: "--max-iter 0", args: ["@clean.csv", "--formula", FORMULA, "--max-iter", "0"], stderr: ["--max-iter must be a whole number at least 1 and at most 1,000,000", '"0"'] },
  { name: "--max-iter 2.5", args: ["@clean.csv", "--formula", FORMULA, "--max-iter", "2.5"], stderr: ["--max-iter must be a whole number"] },
  { name: "--max-iter 2147483648 (would wrap in a 32-bit kernel)", args: ["@clean.csv", "--formula", FORMULA, "--max-iter", "2147483648"], stderr: ["--max-iter must be a whole number at least 1 and at most 1,000,000", '"2147483648"'] },
  { name: "--vcvo (a typo)", args: ["@clean.csv", "--formula", FORMULA, "--vcvo", "hetero"], stderr: ["unknown option '--vcvo'", "--vcov"] },
  { name: "a formula given as a second argument", args: ["@clean.csv", FORMULA], stderr: ["the formula goes after --formula", `--formula "${FORMULA}"`] },
  { name: "--backend gpu", args: ["@clean.csv", "--formula", FORMULA, "--backend", "gpu"], stderr: ["--backend must be one of wasm, reference", '"gpu"'] },
  { name: "an unknown option", args: ["@clean.csv", "--formula", FORMULA, "--bogus"], stderr: ["unknown option '--bogus'"] },
  { name: "a missing required option", args: ["@clean.csv"], stderr: ["--formula is required"] },
  { name: "a missing data argument", args: ["--formula", FORMULA], stderr: ["missing required argument 'data'"] },
];

function resolveArgs(args: string[]): string[] {
  return args.map((a) => (a.startsWith("@") ? file(a.slice(1)) : a));
}

describe("didwasm fit: bad input exits 2 with a clear message", () => {
  for (const c of BAD) {
    it(c.name, () => {
      const r = cli(["fit", ...resolveArgs(c.args)]);
      const context = `stderr:\n${r.stderr}\nstdout:\n${r.stdout}`;
      expect(r.status, context).toBe(2);
      for (const frag of c.stderr) {
        if (typeof frag === "string") expect(r.stderr, context).toContain(frag);
        else expect(r.stderr, context).toMatch(frag);
      }
      expect(r.stderr, context).not.toMatch(STACK_LINE);
      expect(r.stdout, context).not.toMatch(STACK_LINE);
      expect(r.stderr).not.toContain("internal error");
    });
  }
});

describe("the API throws a typed DidwasmError for the same input", () => {
  for (const c of BAD.filter((b) => b.code)) {
    it(`${c.name} -> ${c.code}`, () => {
      const { data, formula, options } = c.api!;
      const e = apiError(() => feolsMulti(readCsvFile(file(data)), formula, options));
      expect(e.code, e.message).toBe(c.code);
      expect(e.name).toBe("DidwasmError");
      expect(e.message.length).toBeGreaterThan(10);
    });
  }
});

describe("didwasm top level", () => {
  it("an unknown command exits 2", () => {
    const r = cli(["frobnicate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
  it("no command at all exits 2 (usage is shown)", () => {
    const r = cli([]);
    expect(r.status).toBe(2);
    expect(r.stderr + r.stdout).toContain("Usage: didwasm");
  });
  it("--help exits 0", () => {
    const r = cli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: didwasm");
  });
  it("fit --help exits 0", () => {
    const r = cli(["fit", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--formula");
  });
  it("--version exits 0", () => {
    const r = cli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

function fitJson(args: string[]) {
  const r = cli(["fit", ...resolveArgs(args), "--json"]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(STACK_LINE);
  return { json: JSON.parse(r.stdout), stderr: r.stderr };
}

const estimates = (j: { coefficients: Array<{ term: string; estimate: number; std_error: number }> }) =>
  j.coefficients.map((c) => [c.term, c.estimate, c.std_error]);

describe("dialect variations succeed with the same numbers as a clean file", () => {
  // `name` as the fixed effect checks that the quoted labels were read whole.
  const formulas = [FORMULA, "y ~ x1 + x2 | name + year", "y ~ x1 + x2 + i(grp)"];
  for (const formula of formulas) {
    it(formula, () => {
      const clean = fitJson(["@clean.csv", "--formula", formula, "--vcov", "hetero"]).json;
      expect(clean.nobs).toBe(120);
      for (const f of ["bom.csv", "crlf.csv", "quoted-comma.csv", "all-three.csv"]) {
        const other = fitJson([`@${f}`, "--formula", formula, "--vcov", "hetero"]).json;
        expect(estimates(other), f).toEqual(estimates(clean));
        expect(other.nobs, f).toBe(clean.nobs);
        expect(other.r2, f).toBe(clean.r2);
      }
    });
  }
  it("the BOM does not stick to the first column name", () => {
    const j = fitJson(["@bom.csv", "--formula", "y ~ unit"]).json;
    expect(j.coefficients.map((c: { term: string }) => c.term)).toEqual(["(Intercept)", "unit"]);
  });
});

describe("collinear regressors: some dropped is a result, listed in removed", () => {
  it("drops the constant, the multiple of x1 and the copy of the fixed effect", () => {
    const { json } = fitJson(["@collinear.csv", "--formula", "y ~ x1 + const0 + x1_twice + unit_copy + x2 | unit"]);
    expect(json.removed).toEqual(["const0", "x1_twice", "unit_copy"]);
    expect(json.coefficients.map((c: { term: string }) => c.term)).toEqual(["x1", "x2"]);
    const ref = fitJson(["@clean.csv", "--formula", "y ~ x1 + x2 | unit"]).json;
    for (const [a, b] of json.coefficients.map((c: { estimate: number }, k: number) => [c.estimate, ref.coefficients[k].estimate])) {
      expect(a).toBeCloseTo(b, 10);
    }
    expect(json.notes.map((n: any) => n.message).join("\n")).toContain("collinear regressor(s) removed: const0, x1_twice, unit_copy");
  });
  it("without fixed effects, a regressor collinear with the intercept is dropped", () => {
    const { json } = fitJson(["@collinear.csv", "--formula", "y ~ x1 + const0 + x2"]);
    expect(json.removed).toEqual(["const0"]);
  });
});

describe("repeated variables in products and crossings count once (R's rule)", () => {
  it("x1*x2*x1*... (32 parts) is x1*x2, and x1:x1 is x1", () => {
    const long = "y ~ " + Array.from({ length: 32 }, (_, k) => (k % 2 ? "x1" : "x2")).join("*");
    const a = fitJson(["@clean.csv", "--formula", long]).json;
    const b = fitJson(["@clean.csv", "--formula", "y ~ x2*x1"]).json;
    expect(estimates(a)).toEqual(estimates(b));
    expect(a.coefficients.map((c: { term: string }) => c.term)).toEqual(["(Intercept)", "x2", "x1", "x2:x1"]);
    const c = fitJson(["@clean.csv", "--formula", "y ~ x1:x1 + x2"]).json;
    const d = fitJson(["@clean.csv", "--formula", "y ~ x1 + x2"]).json;
    expect(estimates(c)).toEqual(estimates(d));
  });
});

describe("inputs that used to fail and must succeed", () => {
  it("a subset with a long %in% list", () => {
    const list = Array.from({ length: 3000 }, (_, k) => k).join(", ");
    const { json } = fitJson(["@clean.csv", "--formula", FORMULA, "--subset", `grp %in% c(${list})`]);
    expect(json.nobs).toBe(120);
  });
  it("i(f, ref = r) + i(f) enters each dummy once", () => {
    const a = fitJson(["@clean.csv", "--formula", "y ~ i(grp, ref = c(0, 1)) + i(grp) + x1", "--vcov", "hetero"]).json;
    const terms = a.coefficients.map((c: { term: string }) => c.term);
    expect(new Set(terms).size).toBe(terms.length);
    expect(a.removed.filter((r: string) => terms.includes(r))).toEqual([]);
    // The dummies of both terms enter once; the bare i(grp) loses its first level (fixest's default
    // reference), so every level but grp::0 remains and nothing is collinear.
    expect(a.removed).toEqual([]);
    const b = fitJson(["@clean.csv", "--formula", "y ~ i(grp) + x1", "--vcov", "hetero"]).json;
    const byTerm = (j: typeof a) => Object.fromEntries(j.coefficients.map((c: { term: string; estimate: number }) => [c.term, c.estimate]));
    const [ea, eb] = [byTerm(a), byTerm(b)];
    expect(Object.keys(ea).sort()).toEqual(Object.keys(eb).sort());
    for (const k of Object.keys(ea)) expect(ea[k]).toBeCloseTo(eb[k], 10);
  });
  it("Latin-1 text: different bytes stay different levels, and read as Latin-1", () => {
    const { json } = fitJson(["@latin1.csv", "--formula", "y ~ x1 + i(name)"]);
    // Zörich sorts first (ö < ü) and is i(name)'s reference, as in fixest.
    expect(json.coefficients.map((c: { term: string }) => c.term)).toEqual(["(Intercept)", "x1", "name::Zürich"]);
    expect(fitJson(["@latin1.csv", "--formula", "y ~ x1 | name"]).json.fixef_sizes).toEqual({ name: 2 });
    expect(fitJson(["@latin1.csv", "--formula", "y ~ x1", "--subset", 'name == "Zürich"']).json.nobs).toBe(60);
  });
});

// Two fixed effects with few periods are absorbed directly (exactly, without sweeps: bindings/estimators/absorb.ts), so
// sweeps, and with them non-convergence, need a third fixed effect.
const FORMULA_3FE = "y ~ x1 + x2 | unit + year + grp";

describe("non-convergence is reported in the result and on stderr", () => {
  it("two fixed effects are solved directly: --max-iter does not apply and nothing fails to converge", () => {
    const direct = fitJson(["@unbalanced.csv", "--formula", FORMULA, "--max-iter", "1"]).json;
    const sweeps = fitJson(["@unbalanced.csv", "--formula", "y ~ x1 + x2 | unit + year + grp", "--tol", "1e-12"]).json;
    expect(direct.converged).toBe(true);
    expect(direct.iterations).toBe(1);
    // grp is nested in unit, so the third fixed effect changes nothing but the method
    direct.coefficients.forEach((c: any, j: number) => expect(Math.abs(c.estimate - sweeps.coefficients[j].estimate)).toBeLessThan(1e-9));
  });
  it("--max-iter 1 on three fixed effects", () => {
    const { json, stderr } = fitJson(["@unbalanced.csv", "--formula", FORMULA_3FE, "--max-iter", "1"]);
    expect(json.converged).toBe(false);
    expect(json.notes.map((n: any) => n.message).join("\n")).toMatch(/demeaning did not converge within 1 sweeps/);
    expect(stderr).toMatch(/warning: demeaning did not converge within 1 sweeps/);
    expect(stderr).toContain("y, x1, x2");
  });
  it("a tiny --tol with a small --max-iter", () => {
    const { json, stderr } = fitJson(["@unbalanced.csv", "--formula", FORMULA_3FE, "--tol", "1e-300", "--max-iter", "5"]);
    expect(json.converged).toBe(false);
    expect(json.notes.map((n: any) => n.message).join("\n")).toContain("tol 1e-300");
    expect(stderr).toContain("warning: demeaning did not converge within 5 sweeps (tol 1e-300)");
  });
  it("in text output too", () => {
    const r = cli(["fit", file("unbalanced.csv"), "--formula", FORMULA_3FE, "--max-iter", "1"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("warning: demeaning did not converge");
    expect(r.stdout).toContain("Note: demeaning did not converge");
  });
  it("converges with the defaults", () => {
    const { json, stderr } = fitJson(["@unbalanced.csv", "--formula", FORMULA_3FE]);
    expect(json.converged).toBe(true);
    expect(stderr).toBe("");
  });
});
