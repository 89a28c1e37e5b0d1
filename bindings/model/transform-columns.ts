// The derived columns of a formula (log(x), I(x^2), poly(x, 2), ...; parsed in formula-transforms.ts)
// added to the frame under the names the formula gives them, so that the sample, the design and the
// outcomes read them as any other column.
//
// What fixest does, and so what happens here:
//   - a value that is not finite (log(0) = -Inf, log(-1) = NaN, exp(800) = Inf) removes its row, as a
//     missing value does; a note counts these rows (fixest: "observations removed because of NA and
//     infinite values");
//   - poly() is evaluated on the rows the model can use before missing values are removed, i.e. after
//     the subset (fixest evaluates the formula on the subsetted data, then drops incomplete rows), so an
//     outcome missing on some rows does not change the basis; x missing there is an error, as R's poly()
//     refuses missing values.
import type { Frame } from "../data/frame.js";
import { DidwasmError, isDidwasmError } from "../errors.js";
import { info, type Note } from "../notes.js";
import { designVariables } from "./design.js";
import type { Formula } from "./formula.js";
import { derivedSources, pointwise, type DerivedColumn, type Expr, type PolySpec } from "./formula-transforms.js";
import { pow } from "../stats/libm.js";
import { compileSubset } from "./subset.js";
import { nameInMessage, positionedError } from "./tokens.js";

export interface DerivedFrame {
  readonly frame: Frame;
  /** One note per transform that is not finite on some rows of the model (those rows are removed). */
  readonly notes: readonly Note[];
}

/** Which rows the model may use before missing values are removed: the subset and a caller's row filter. */
export interface ModelRows {
  readonly subset: string | null;
  /** 1 = may enter. */
  readonly rowFilter: Uint8Array | null;
}

/** The frame with the formula's derived columns. The model's rows are worked out only when needed (poly,
 *  or a transform that is not finite somewhere). */
export function withDerivedColumns(frame: Frame, f: Formula, model: ModelRows): DerivedFrame {
  const derived = f.derived ?? [];
  if (derived.length === 0) return { frame, notes: [] };
  let mask: Uint8Array | null | undefined;
  const rowsOfModel = () => (mask === undefined ? (mask = modelRowMask(frame, model)) : mask);
  const read = (name: string, pos: number, d: DerivedColumn) => sourceColumn(frame, f, name, pos, d.name);
  const notes: Note[] = [];
  const bases = new Map<string, Float64Array[]>();
  checkNoClash(frame, derived);
  let out = frame;
  for (const d of derived) {
    let values: Float64Array;
    if (d.kind === "expr") {
      values = evaluate(d.expr, frame.nrow, (name, pos) => read(name, pos, d));
      const lost = nonFiniteToMissing(values, d, (name, pos) => read(name, pos, d), rowsOfModel);
      if (lost > 0) {
        notes.push(info("nonfinite_dropped", `${lost} observation(s) removed because ${d.name} is not finite there (a log of 0 or of a negative number, an overflow), as fixest removes them`));
      }
    } else {
      let basis = bases.get(d.poly.label);
      if (!basis) bases.set(d.poly.label, (basis = polyBasis(d.poly, evaluate(d.poly.x, frame.nrow, (name, pos) => read(name, pos, d)), rowsOfModel(), frame, d)));
      values = basis[d.power - 1];
    }
    out = out.withColumn({ kind: "numeric", name: d.name, values, allFinite: values.every((v) => v - v === 0) });
  }
  return { frame: out, notes };
}

/** 1 where a row passes the subset and the row filter; null when there is neither. */
function modelRowMask(frame: Frame, model: ModelRows): Uint8Array | null {
  if (!model.subset && !model.rowFilter) return null;
  const mask = model.subset ? compileSubset(model.subset, frame).evaluate() : new Uint8Array(frame.nrow).fill(1);
  if (model.rowFilter) for (let r = 0; r < frame.nrow; r++) if (!model.rowFilter[r]) mask[r] = 0;
  return mask;
}

/** A data column with the very name of a derived column would be read where the formula means the
 *  transform (or the other way round): refused, naming both. */
function checkNoClash(frame: Frame, derived: readonly DerivedColumn[]): void {
  for (const d of derived) {
    if (!frame.has(d.name)) continue;
    throw new DidwasmError(
      "FORMULA_SYNTAX",
      `the data has a column named ${nameInMessage(d.name)}, and the formula computes ${d.name} from ${derivedSources(d).map((s) => nameInMessage(s.name)).join(", ")}: rename the column to use it`,
      { column: d.name },
    );
  }
}

/** A numeric data column read by a transform; an unknown or non-numeric one is an error at its place in
 *  the formula. */
function sourceColumn(frame: Frame, f: Formula, name: string, pos: number, within: string): Float64Array {
  try {
    return frame.numeric(name, "variable");
  } catch (e) {
    if (!isDidwasmError(e)) throw e;
    throw positionedError(e.code, "formula", f.source, pos, `${e.message} (used in ${within})`);
  }
}

