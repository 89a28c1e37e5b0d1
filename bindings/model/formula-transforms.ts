// Transforms of variables written in a formula, evaluated as R evaluates them before fixest sees the
// columns: log(x), log10, log1p, exp, expm1, sqrt, abs (with bindings/stats/libm.ts, the same bits on
// every engine); I(expr) with + - * / ^ on columns and
// numbers (I(x^2), I(x * z), I(x - 1)); poly(x, d) (orthogonal polynomials, as stats::poly) and
// poly(x, d, raw = TRUE). Each transform makes a derived column named by R's deparse of the call, which
// is how fixest names its coefficients: `I(Wind * Temp)`, `exp(Month/10)`, `I(x - 1e+05)`, and for
// poly of degree d > 1 one column per degree, `poly(x, 2)1`, `poly(x, 2)2`. The columns themselves are
// computed in transform-columns.ts; here they are parsed and named.
import { exp, expm1, log, log10, log1p } from "../stats/libm.js";
import { describe, quoteName, type Token, type TokenStream } from "./tokens.js";

/** Functions applied value by value; I() returns its argument. */
const POINTWISE = {
  log,
  log10,
  log1p,
  exp,
  expm1,
  sqrt: Math.sqrt,
  abs: Math.abs,
  I: (x: number) => x,
} as const;

export type PointwiseName = keyof typeof POINTWISE;

export const pointwise = (fn: PointwiseName): ((x: number) => number) => POINTWISE[fn];

/** An arithmetic expression over columns, as R parsed it (parentheses kept: R's deparse prints them). */
export type Expr =
  | { readonly kind: "col"; readonly name: string; readonly pos: number }
  | { readonly kind: "num"; readonly value: number }
  | { readonly kind: "neg"; readonly arg: Expr }
  | { readonly kind: "bin"; readonly op: BinaryOp; readonly a: Expr; readonly b: Expr }
  | { readonly kind: "paren"; readonly arg: Expr }
  | { readonly kind: "call"; readonly fn: PointwiseName; readonly arg: Expr };

export type BinaryOp = "+" | "-" | "*" | "/" | "^";

/** poly(x, degree, raw = ...): the basis is computed once over the model's rows (transform-columns.ts). */
export interface PolySpec {
  readonly x: Expr;
  readonly degree: number;
  readonly raw: boolean;
  /** R's deparse of the whole call, the stem of the column names. */
  readonly label: string;
}

/** A column the formula derives from data columns; `name` is how the formula (and fixest) names it. */
export type DerivedColumn =
  | { readonly kind: "expr"; readonly name: string; readonly pos: number; readonly expr: Expr }
  | { readonly kind: "poly"; readonly name: string; readonly pos: number; readonly poly: PolySpec; /** 1-based degree */ readonly power: number };

const TRANSFORMS = new Set<string>([...Object.keys(POINTWISE), "poly"]);

/** Whether the next tokens start a transform call (a bare known function name followed by "("). */
export function isTransformCall(ts: TokenStream): boolean {
  const t = ts.peek();
  return t.kind === "name" && !t.quoted && TRANSFORMS.has(t.text) && ts.isOp("(", 1);
}

/** Parses a transform call at the cursor, records its derived column(s) in `derived` (once per name) and
 *  returns their names in order (several for poly of degree > 1). */
export function parseTransform(ts: TokenStream, derived: DerivedColumn[]): string[] {
  const start = ts.peek();
  const made: DerivedColumn[] = start.text === "poly" ? parsePoly(ts) : [{ kind: "expr", name: "", pos: start.pos, expr: parseCall(ts) }];
  const out: string[] = [];
  for (const d of made) {
    const named = d.kind === "expr" ? { ...d, name: deparse(d.expr) } : d;
    if (!derived.some((x) => x.name === named.name)) derived.push(named);
    out.push(named.name);
  }
  return out;
}

