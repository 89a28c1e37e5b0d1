// The regressors of a formula evaluated over a sample: numeric variables, products (a:b), factor dummies
// i(f, ref = r) and their interactions with a numeric variable i(f, x), and the intercept when no fixed
// effect is absorbed. Dummy columns are named as fixest names them: "f::level" and "f::level:x".
//
// Which level of i(f) is the reference when none is written is fixest 0.12's rule (fixest_model_matrix
// and i_ref in its R/miscfuns.R): a term that is exactly i(f) (not a product such as x:i(f)) and names
// neither ref nor keep loses its FIRST level, because with an intercept or fixed effects the full set of
// dummies is collinear - except the first such term of a model with neither intercept nor fixed effects
// (y ~ 0 + i(f)), which keeps every level. i(f, x) with a numeric x always keeps every level.
// Levels are sorted numerically for numeric columns and by Unicode code point for text (R in the C
// locale; R under ICU or en_US sorts case-insensitively first, so mixed-case levels may order differently).
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import { nameInMessage, quoteName, writesReference, type Factor, type FactorDummies, type Formula, type Level, type Term } from "./formula.js";
import { designColumns, gatheredColumn, indicatorColumn, type LazyColumn } from "./lazy-columns.js";
import { sampleValues, type VariableUse } from "./sample.js";
import { positionedError } from "./tokens.js";

export interface Design {
  readonly names: readonly string[];
  /** One array per regressor, each over the sample rows. */
  readonly columns: readonly Float64Array[];
  readonly intercept: boolean;
  /** Blocks of one-hot 0/1 columns with disjoint supports (event-time dummies, cohort cells, i(f)), in
   *  any position: columns [start, start + count) where row i has its 1 in column start + code[i] (code
   *  -1: none). Declaring them lets the crossproduct cost O(n K) instead of O(n K^2). */
  readonly indicators?: ReadonlyArray<IndicatorBlock>;
}

export interface IndicatorBlock {
  readonly start: number;
  readonly count: number;
  readonly code: Int32Array;
}

/** Variables a formula's right-hand side reads, for the sample's complete-case rule. */
export function designVariables(f: Formula): { numeric: VariableUse[]; categorical: VariableUse[] } {
  const numeric: VariableUse[] = [];
  const categorical: VariableUse[] = [];
  for (const t of f.terms) {
    for (const x of t.factors) {
      if (x.kind === "var") numeric.push({ name: x.name, role: "regressor" });
      else {
        categorical.push({ name: x.name, role: "i() variable" });
        if (x.with) numeric.push({ name: x.with, role: "regressor" });
      }
    }
  }
  return { numeric, categorical };
}

interface LevelSet {
  /** Level label per sample row's level index. */
  readonly labels: string[];
  /** Level index per sample row. */
  readonly index: Int32Array;
}