function evaluate(e: Expr, n: number, column: (name: string, pos: number) => Float64Array): Float64Array {
  switch (e.kind) {
    case "col":
      return Float64Array.from(column(e.name, e.pos));
    case "num":
      return new Float64Array(n).fill(e.value);
    case "paren":
      return evaluate(e.arg, n, column);
    case "neg":
      return evaluate(e.arg, n, column).map((v) => -v);
    case "call": {
      const fn = pointwise(e.fn);
      return evaluate(e.arg, n, column).map(fn);
    }
    case "bin": {
      const a = evaluate(e.a, n, column);
      const b = evaluate(e.b, n, column);
      switch (e.op) {
        case "+":
          return a.map((v, i) => v + b[i]);
        case "-":
          return a.map((v, i) => v - b[i]);
        case "*":
          return a.map((v, i) => v * b[i]);
        case "/":
          return a.map((v, i) => v / b[i]);
        case "^":
          return a.map((v, i) => rPower(v, b[i]));
      }
    }
  }
}

/** Sets non-finite values to missing (NaN) and counts, among the model's rows, those where every input
 *  was present: those the transform itself removes. */
function nonFiniteToMissing(values: Float64Array, d: DerivedColumn, column: (name: string, pos: number) => Float64Array, modelRows: () => Uint8Array | null): number {
  let any = false;
  for (let i = 0; i < values.length; i++) {
    if (values[i] - values[i] !== 0) any = true;
  }
  if (!any) return 0;
  const inputs = derivedSources(d).map((s) => column(s.name, s.pos));
  const rows = modelRows();
  let lost = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] - values[i] === 0) continue;
    values[i] = NaN;
    if (rows && !rows[i]) continue;
    if (inputs.every((x) => !Number.isNaN(x[i]))) lost++;
  }
  return lost;
}

/** The columns of poly(x, degree) over the model's rows (NaN elsewhere): raw powers x^1..x^d, or R's
 *  orthogonal polynomials - column k is the part of (x - mean)^k orthogonal to the lower powers, scaled
 *  to unit length (what stats::poly's QR gives: Q's column times the sign of R's diagonal). */
function polyBasis(p: PolySpec, x: Float64Array, rows: Uint8Array | null, frame: Frame, d: DerivedColumn): Float64Array[] {
  const idx: number[] = [];
  let bad = 0;
  let firstBad = -1;
  for (let i = 0; i < x.length; i++) {
    if (rows && !rows[i]) continue;
    if (x[i] - x[i] !== 0) {
      if (firstBad < 0) firstBad = i;
      bad++;
    } else idx.push(i);
  }
  if (bad > 0) {
    throw new DidwasmError(
      "BAD_DATA",
      `${p.label}: its variable is missing or not finite on ${bad} row(s) of the model (first: ${frame.describeRow(firstBad)}); R's poly() refuses missing values, and fixest with it: remove those rows with a subset`,
      { column: derivedSources(d)[0]?.name, row: firstBad },
    );
  }
  const unique = new Set(idx.map((i) => x[i])).size;
  if (p.degree >= unique) {
    throw new DidwasmError("BAD_DATA", `${p.label}: the degree must be less than the number of distinct values of its variable (${unique}), as in R`, {
      column: derivedSources(d)[0]?.name,
    });
  }
  const xs = Float64Array.from(idx, (i) => x[i]);
  const cols = p.raw ? rawPowers(xs, p.degree) : orthogonalPolynomials(xs, p.degree);
  return cols.map((c) => {
    const full = new Float64Array(x.length).fill(NaN);
    idx.forEach((i, k) => (full[i] = c[k]));
    return full;
  });
}

function rawPowers(x: Float64Array, degree: number): Float64Array[] {
  return Array.from({ length: degree }, (_, k) => x.map((v) => rPower(v, k + 1)));
}

/** x^y as R's ^ computes it (R_pow): x * x for y = 2, otherwise pow (libm's, the same bits everywhere). */
function rPower(x: number, y: number): number {
  return y === 2 ? x * x : pow(x, y);
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Orthonormal polynomial columns of degrees 1..d: each next column is x times the previous one, made
 *  orthogonal to all before it by Gram-Schmidt, twice (the second pass removes what rounding left of the
 *  first, "twice is enough"), then scaled to unit length. Its residual is the one of (x - mean)^k, with
 *  a positive factor, so the sign is R's. */
export function orthogonalPolynomials(x: Float64Array, degree: number): Float64Array[] {
  const m = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / m;
  const xc = x.map((v) => v - mean);
  const basis: Float64Array[] = [new Float64Array(m).fill(1 / Math.sqrt(m))];
  for (let k = 1; k <= degree; k++) {
    const prev = basis[k - 1];
    const v = xc.map((xi, i) => xi * prev[i]);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const c = dot(v, q);
        for (let i = 0; i < m; i++) v[i] -= c * q[i];
      }
    }
    const norm = Math.sqrt(dot(v, v));
    basis.push(v.map((t) => t / norm));
  }
  return basis.slice(1);
}

/** The data columns a formula reads (derived columns replaced by the columns they are computed from):
 *  outcomes, regressors, i() variables, fixed effects and slope variables. */
export function formulaDataColumns(f: Formula): string[] {
  const sources = new Map((f.derived ?? []).map((d) => [d.name, derivedSources(d).map((s) => s.name)]));
  const vars = designVariables(f);
  const names = [
    ...f.outcomes,
    ...vars.numeric.map((x) => x.name),
    ...vars.categorical.map((x) => x.name),
    ...f.fixef.flatMap((fe) => [...fe.vars, ...(fe.slopes?.vars ?? [])]),
  ];
  return [...new Set(names.flatMap((n) => sources.get(n) ?? [n]))];
}
