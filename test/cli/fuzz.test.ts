// Seeded fuzzing of the whole input path: a valid CSV is mutated at random (bytes deleted, duplicated and
// inserted, the file cut, lines swapped, quotes, commas, CR, BOM, non-UTF-8 bytes, NA, Inf, huge numbers,
// empty lines, renamed headers), and fitted with random formulas, vcov strings, subsets and options, in
// process. Every case must end in a result (exit 0; with --json, valid JSON) or a user error (a
// DidwasmError / exit 2 with a message): never exit 1, never another exception, never a hang.
//
// Reproduce a failure with the seed and case it prints:
//   DIDWASM_FUZZ_SEED=<seed> DIDWASM_FUZZ_CASE=<case> npx vitest run test/cli/fuzz.test.ts
// The case being run is also written to <tmpdir>/didwasm-fuzz-current.txt, for the case of a hang.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bytesSource, parseCsv, type ByteSource } from "../../bindings/data/csv.js";
import type { Frame } from "../../bindings/data/frame.js";
import { DidwasmError } from "../../bindings/errors.js";
import { feolsMulti, type FeolsOptions } from "../../bindings/estimators/feols.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { runCli } from "../../cli/program.js";
import { STACK_LINE, panelCsv } from "./fixtures.js";
import { chunkedSource } from "../helpers/sources.js";

const SEED = Number(process.env.DIDWASM_FUZZ_SEED ?? 20240611) >>> 0;
const ONLY_CASE = process.env.DIDWASM_FUZZ_CASE === undefined ? null : Number(process.env.DIDWASM_FUZZ_CASE);
/** Cases per run, and the wall-clock budget they share (the run stops early when it is spent). */
const CASES = Number(process.env.DIDWASM_FUZZ_CASES ?? 3000);
const BUDGET_MS = Number(process.env.DIDWASM_FUZZ_BUDGET_MS ?? 14_000);
/** A single case slower than this counts as a hang. */
const CASE_LIMIT_MS = 2_000;
const BREADCRUMB = join(tmpdir(), "didwasm-fuzz-current.txt");