/** Levels of a variable over the sample, sorted (numerically for numeric columns). */
function levelsOf(frame: Frame, name: string, rows: Int32Array): LevelSet & { isNumeric: boolean; values: Array<number | string> } {
  const col = frame.column(name, "i() variable");
  const index = new Int32Array(rows.length);
  if (col.kind === "numeric") {
    const distinct = [...new Set(Array.from(rows, (r) => col.values[r]))].sort((a, b) => a - b);
    const pos = new Map(distinct.map((v, i) => [v, i]));
    for (let i = 0; i < rows.length; i++) index[i] = pos.get(col.values[rows[i]])!;
    return { labels: distinct.map((v) => String(v)), index, isNumeric: true, values: distinct };
  }
  const used = [...new Set(Array.from(rows, (r) => col.codes[r]))];
  const labelled = used.map((c) => col.levels[c]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pos = new Map(labelled.map((v, i) => [v, i]));
  for (let i = 0; i < rows.length; i++) index[i] = pos.get(col.levels[col.codes[rows[i]]])!;
  return { labels: labelled, index, isNumeric: false, values: labelled };
}

/** For each term, whether it is an i(f) that loses its first level by fixest's default (header). */
function defaultFirstReference(formula: Formula, hasFixef: boolean): boolean[] {
  const anchored = formula.intercept || hasFixef;
  let bare = 0;
  return formula.terms.map((t: Term) => {
    const f = t.factors[0];
    if (t.factors.length !== 1 || f.kind !== "i") return false;
    // fixest counts every bare i() term here, i(f, x) included, though only i(f) is affected.
    const first = bare++ === 0;
    return !writesReference(f) && f.with === null && (anchored || !first);
  });
}

/** Index of the level written as `v` (a number matches a text level that reads the same). */
function levelIndex(lv: { labels: string[]; values: Level[] }, f: FactorDummies, v: Level, arg: string): number {
  const k = lv.values.findIndex((x) => x === v || String(x) === String(v));
  if (k >= 0) return k;
  throw new DidwasmError(
    "BAD_OPTION",
    `i(${quoteName(f.name)}, ${arg} = ${v}): ${v} is not a value of ${nameInMessage(f.name)} in the sample (values: ${lv.labels.slice(0, 12).join(", ")}${lv.labels.length > 12 ? ", ..." : ""})`,
    { column: f.name },
  );
}

/** i(f, x) needs a numeric x: fixest would interact two factors when x holds text. */
function interactedValues(frame: Frame, f: FactorDummies, x: string, rows: Int32Array, values: ColumnValues): Float64Array {
  const col = frame.column(x, "regressor");
  if (col.kind !== "numeric" && !col.numbers) {
    throw new DidwasmError(
      "BAD_OPTION",
      `i(${quoteName(f.name)}, ${quoteName(x)}): ${nameInMessage(x)} holds text, and interacting two factors is not supported: use the combined fixed effect ${quoteName(f.name)}^${quoteName(x)} after |, or a numeric column`,
      { column: x },
    );
  }
  return values(frame, x, rows, "regressor");
}

/** The dummies of i(f) (or i(f, x)). Plain dummies are one-hot: they come as their codes (row -> column,
 *  -1 for a left-out level) and lazy columns made only if read (lazy-columns.ts), so that i(f) with
 *  thousands of levels costs n integers here and the fit writes them straight into its own buffer. */
function dummyBlock(
  frame: Frame, f: FactorDummies, rows: Int32Array, dropFirst: boolean, values: ColumnValues,
): { names: string[]; columns: Array<Float64Array | LazyColumn>; code: Int32Array | null } {
  const lv = levelsOf(frame, f.name, rows);
  const omitted = new Set<number>();
  for (const r of f.ref) omitted.add(levelIndex(lv, f, r, "ref"));
  if ((f.refFirst || dropFirst) && lv.labels.length > 0) omitted.add(0);
  if (f.keep) {
    const kept = new Set(f.keep.map((v) => levelIndex(lv, f, v, "keep")));
    lv.labels.forEach((_, k) => !kept.has(k) && omitted.add(k));
  }
  const w = f.with ? interactedValues(frame, f, f.with, rows, values) : null;
  const names: string[] = [];
  const columnOf = new Int32Array(lv.labels.length).fill(-1);
  lv.labels.forEach((label, k) => {
    if (omitted.has(k)) return;
    columnOf[k] = names.length;
    names.push(`${f.name}::${label}` + (f.with ? `:${f.with}` : ""));
  });
  // Every level is a reference (a variable with one level in the sample): as in fixest, one column of
  // zeros stands for the term, so that the fit reports it removed instead of the term vanishing silently.
  if (names.length === 0) return { names: [`i(${quoteName(f.name)})`], columns: [new Float64Array(rows.length)], code: null };
  const code = Int32Array.from(lv.index, (k) => columnOf[k]);
  if (!w) return { names, columns: names.map((_, j) => indicatorColumn(code, j)), code };
  const columns = names.map(() => new Float64Array(rows.length));
  for (let i = 0; i < rows.length; i++) if (code[i] >= 0) columns[code[i]][i] = w[i];
  return { names, columns, code: null };
}

const madeColumn = (c: Float64Array | LazyColumn): Float64Array => (c instanceof Float64Array ? c : c.make());

/** A numeric column over the sample rows, as sampleValues gives it; the models of one multiple estimation
 *  pass SampleCache.values, which gathers each column once for all of them. The result is read only. */
export type ColumnValues = (frame: Frame, name: string, rows: Int32Array, role: string) => Float64Array;

export function buildDesign(frame: Frame, formula: Formula, rows: Int32Array, hasFixef: boolean, values: ColumnValues = sampleValues): Design {
  const names: string[] = [];
  const columns: Array<Float64Array | LazyColumn> = [];
  const indicators: IndicatorBlock[] = [];
  const byName = new Map<string, number>();
  // Two terms can make the same regressor (i(f, ref = r) + i(f), i(f, x) + i(f):x): it enters once. Two
  // different columns with one name (a data column named `a:b` next to the product a:b) are an error.
  // Returns whether the column was added.
  const add = (name: string, col: Float64Array | LazyColumn, pos: number): boolean => {
    const k = byName.get(name);
    if (k !== undefined) {
      const [had, got] = [madeColumn(columns[k]), madeColumn(col)];
      if (had.every((v, i) => v === got[i])) return false;
      throw positionedError("FORMULA_SYNTAX", "formula", formula.source, pos, `two different regressors would both be named "${name}"`);
    }
    byName.set(name, names.length);
    names.push(name);
    columns.push(col);
    return true;
  };
  const intercept = formula.intercept && !hasFixef;
  if (intercept) add("(Intercept)", new Float64Array(rows.length).fill(1), 0);
  const cache = new Map<string, Float64Array>();
  const numeric = (name: string) => {
    let v = cache.get(name);
    if (!v) {
      v = values(frame, name, rows, "regressor");
      cache.set(name, v);
    }
    return v;
  };
  const dropFirst = defaultFirstReference(formula, hasFixef);
  for (const [ti, t] of formula.terms.entries()) {
    const dummies = t.factors.find((x): x is FactorDummies => x.kind === "i");
    const vars = t.factors.filter((x): x is Factor & { kind: "var" } => x.kind === "var");
    if (!dummies && vars.length === 1 && values === sampleValues && rows.length !== frame.nrow) {
      // A plain variable over a subsample is gathered by the fit straight into its buffer: made as an
      // array first, it would be fresh memory touched only to be copied (lazy-columns.ts). Not with a
      // multiple estimation's SampleCache.values, which gathers a column once for all its models.
      add(vars[0].name, gatheredColumn(frame.numeric(vars[0].name, "regressor"), rows), t.pos);
      continue;
    }
    let product: Float64Array | null = null;
    for (const v of vars) {
      const x = numeric(v.name);
      if (!product) product = x;
      else {
        const p = new Float64Array(rows.length);
        for (let i = 0; i < p.length; i++) p[i] = product[i] * x[i];
        product = p;
      }
    }
    if (!dummies) {
      add(vars.map((v) => v.name).join(":"), product!, t.pos);
      continue;
    }
    const block = dummyBlock(frame, dummies, rows, dropFirst[ti], values);
    const start = names.length;
    let everyAdded = true;
    block.columns.forEach((lazy, k) => {
      let c = lazy;
      if (product) {
        const made = madeColumn(lazy);
        for (let i = 0; i < made.length; i++) made[i] *= product[i];
        c = made;
      }
      // Factor order as written: factors before i() come first in the name.
      everyAdded = add(t.factors.map((x) => (x.kind === "i" ? block.names[k] : x.name)).join(":"), c, t.pos) && everyAdded;
    });
    // Plain dummies that all entered, side by side: the fit multiplies them through their codes.
    if (block.code && !product && everyAdded) indicators.push({ start, count: block.names.length, code: block.code });
  }
  return { names, columns: designColumns(columns), intercept, ...(indicators.length ? { indicators } : {}) };
}
