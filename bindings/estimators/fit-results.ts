// What a fit gives besides its coefficients, as fixest's methods do: the fixed effects' values (fixef()),
// fitted values and residuals aligned to the input rows (predict(), resid(na.rm = FALSE)), and Wald tests
// of a set of coefficients (wald()).
//
// Fixed-effect values: each observation's sum of fixed effects is y - e - x'b (the raw regressors, not the
// demeaned ones); the values are then solved with one reference set to 0 per connected component, by
// fixest's rule (fixef-references.ts), so they match fixef() level for level. Levels are named as fixest
// names them (a^b: "a_b"); within a fixed effect they are sorted numerically when every name is a whole
// number, by code point otherwise (fixest sorts text in R's locale: compare by name, not by position).
import { DidwasmError } from "../errors.js";
import type { Design } from "../model/design.js";
import type { FixefEncoding } from "../model/sample.js";
import type { Frame } from "../data/frame.js";
import { waldTest } from "../stats/wald.js";
import { fixefPlan, solveFixef } from "./fixef-references.js";
import { keepMatching } from "./keep-pattern.js";

export interface FixedEffectValues {
  /** The fixed effect as the formula names it (firm, firm^year). */
  readonly name: string;
  readonly levels: readonly string[];
  readonly values: Float64Array;
  /** Levels set to 0 (fixest's attr "references"). */
  readonly references: number;
}

export interface FixefValues {
  readonly effects: readonly FixedEffectValues[];
  /** False when a fixed effect after the first needs more than one reference (disconnected groups, or a
   *  fixed effect collinear with another): the values are then not comparable across components, as
   *  fixest's note says. */
  readonly regular: boolean;
}

export interface WaldResult {
  /** The pattern, as given. */
  readonly keep: string;
  /** The coefficients tested, in the model's order. */
  readonly coefficients: readonly string[];
  /** F statistic b' V^-1 b / df1, its upper-tail p-value on (df1, df2) degrees of freedom. */
  readonly stat: number;
  readonly p: number;
  readonly df1: number;
  /** n minus every parameter, fixed effects included (fixest: nobs - nparams), whatever the variance. */
  readonly df2: number;
  readonly vcov: string;
}

/** One value per input row: value(i) at the row of sample position i, NaN elsewhere. */
export function alignedToInput(nrow: number, rows: Int32Array, value: (i: number) => number): Float64Array {
  const out = new Float64Array(nrow).fill(NaN);
  for (let i = 0; i < rows.length; i++) out[rows[i]] = value(i);
  return out;
}

interface FixefSource {
  readonly frame: Frame;
  readonly rows: Int32Array;
  readonly resid: Float64Array;
  readonly fixef: readonly FixefEncoding[];
  readonly y?: Float64Array;
  readonly design?: Design;
}

export function fixefOfFit(inn: FixefSource, coefNames: readonly string[], coef: Float64Array): FixefValues {
  if (inn.fixef.length === 0) throw new DidwasmError("BAD_OPTION", "the model has no fixed effects: there are no fixed-effect values to report");
  if (!inn.y || !inn.design) throw new DidwasmError("BAD_OPTION", "fixed-effect values are not available for this estimator's fits");
  if (inn.fixef.some((f) => f.slopes)) throw new DidwasmError("BAD_OPTION", "fixed-effect values of models with varying slopes (fe[x]) are not available yet");
  const n = inn.rows.length;
  const sums = new Float64Array(n);
  const y = inn.y;
  const resid = inn.resid; // once: a large fit recomputes its residuals on the first read
  for (let i = 0; i < n; i++) sums[i] = y[i] - resid[i];
  coefNames.forEach((name, k) => {
    const x = inn.design!.columns[inn.design!.names.indexOf(name)];
    for (let i = 0; i < n; i++) sums[i] -= x[i] * coef[k];
  });
  const plan = fixefPlan(inn.fixef);
  const flat = solveFixef(plan, inn.fixef, sums);
  const effects = inn.fixef.map((f, q) => {
    const labels = levelLabels(inn.frame, inn.rows, f);
    const order = sortedLevels(labels);
    return {
      name: f.name,
      levels: order.map((g) => labels[g]),
      values: Float64Array.from(order, (g) => flat[plan.base[q] + g]),
      references: plan.references[q],
    };
  });
  const refs = effects.reduce((s, e) => s + e.references, 0);
  return { effects, regular: refs <= inn.fixef.length - 1 };
}

/** The name of each level: its first observation's values of the fixed effect's columns, joined by "_". */
function levelLabels(frame: Frame, rows: Int32Array, f: FixefEncoding): string[] {
  const columns = f.name.split("^");
  const labels: string[] = new Array(f.G);
  const fIds = f.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < rows.length; i++) {
    const g = fIds[i];
    if (labels[g] === undefined) labels[g] = columns.map((c) => frame.cellText(c, rows[i])).join("_");
  }
  return labels;
}

function sortedLevels(labels: readonly string[]): number[] {
  const order = labels.map((_, g) => g);
  if (labels.every((l) => /^\d+$/.test(l))) return order.sort((a, b) => Number(labels[a]) - Number(labels[b]));
  return order.sort((a, b) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0));
}

/** The values as rows { fe, level, value } (the --fixef-out CSV and the JSON's fixef field). */
export function fixefRows(v: FixefValues): Array<{ fe: string; level: string; value: number }> {
  return v.effects.flatMap((e) => e.levels.map((level, j) => ({ fe: e.name, level, value: e.values[j] })));
}

export function waldOfFit(keep: string, names: readonly string[], coef: Float64Array, V: Float64Array, df2: number, vcov: string): WaldResult {
  const tested = keepMatching(names, keep, "wald");
  if (tested.length === 0) {
    throw new DidwasmError("BAD_OPTION", `wald "${keep}" matches no coefficient (the model has: ${names.join(", ")})`, { option: "wald", pattern: keep });
  }
  const K = names.length;
  const idx = tested.map((t) => names.indexOf(t));
  const q = idx.length;
  const b = idx.map((i) => coef[i]);
  const Vq = new Float64Array(q * q);
  idx.forEach((i, a) => idx.forEach((j, c) => (Vq[a * q + c] = V[i * K + j])));
  const w = waldTest(b, Vq, q, df2);
  if (!w) {
    throw new DidwasmError("NO_VARIANCE", `wald "${keep}": the variance of ${tested.join(", ")} is singular, so their joint test is undefined`, { option: "wald" });
  }
  return { keep, coefficients: tested, stat: w.statistic, p: w.p_value, df1: w.df1, df2, vcov };
}
