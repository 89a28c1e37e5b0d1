// The regressors of a formula evaluated over a sample: numeric variables, products (a:b), factor dummies
// i(f, ref = r) and their interactions with a numeric variable i(f, x), and the intercept when no fixed
// effect is absorbed. Dummy columns are named as fixest names them: "f::level" and "f::level:x".
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import type { Factor, FactorDummies, Formula } from "./formula.js";
import { sampleValues, type VariableUse } from "./sample.js";
import { positionedError } from "./tokens.js";

export interface Design {
  readonly names: readonly string[];
  /** One array per regressor, each over the sample rows. */
  readonly columns: readonly Float64Array[];
  readonly intercept: boolean;
  /** Trailing blocks of one-hot 0/1 columns with disjoint supports (event-time dummies, cohort cells):
   *  columns [start, start + count) where row i has its 1 in column start + code[i] (code -1: none).
   *  Declaring them lets the crossproduct cost O(n K) instead of O(n K^2). */
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

function dummyBlock(frame: Frame, f: FactorDummies, rows: Int32Array): { names: string[]; columns: Float64Array[] } {
  const lv = levelsOf(frame, f.name, rows);
  const omitted = new Set<number>();
  for (const r of f.ref) {
    const k = lv.values.findIndex((v) => v === r || String(v) === String(r));
    if (k < 0) {
      throw new DidwasmError(
        "BAD_OPTION",
        `i(${f.name}, ref = ${r}): ${r} is not a value of "${f.name}" in the sample (values: ${lv.labels.slice(0, 12).join(", ")}${lv.labels.length > 12 ? ", ..." : ""})`,
        { column: f.name },
      );
    }
    omitted.add(k);
  }
  const w = f.with ? sampleValues(frame, f.with, rows, "regressor") : null;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  lv.labels.forEach((label, k) => {
    if (omitted.has(k)) return;
    const col = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) if (lv.index[i] === k) col[i] = w ? w[i] : 1;
    names.push(`${f.name}::${label}` + (f.with ? `:${f.with}` : ""));
    columns.push(col);
  });
  return { names, columns };
}

export function buildDesign(frame: Frame, formula: Formula, rows: Int32Array, hasFixef: boolean): Design {
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const byName = new Map<string, number>();
  // Two terms can make the same regressor (i(f, ref = r) + i(f), i(f, x) + i(f):x): it enters once. Two
  // different columns with one name (a data column named `a:b` next to the product a:b) are an error.
  const add = (name: string, col: Float64Array, pos: number) => {
    const k = byName.get(name);
    if (k !== undefined) {
      if (columns[k].every((v, i) => v === col[i])) return;
      throw positionedError("FORMULA_SYNTAX", "formula", formula.source, pos, `two different regressors would both be named "${name}"`);
    }
    byName.set(name, names.length);
    names.push(name);
    columns.push(col);
  };
  const intercept = formula.intercept && !hasFixef;
  if (intercept) add("(Intercept)", new Float64Array(rows.length).fill(1), 0);
  const cache = new Map<string, Float64Array>();
  const numeric = (name: string) => {
    let v = cache.get(name);
    if (!v) {
      v = sampleValues(frame, name, rows, "regressor");
      cache.set(name, v);
    }
    return v;
  };
  for (const t of formula.terms) {
    const dummies = t.factors.find((x): x is FactorDummies => x.kind === "i");
    const vars = t.factors.filter((x): x is Factor & { kind: "var" } => x.kind === "var");
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
    const block = dummyBlock(frame, dummies, rows);
    block.columns.forEach((c, k) => {
      if (product) for (let i = 0; i < c.length; i++) c[i] *= product[i];
      // Factor order as written: factors before i() come first in the name.
      add(t.factors.map((x) => (x.kind === "i" ? block.names[k] : x.name)).join(":"), c, t.pos);
    });
  }
  return { names, columns, intercept };
}