const enc = new TextEncoder();
const dir = mkdtempSync(join(tmpdir(), "didwasm-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------------
// Random helpers

type Rng = Xoshiro128;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.below(xs.length)];
const chance = (rng: Rng, p: number) => rng.uniform() < p;

// ---------------------------------------------------------------------------------------------------------
// Base files and mutations

const COLUMNS = ["unit", "year", "x1", "x2", "y", "grp", "w", "name"];
const BASES: string[] = [
  panelCsv({ units: 8, periods: 5, seed: 1 }),
  panelCsv({ units: 10, periods: 6, seed: 2, dropShare: 0.3 }),
  panelCsv({ units: 6, periods: 4, seed: 3, label: "comma" }),
  // A few missing cells and text ids.
  panelCsv({ units: 8, periods: 5, seed: 4 })
    .split("\n")
    .map((l, i) => (i > 0 && i % 7 === 0 ? l.replace(/,[^,]*,([^,]*,[^,]*,[^,]*,[^,]*,[^,]*)$/, ",NA,$1") : l.replace(/^(\d+),/, "u$1,")))
    .join("\n"),
];

/** Snippets inserted as bytes. */
const SNIPPETS: ReadonlyArray<string | number[]> = [
  ",", ",,", '"', '""', '"a,b"', "\r", "\n", "\r\n", "\n\n", " ", "\t", "NA", "Inf", "-Inf", "NaN", ".", "1e308", "-1e308",
  "1e400", "1e-400", "123456789012345678901234567890", "0", "-0", "abc", "TRUE", "null", "1e", "--1", "+", "0x1F", "1,5",
  "é", "城市", [0xef, 0xbb, 0xbf], [0xff], [0xfe, 0xff], [0xc3], [0xe4, 0xb8], [0x80, 0x80], [0x00], [0x1b], "`", "'",
];
const CELL_VALUES = [
  "", "NA", "Inf", "-Inf", "1e308", "-1e308", "1e400", "5e-324", "0", "abc", '"x,y"', '"q""uote"', '"', "999999999999999999999", ".", " 3 ",
  "TRUE", "1.2.3", "1e200", "-1e160", "1e155", "Z\xfcrich", "Z\xf6rich", "Zürich", "\xff\xfe",
];

function snippetBytes(s: string | number[]): Uint8Array {
  return typeof s === "string" ? enc.encode(s) : Uint8Array.from(s);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const utf8 = new TextDecoder();
/** Text to bytes, except that characters U+0080..U+00FF written as "\xNN" escapes in CELL_VALUES become the
 *  single raw byte (Latin-1, not valid UTF-8); everything else is UTF-8. */
function encodeMixed(text: string): Uint8Array {
  const parts = text.split(/([\x80-\xff])/);
  return concat(...parts.map((p, i) => (i % 2 ? Uint8Array.of(p.charCodeAt(0)) : enc.encode(p))));
}
function splitLines(b: Uint8Array): string[] {
  return utf8.decode(b).split("\n");
}

/** One random mutation of the file; returns the new bytes and a label for messages. */
function mutate(rng: Rng, b: Uint8Array): [Uint8Array, string] {
  const n = b.length;
  const at = () => rng.below(n + 1);
  // Gentle mutations (the file still parses, the model may still fit) are drawn more often than byte damage.
  switch (pick(rng, [0, 1, 2, 3, 4, 4, 5, 5, 5, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 11, 12, 12, 12, 13])) {
    case 0: {
      const s = at();
      const len = 1 + rng.below(chance(rng, 0.8) ? 3 : 40);
      return [concat(b.subarray(0, s), b.subarray(Math.min(n, s + len))), `delete ${len} at ${s}`];
    }
    case 1: {
      const s = at();
      const len = 1 + rng.below(60);
      const d = at();
      return [concat(b.subarray(0, d), b.subarray(s, Math.min(n, s + len)), b.subarray(d)), `duplicate ${len} from ${s} to ${d}`];
    }
    case 2: {
      const s = at();
      const snip = pick(rng, SNIPPETS);
      return [concat(b.subarray(0, s), snippetBytes(snip), b.subarray(s)), `insert ${JSON.stringify(snip)} at ${s}`];
    }
    case 3: {
      const s = at();
      return [b.slice(0, s), `cut at ${s}`];
    }
    case 4: {
      const lines = splitLines(b);
      const i = rng.below(lines.length);
      const j = rng.below(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return [enc.encode(lines.join("\n")), `swap lines ${i + 1} and ${j + 1}`];
    }
    case 5: {
      // Replace one cell.
      const lines = splitLines(b);
      const i = 1 + rng.below(Math.max(1, lines.length - 1));
      if (i >= lines.length) return [b, "noop"];
      const cells = lines[i].split(",");
      const k = rng.below(cells.length);
      const v = pick(rng, CELL_VALUES);
      cells[k] = v;
      lines[i] = cells.join(",");
      return [encodeMixed(lines.join("\n")), `line ${i + 1} cell ${k + 1} = ${JSON.stringify(v)}`];
    }
    case 6: {
      // Rename a header column: to another column's name, a near miss, empty, quoted, or with a BOM.
      const lines = splitLines(b);
      const cells = lines[0].split(",");
      const k = rng.below(cells.length);
      const v = pick(rng, [pick(rng, COLUMNS), cells[k] + "_", cells[k].toUpperCase(), "", `"${cells[k]}"`, `" ${cells[k]} "`, "\uFEFF" + cells[k], "a b", "城市", "x,1"]);
      cells[k] = v;
      lines[0] = cells.join(",");
      return [enc.encode(lines.join("\n")), `header column ${k + 1} = ${JSON.stringify(v)}`];
    }
    case 7:
      return [concat(Uint8Array.from([0xef, 0xbb, 0xbf]), b), "BOM"];
    case 8:
      return [enc.encode(utf8.decode(b).replace(/\n/g, chance(rng, 0.7) ? "\r\n" : "\r")), "CR line ends"];
    case 9: {
      const lines = splitLines(b);
      const i = rng.below(lines.length + 1);
      const count = 1 + rng.below(3);
      lines.splice(i, 0, ...Array.from({ length: count }, () => pick(rng, ["", " ", ",,,,,,,", "\r", "\t"])));
      return [enc.encode(lines.join("\n")), `${count} empty line(s) at ${i + 1}`];
    }
    case 10: {
      // Add or remove a field on one line.
      const lines = splitLines(b);
      const i = rng.below(lines.length);
      lines[i] = chance(rng, 0.5) ? lines[i] + ",extra" : lines[i].replace(/,[^,]*$/, "");
      return [enc.encode(lines.join("\n")), `field count changed on line ${i + 1}`];
    }
    case 11: {
      // A quote injected somewhere (often unbalanced).
      const s = at();
      return [concat(b.subarray(0, s), enc.encode(pick(rng, ['"', '""', '"\n"', '"",'])), b.subarray(s)), `quote at ${s}`];
    }
    case 12: {
      // A column filled with one value (all missing, constant, infinite, text).
      const lines = splitLines(b);
      const k = rng.below(COLUMNS.length);
      const v = pick(rng, ["", "NA", "1", "Inf", "z", "1e308"]);
      for (let i = 1; i < lines.length; i++) {
        const cells = lines[i].split(",");
        if (k < cells.length) cells[k] = v;
        lines[i] = cells.join(",");
      }
      return [enc.encode(lines.join("\n")), `column ${k + 1} all ${JSON.stringify(v)}`];
    }
    default: {
      // Flip one byte to a random value.
      if (n === 0) return [b, "noop"];
      const c = b.slice();
      const s = rng.below(n);
      c[s] = rng.below(256);
      return [c, `byte ${s} = ${c[s]}`];
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Formulas, vcov strings, subsets

const NAMES = [...COLUMNS, "nope", "X1", "c", "i", "ref", "x1_", "城市", "`a b`", "`name`", "`x1:x2`", "`(Intercept)`", "`grp::1`"];
const SOUP = [
  ...NAMES, "~", "~", "+", "+", "*", ":", "^", "|", "(", ")", "i(", "i(", "ref =", "ref=", "c(", ",", "0", "1", "-1", "- 1",
  "+ 0", "2001", "3.5", "1e3", "-", "=", "==", "%in%", '"', "'", "`", '"a"', "$", "@", "#", "{", "}", "[", "]", ";", "!", "&",
  "/", "\\", "\n", "\t", "  ", "é", "😀", "\u0000",
];
const GOOD_TERMS = ["x1", "x2", "w", "year", "grp", "unit", "x1:x2", "x1*x2", "i(grp)", "i(year, ref = 2001)", "i(grp, x1)", "i(grp, ref = c(0, 1))", "x2:i(grp)", "x1:x1"];
const GOOD_FE = ["unit", "year", "grp", "name", "unit^year", "grp^year"];
const WEIRD_FE = ["nope", "x1", "w", "unit^unit", "y", "Unit"];

/** Up to k distinct picks. */
function distinct(rng: Rng, xs: readonly string[], k: number): string[] {
  const out = new Set<string>();
  for (let i = 0; i < k; i++) out.add(pick(rng, xs));
  return [...out];
}

function term(rng: Rng): string {
  switch (rng.below(6)) {
    case 0:
      return `i(${pick(rng, ["grp", "year", "name", "unit", "x1", "nope"])})`;
    case 1:
      return `i(${pick(rng, ["grp", "year", "name"])}, ref = ${pick(rng, ["0", "1", "2001", '"city 1"', "c(0, 1)", "99", "-1", "abc"])})`;
    case 2:
      return `i(${pick(rng, ["grp", "year"])}, ${pick(rng, ["x1", "x2", "name", "w"])})`;
    case 3:
      return `${pick(rng, NAMES)}:${pick(rng, NAMES)}`;
    case 4:
      return Array.from({ length: 2 + rng.below(chance(rng, 0.2) ? 14 : 3) }, () => pick(rng, ["x1", "x2", "w", "year", "grp", "i(grp)", "i(year)"])).join("*");
    default:
      return pick(rng, NAMES);
  }
}

function formula(rng: Rng): string {
  if (chance(rng, 0.12)) {
    // Token soup.
    return Array.from({ length: rng.below(14) }, () => pick(rng, SOUP)).join(pick(rng, ["", " "]));
  }
  const lhs = chance(rng, 0.92) ? "y" : chance(rng, 0.5) ? pick(rng, ["x1", "nope", "name", "w"]) : `c(${pick(rng, ["y, x1", "y, x2", "y", "y, y", "y,"])})`;
  const terms = distinct(rng, GOOD_TERMS, 1 + rng.below(4));
  if (chance(rng, 0.25)) terms.push(term(rng));
  if (chance(rng, 0.08)) terms.push(pick(rng, ["0", "1", "-1"]));
  let f = `${lhs} ~ ${terms.join(chance(rng, 0.05) ? " - " : pick(rng, [" + ", "+", "  +  "]))}`;
  if (chance(rng, 0.65)) {
    const fe = distinct(rng, GOOD_FE, 1 + rng.below(2));
    if (chance(rng, 0.1)) fe.push(pick(rng, WEIRD_FE));
    f += " | " + fe.join(" + ");
  }
  if (chance(rng, 0.06)) {
    // Corrupt a valid-looking formula at one point.
    const s = rng.below(f.length + 1);
    f = f.slice(0, s) + pick(rng, SOUP) + f.slice(s + rng.below(3));
  }
  return f;
}

function vcov(rng: Rng): string | undefined {
  if (chance(rng, 0.35)) return undefined;
  if (chance(rng, 0.08)) return Array.from({ length: rng.below(6) }, () => pick(rng, [...SOUP, "cluster", "cluster:", "+"])).join("");
  if (chance(rng, 0.6)) return pick(rng, ["iid", "hetero", "cluster:unit", "cluster:grp", "cluster:unit+year", "cluster:name"]);
  return pick(rng, [
    "iid", "hetero", "HC1", "robust", "standard", "cluster:unit", "cluster:year", "cluster:grp", "cluster:name", "cluster:unit+year",
    "cluster: unit , grp", "CL=unit", "cluster:unit+year+grp", "cluster:", "cluster:unit+", "cluster:unit+unit", "cluster:nope",
    "cluster:x1", "cluster:y", "cluster:w", "foo", "", " ", "cluster:unit^year",
  ]);
}

function subset(rng: Rng): string | undefined {
  if (chance(rng, 0.7)) return undefined;
  if (chance(rng, 0.03)) {
    // Deep nesting or a long chain (the parser and the evaluator recurse).
    const d = pick(rng, [150, 199, 200, 201, 999, 1000, 1001, 5000]);
    return pick(rng, ["(".repeat(d) + "x1 > 0" + ")".repeat(d), "!".repeat(d) + "x1 > 0", "-".repeat(d) + "x1 < 0", "x1 > 0" + " + 1".repeat(d), "grp == 1" + " | grp == 2".repeat(d)]);
  }
  if (chance(rng, 0.2)) return Array.from({ length: rng.below(8) }, () => pick(rng, [...SOUP, "year", "grp", ">", "<=", "!=", "&&", "||", "2002"])).join(" ");
  const cmp = () =>
    pick(rng, [
      `year > ${2000 + rng.below(6)}`, `grp == ${rng.below(5)}`, `grp %in% c(${rng.below(4)}, ${rng.below(4)})`, `name == "city ${1 + rng.below(9)}"`,
      `name != 'city 2'`, `x1 < 0`, `!(x1 >= 0.5)`, `x2 / 0 > 1`, `w * 2 - 1 > 0.5`, `unit == "u3"`, `name + 1 > 0`, `TRUE`, `FALSE`,
      `year %in% c(2001, -2)`, `(year > 2001) == 1`, `nope > 1`, `x1 > 1e308`,
    ]);
  return Array.from({ length: 1 + rng.below(3) }, cmp).join(pick(rng, [" & ", " | ", " && "]));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Case {
  bytes: Uint8Array;
  mutations: string[];
  formula: string;
  options: Mutable<FeolsOptions> & { delimiter?: string; json: boolean };
  chunk: number;
}

function makeCase(seed: number, k: number): Case {
  const rng = new Xoshiro128(seed, k);
  let bytes: Uint8Array = enc.encode(pick(rng, BASES));
  const mutations: string[] = [];
  const count = chance(rng, 0.3) ? 0 : chance(rng, 0.6) ? 1 : 1 + rng.below(chance(rng, 0.3) ? 12 : 3);
  for (let m = 0; m < count; m++) {
    const [b, label] = mutate(rng, bytes);
    bytes = b;
    mutations.push(label);
  }
  const options: Case["options"] = { json: chance(rng, 0.7) };
  const v = vcov(rng);
  if (v !== undefined) options.vcov = v;
  const s = subset(rng);
  if (s !== undefined) options.subset = s;
  if (chance(rng, 0.15)) options.weights = pick(rng, ["w", "w", "x1", "name", "nope", "year"]);
  if (chance(rng, 0.3)) options.fixefRm = pick(rng, ["none", "singleton"] as const);
  if (chance(rng, 0.15)) options.maxIter = pick(rng, [1, 2, 3, 10, 50]);
  if (chance(rng, 0.1)) options.tol = pick(rng, [1e-300, 1e-16, 1e-3, 0.5]);
  if (chance(rng, 0.1)) options.backend = "reference";
  if (chance(rng, 0.05)) options.delimiter = pick(rng, [";", "\t", " ", '"', "\n", "1", "|"]);
  return { bytes, mutations, formula: formula(rng), options, chunk: 1 + rng.below(chance(rng, 0.5) ? 8 : 200) };
}

function describeCase(k: number, c: Case): string {
  const { json, ...opts } = c.options;
  return (
    `seed=${SEED} case=${k} (DIDWASM_FUZZ_SEED=${SEED} DIDWASM_FUZZ_CASE=${k})\n` +
    `  mutations: ${c.mutations.join("; ") || "none"}\n  formula: ${JSON.stringify(c.formula)}\n  options: ${JSON.stringify({ ...opts, json })}\n` +
    `  chunk: ${c.chunk}\n  file (first 300 bytes): ${JSON.stringify(utf8.decode(c.bytes.subarray(0, 300)))}`
  );
}

// ---------------------------------------------------------------------------------------------------------
// Checks

/** A comparable summary of a parse: the frame's columns, or the error. */
function parseSummary(src: ByteSource, delimiter?: string): { frame: Frame | null; summary: string } {
  try {
    const f = parseCsv(src, { delimiter });
    const cols = f.columns.map((c) =>
      c.kind === "numeric"
        ? `${c.name}:num:${Array.from(c.values).join("|")}`
        : `${c.name}:text:${Array.from(c.codes, (k) => (k < 0 ? "<NA>" : c.levels[k])).join("|")}:${c.firstText ? f.describeRow(c.firstText.row) : ""}`,
    );
    return { frame: f, summary: `rows ${f.nrow}\n${cols.join("\n")}` };
  } catch (e) {
    if (e instanceof DidwasmError) return { frame: null, summary: `error ${e.code}: ${e.message}` };
    throw e;
  }
}

function finiteOrNullNumbers(v: unknown, path = "$"): string | null {
  if (typeof v === "number") return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = finiteOrNullNumbers(v[i], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const bad = finiteOrNullNumbers(x, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return null;
}

interface FitJson {
  nobs: number;
  removed: string[];
  coefficients: Array<{ term: string; estimate: number | null }>;
  converged: boolean;
}

/** Invariants of one successful model: no silently odd output. */
function checkModel(m: FitJson): string | null {
  const terms = m.coefficients.map((c) => c.term);
  if (new Set(terms).size !== terms.length) return `duplicate coefficient names: ${terms.join(", ")}`;
  if (m.removed.some((r) => terms.includes(r))) return `a removed regressor is also a coefficient: ${m.removed.join(", ")}`;
  if (!(m.nobs > terms.length)) return `nobs ${m.nobs} for ${terms.length} coefficients`;
  if (terms.length === 0) return "a result without coefficients";
  return null;
}

const stats = { cases: 0, ok: 0, userErrors: 0, parseErrors: 0, codes: new Map<string, number>(), slowest: 0 };

async function runCase(k: number): Promise<void> {
  const c = makeCase(SEED, k);
  const where = () => describeCase(k, c);
  writeFileSync(BREADCRUMB, where() + "\n");
  const t0 = performance.now();

  // 1. The CSV reader: the same bytes in one chunk and in small chunks give the same frame or the same error.
  let whole: ReturnType<typeof parseSummary>;
  try {
    whole = parseSummary(bytesSource(c.bytes), c.options.delimiter);
    const parts = parseSummary(chunkedSource(c.bytes, c.chunk, "data"), c.options.delimiter);
    expect(parts.summary, `chunked parse differs from whole parse\n${where()}`).toBe(whole.summary);
  } catch (e) {
    if (e instanceof Error && e.name === "AssertionError") throw e;
    throw new Error(`parseCsv threw ${(e as Error)?.stack ?? e}\n${where()}`);
  }

  // 2. The API: a result or a DidwasmError.
  const { json, delimiter, ...fitOptions } = c.options;
  let apiOutcome = "parse error";
  let apiEstimates: number[][] = [];
  if (whole.frame) {
    try {
      const fits = feolsMulti(whole.frame, c.formula, fitOptions);
      apiOutcome = "ok";
      apiEstimates = fits.map((f) => Array.from(f.estimates()));
      for (const f of fits) {
        const bad = checkModel(f.toJSON() as unknown as FitJson);
        if (bad) throw new Error(`API result: ${bad}\n${where()}`);
      }
    } catch (e) {
      if (e instanceof DidwasmError) {
        apiOutcome = `error ${e.code}`;
        stats.codes.set(e.code, (stats.codes.get(e.code) ?? 0) + 1);
        if (!(e.message.length > 5)) throw new Error(`DidwasmError with an empty message\n${where()}`);
      } else throw new Error(`feols threw a non-DidwasmError: ${(e as Error)?.stack ?? e}\n${where()}`);
    }
  } else stats.parseErrors++;
  if (process.env.DIDWASM_FUZZ_VERBOSE) {
    console.log(`${k}\t${apiOutcome}\t${JSON.stringify(c.formula)}\t${JSON.stringify(fitOptions)}\t${c.mutations.join("; ")}\t${(performance.now() - t0).toFixed(1)}ms`);
  }

  // 3. The CLI, in process, on the same bytes written to a file.
  const path = join(dir, `case-${k % 16}.csv`);
  writeFileSync(path, c.bytes);
  const argv = ["fit", path, "--formula", c.formula];
  if (fitOptions.vcov !== undefined) argv.push("--vcov", String(fitOptions.vcov));
  if (fitOptions.subset) argv.push("--subset", fitOptions.subset);
  if (fitOptions.weights) argv.push("--weights", fitOptions.weights);
  if (fitOptions.fixefRm) argv.push("--fixef-rm", fitOptions.fixefRm);
  if (fitOptions.maxIter !== undefined) argv.push("--max-iter", String(fitOptions.maxIter));
  if (fitOptions.tol !== undefined) argv.push("--tol", String(fitOptions.tol));
  if (fitOptions.backend) argv.push("--backend", fitOptions.backend);
  if (delimiter !== undefined) argv.push("--delimiter", delimiter);
  if (json) argv.push("--json");
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  const ctx = () => `exit ${code}\nstderr: ${err}\nstdout: ${out.slice(0, 2000)}\n${where()}`;
  if (code === 1) throw new Error(`internal error (exit 1)\n${ctx()}`);
  expect(code === 0 || code === 2, ctx()).toBe(true);
  expect(STACK_LINE.test(err) || STACK_LINE.test(out), `stack trace printed\n${ctx()}`).toBe(false);
  if (code === 2) {
    stats.userErrors++;
    expect(err, ctx()).toMatch(/^(didwasm: error: |error: )\S/);
    if (apiOutcome === "ok") throw new Error(`the API succeeded but the CLI failed\n${ctx()}`);
  } else {
    stats.ok++;
    if (apiOutcome !== "ok") throw new Error(`the API failed (${apiOutcome}) but the CLI succeeded\n${ctx()}`);
    if (json) {
      let parsed: { models?: FitJson[] } & FitJson;
      try {
        parsed = JSON.parse(out);
      } catch {
        throw new Error(`--json output is not JSON\n${ctx()}`);
      }
      const bad = finiteOrNullNumbers(parsed);
      if (bad) throw new Error(`a non-finite number in the JSON: ${bad}\n${ctx()}`);
      const models = parsed.models ?? [parsed];
      const cliEstimates = models.map((m) => m.coefficients.map((x) => x.estimate ?? NaN));
      const api = apiEstimates.map((e) => e.map((x) => (Number.isFinite(x) ? x : NaN)));
      expect(cliEstimates, `the CLI and the API give different estimates\n${ctx()}`).toEqual(api);
      for (const m of models) {
        const badModel = checkModel(m);
        if (badModel) throw new Error(`CLI result: ${badModel}\n${ctx()}`);
        if (!m.converged && !err.includes("did not converge")) throw new Error(`not converged, but no warning on stderr\n${ctx()}`);
      }
    } else expect(out, ctx()).toContain("OLS estimation");
  }
  const ms = performance.now() - t0;
  stats.slowest = Math.max(stats.slowest, ms);
  if (ms > CASE_LIMIT_MS) throw new Error(`case took ${ms.toFixed(0)} ms (limit ${CASE_LIMIT_MS})\n${where()}`);
  stats.cases++;
}

describe("fuzz: bad files, formulas and options never crash the CLI or the API", () => {
  it(`seed ${SEED}`, async () => {
    const t0 = performance.now();
    if (ONLY_CASE !== null) {
      await runCase(ONLY_CASE);
      return;
    }
    for (let k = 0; k < CASES; k++) {
      if (performance.now() - t0 > BUDGET_MS) break;
      await runCase(k);
    }
    const ms = performance.now() - t0;
    const codes = [...stats.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(", ");
    console.log(
      `fuzz seed ${SEED}: ${stats.cases} cases in ${(ms / 1000).toFixed(1)} s (slowest ${stats.slowest.toFixed(0)} ms): ` +
        `${stats.ok} results, ${stats.userErrors} user errors (${stats.parseErrors} at parsing); API error codes: ${codes}`,
    );
    // The budget must leave room for a meaningful run.
    expect(stats.cases).toBeGreaterThanOrEqual(Math.min(CASES, 500));
  });
});