/** fn(expr) for a pointwise function. */
function parseCall(ts: TokenStream): Expr {
  const name = ts.next();
  ts.expectOp("(", `after ${name.text}`);
  const arg = parseExpr(ts, name);
  if (ts.isOp(",")) {
    const hint = name.text === "log" ? ": for another base write log(x)/log(b), or log10(x)" : "";
    throw ts.error(ts.peek(), `${name.text}() takes one argument here${hint}`);
  }
  ts.expectOp(")", `to close ${name.text}(`);
  return { kind: "call", fn: name.text as PointwiseName, arg };
}

/** Largest polynomial degree accepted: beyond it the powers lose every digit to rounding anyway. */
const MAX_POLY_DEGREE = 20;

/** poly(x, degree) / poly(x, degree = d, raw = TRUE), arguments in R's order (x, then degree). */
function parsePoly(ts: TokenStream): DerivedColumn[] {
  const name = ts.next();
  ts.expectOp("(", "after poly");
  const x = parseExpr(ts, name);
  const args: string[] = [deparse(x)];
  let degree: number | null = null;
  let raw = false;
  while (ts.accept(",")) {
    const t = ts.peek();
    if (t.kind === "name" && !t.quoted && ts.isOp("=", 1)) {
      ts.next();
      ts.next();
      if (t.text === "degree") {
        degree = polyDegree(ts);
        args.push(`degree = ${rNumber(degree)}`);
      } else if (t.text === "raw") {
        const v = ts.next();
        if (!(v.kind === "name" && !v.quoted && ["TRUE", "FALSE", "T", "F"].includes(v.text))) throw ts.error(v, `poly(): raw must be TRUE or FALSE, found ${describe(v)}`);
        raw = v.text === "TRUE" || v.text === "T";
        args.push(`raw = ${v.text}`);
      } else {
        throw ts.error(t, `poly(): unknown argument "${t.text}" (poly(x, degree, raw = TRUE) is supported)`);
      }
    } else if (degree === null) {
      degree = polyDegree(ts);
      args.push(rNumber(degree));
    } else {
      throw ts.error(t, "poly() of several variables is not supported: write one poly() per variable");
    }
  }
  ts.expectOp(")", "to close poly(");
  if (degree === null) degree = 1; // R's default
  const label = `poly(${args.join(", ")})`;
  const poly: PolySpec = { x, degree, raw, label };
  // R names the columns of a one-column matrix term by the term alone: poly(x, 1), not poly(x, 1)1.
  return Array.from({ length: degree }, (_, k) => ({ kind: "poly", name: degree === 1 ? label : `${label}${k + 1}`, pos: name.pos, poly, power: k + 1 }));
}

function polyDegree(ts: TokenStream): number {
  const t = ts.next();
  const d = Number(t.text);
  if (t.kind !== "number" || !Number.isInteger(d) || d < 1 || d > MAX_POLY_DEGREE) {
    throw ts.error(t, `poly(): the degree must be a whole number from 1 to ${MAX_POLY_DEGREE}, found ${describe(t)}`);
  }
  return d;
}

/** expr := term (("+" | "-") term)*, R's precedence: ^ binds tightest (right to left), then unary minus,
 *  then * and /, then + and -. `fn` is the call the expression is an argument of, for messages. */
function parseExpr(ts: TokenStream, fn: Token): Expr {
  let e = parseProduct(ts, fn);
  while (ts.isOp("+") || ts.isOp("-")) {
    const op = ts.next().text as BinaryOp;
    e = { kind: "bin", op, a: e, b: parseProduct(ts, fn) };
  }
  return e;
}

function parseProduct(ts: TokenStream, fn: Token): Expr {
  let e = parseUnary(ts, fn);
  while (ts.isOp("*") || ts.isOp("/")) {
    const op = ts.next().text as BinaryOp;
    e = { kind: "bin", op, a: e, b: parseUnary(ts, fn) };
  }
  return e;
}

function parseUnary(ts: TokenStream, fn: Token): Expr {
  if (ts.accept("-")) return { kind: "neg", arg: parseUnary(ts, fn) };
  if (ts.accept("+")) return parseUnary(ts, fn);
  return parsePower(ts, fn);
}

function parsePower(ts: TokenStream, fn: Token): Expr {
  const base = parsePrimary(ts, fn);
  // The exponent may carry a sign (x^-1) and is itself a power (2^3^2 is 2^9), as in R.
  return ts.accept("^") ? { kind: "bin", op: "^", a: base, b: parseUnary(ts, fn) } : base;
}

function parsePrimary(ts: TokenStream, fn: Token): Expr {
  const t = ts.peek();
  if (t.kind === "number") {
    ts.next();
    return { kind: "num", value: Number(t.text) };
  }
  if (ts.accept("(")) {
    const arg = parseExpr(ts, fn);
    ts.expectOp(")", "to close (");
    return { kind: "paren", arg };
  }
  if (t.kind === "name" && !t.quoted && ts.isOp("(", 1)) {
    if (t.text in POINTWISE) return parseCall(ts);
    throw ts.error(t, `${t.text}() is not supported inside ${fn.text}(): the functions are ${Object.keys(POINTWISE).join(", ")}`);
  }
  if (t.kind === "name") {
    ts.next();
    return { kind: "col", name: t.text, pos: t.pos };
  }
  if (t.kind === "string") throw ts.error(t, `column names are quoted with backticks, not quotes: ${quoteName(t.text)}`);
  throw ts.error(t, `expected a variable or a number inside ${fn.text}(), found ${describe(t)}`);
}

/** R's deparse of an expression: spaces around + - *, none around / and ^, numbers as R prints them. */
export function deparse(e: Expr): string {
  switch (e.kind) {
    case "col":
      return quoteName(e.name);
    case "num":
      return rNumber(e.value);
    case "neg":
      return `-${deparse(e.arg)}`;
    case "paren":
      return `(${deparse(e.arg)})`;
    case "call":
      return `${e.fn}(${deparse(e.arg)})`;
    case "bin":
      return e.op === "/" || e.op === "^" ? `${deparse(e.a)}${e.op}${deparse(e.b)}` : `${deparse(e.a)} ${e.op} ${deparse(e.b)}`;
  }
}

/** A number as R's deparse writes it: 15 significant digits at most, fixed notation unless scientific is
 *  shorter (1e+05, 1e-04, but 0.001 and 123456), exponents with at least two digits. */
export function rNumber(v: number): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return v > 0 ? "Inf" : "-Inf";
  const target = Number(v.toPrecision(15));
  let sig = 1;
  while (sig < 15 && Number(v.toPrecision(sig)) !== target) sig++;
  const [mant, exp] = v.toExponential(sig - 1).split("e");
  const e10 = Number(exp);
  const sci = `${mant}e${e10 < 0 ? "-" : "+"}${String(Math.abs(e10)).padStart(2, "0")}`;
  const fixed = v.toFixed(Math.max(0, sig - 1 - e10));
  return fixed.length <= sci.length ? fixed : sci;
}

/** Data columns an expression reads, in order of appearance. */
export function exprColumns(e: Expr, out: Array<{ name: string; pos: number }> = []): Array<{ name: string; pos: number }> {
  switch (e.kind) {
    case "col":
      if (!out.some((c) => c.name === e.name)) out.push({ name: e.name, pos: e.pos });
      break;
    case "neg":
    case "paren":
    case "call":
      exprColumns(e.arg, out);
      break;
    case "bin":
      exprColumns(e.a, out);
      exprColumns(e.b, out);
      break;
    case "num":
      break;
  }
  return out;
}

/** Data columns a derived column reads. */
export function derivedSources(d: DerivedColumn): Array<{ name: string; pos: number }> {
  return exprColumns(d.kind === "expr" ? d.expr : d.poly.x);
}
