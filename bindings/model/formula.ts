// Formulas in fixest syntax:
//   y ~ x1 + x2 + a:b + a*b + i(f, ref = r) + i(f, x) | fe1 + fe2 + fe1^fe2
//   c(y1, y2) ~ ...        several outcomes sharing the demeaned regressors
//   ~ ... - 1  or  + 0     no intercept (only meaningful without fixed effects)
// `a*b` expands to a + b + a:b; `:` multiplies; `i(f)` makes one dummy per level of f but the reference
// level(s) (`ref = r` or `ref = c(r1, r2)`); `i(f, x)` interacts those dummies with the numeric x.
import { TokenStream, describe, tokenize, type Token } from "./tokens.js";

export interface VarFactor {
  readonly kind: "var";
  readonly name: string;
  readonly pos: number;
}

export interface FactorDummies {
  readonly kind: "i";
  /** The variable whose levels become dummies. */
  readonly name: string;
  /** Optional numeric variable the dummies multiply. */
  readonly with: string | null;
  /** Reference levels (omitted), as written: numbers or strings. */
  readonly ref: ReadonlyArray<number | string>;
  readonly pos: number;
}

export type Factor = VarFactor | FactorDummies;

/** A product of factors (one regressor, or one block of dummies when it holds an i()). */
export interface Term {
  readonly factors: readonly Factor[];
  readonly pos: number;
}

/** A fixed effect: one variable, or the combination of several (fe1^fe2). */
export interface FixefTerm {
  readonly vars: readonly string[];
  readonly name: string;
  readonly pos: number;
}

export interface Formula {
  readonly source: string;
  readonly outcomes: readonly string[];
  readonly terms: readonly Term[];
  readonly intercept: boolean;
  readonly fixef: readonly FixefTerm[];
}

const WHAT = "formula";

/** Identity of a term, for dropping repeats: its factors in any order. JSON keeps it unambiguous for any
 *  name (a backticked column `a:b` is not the product a:b). */
function termKey(t: Term): string {
  return JSON.stringify(t.factors.map((f) => JSON.stringify(f.kind === "var" ? [f.name] : [f.name, f.with, f.ref])).sort());
}

function parseValue(ts: TokenStream): number | string {
  const t = ts.next();
  if (t.kind === "number") return Number(t.text);
  if (t.kind === "op" && t.text === "-" && ts.peek().kind === "number") return -Number(ts.next().text);
  if (t.kind === "string" || t.kind === "name") return t.text;
  throw ts.error(t, `expected a reference level, found ${describe(t)}`);
}

function parseI(ts: TokenStream, start: Token): FactorDummies {
  ts.expectOp("(", "after i");
  const name = ts.expectName("the variable of i()").text;
  let withVar: string | null = null;
  let ref: Array<number | string> = [];
  while (ts.accept(",")) {
    const key = ts.peek();
    if (key.kind === "name" && ts.isOp("=", 1)) {
      ts.next();
      ts.next();
      if (key.text !== "ref") throw ts.error(key, `i() takes "ref = ...", not "${key.text}"`);
      if (ts.peek().kind === "name" && ts.peek().text === "c" && ts.isOp("(", 1)) {
        ts.next();
        ts.next();
        ref = [parseValue(ts)];
        while (ts.accept(",")) ref.push(parseValue(ts));
        ts.expectOp(")", "to close c(");
      } else ref = [parseValue(ts)];
    } else {
      if (withVar !== null) throw ts.error(key, "i() takes one variable to interact with");
      withVar = ts.expectName("a variable to interact with, or ref = ...").text;
    }
  }
  ts.expectOp(")", "to close i(");
  return { kind: "i", name, with: withVar, ref, pos: start.pos };
}

function parseFactor(ts: TokenStream): Factor {
  const t = ts.peek();
  if (t.kind === "name" && t.text === "i" && ts.isOp("(", 1)) {
    ts.next();
    return parseI(ts, t);
  }
  if (t.kind === "name") {
    ts.next();
    if (ts.isOp("(")) throw ts.error(t, `unknown function "${t.text}()": use i() for factor dummies or create the variable first`);
    return { kind: "var", name: t.text, pos: t.pos };
  }
  throw ts.error(t, `expected a variable name, found ${describe(t)}`);
}

/** At most this many terms from one crossing a*b*...: 2^k - 1 terms for k distinct parts, so 10 parts. */
const MAX_CROSSED_TERMS = 1023;

/** Factors of a product, a repeated variable counted once (R's rule: a:a is a). */
function mergeFactors(ts: TokenStream, at: Token, a: readonly Factor[], b: readonly Factor[]): Factor[] {
  const out = [...a];
  for (const f of b) {
    if (f.kind === "var" && out.some((g) => g.kind === "var" && g.name === f.name)) continue;
    out.push(f);
  }
  if (out.filter((f) => f.kind === "i").length > 1) throw ts.error(at, "a term can hold at most one i()");
  return out;
}

/** product := factor (":" factor)* */
function parseProduct(ts: TokenStream): Term {
  const pos = ts.peek().pos;
  let factors = [parseFactor(ts)];
  for (let at = ts.peek(); ts.accept(":"); at = ts.peek()) factors = mergeFactors(ts, at, factors, [parseFactor(ts)]);
  return { factors, pos };
}

/** crossed := product ("*" product)*, expanded to every non-empty sub-product (a*b*c: a, b, c, a:b, a:c,
 *  b:c, a:b:c), each distinct product once (a*b*a is a + b + a:b, as in R). */
function parseCrossed(ts: TokenStream): Term[] {
  let out: Term[] = [parseProduct(ts)];
  for (let at = ts.peek(); ts.accept("*"); at = ts.peek()) {
    const part = parseProduct(ts);
    const next = [...out, part, ...out.map((t) => ({ factors: mergeFactors(ts, at, t.factors, part.factors), pos: t.pos }))];
    const seen = new Set<string>();
    out = next.filter((t) => {
      const k = termKey(t);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (out.length > MAX_CROSSED_TERMS) throw ts.error(at, `this crossing expands to more than ${MAX_CROSSED_TERMS} terms`);
  }
  return out.sort((a, b) => a.factors.length - b.factors.length);
}

function parseOutcomes(ts: TokenStream): string[] {
  const t = ts.peek();
  if (t.kind === "name" && t.text === "c" && ts.isOp("(", 1)) {
    ts.next();
    ts.next();
    const names = [ts.expectName("an outcome variable").text];
    while (ts.accept(",")) {
      const t = ts.expectName("an outcome variable");
      if (names.includes(t.text)) throw ts.error(t, `outcome "${t.text}" appears twice`);
      names.push(t.text);
    }
    ts.expectOp(")", "to close c(");
    return names;
  }
  return [ts.expectName("the outcome variable before ~").text];
}

export function parseFormula(source: string): Formula {
  const ts = new TokenStream(tokenize(source, "FORMULA_SYNTAX", WHAT), source, "FORMULA_SYNTAX", WHAT);
  if (ts.peek().kind === "end") throw ts.error(ts.peek(), "the formula is empty");
  const outcomes = parseOutcomes(ts);
  ts.expectOp("~", "after the outcome");
  const terms: Term[] = [];
  let intercept = true;
  let sign = 1;
  for (;;) {
    const t = ts.peek();
    if (t.kind === "number" && (t.text === "0" || t.text === "1")) {
      ts.next();
      if (t.text === "0" || sign < 0) intercept = false;
    } else {
      if (sign < 0) throw ts.error(t, "only the intercept can be removed with -; drop the variable instead");
      terms.push(...parseCrossed(ts));
    }
    if (ts.accept("+")) sign = 1;
    else if (ts.accept("-")) sign = -1;
    else break;
  }
  const fixef: FixefTerm[] = [];
  if (ts.accept("|")) {
    do {
      const first = ts.expectName("a fixed-effect variable");
      const vars = [first.text];
      while (ts.accept("^")) vars.push(ts.expectName("a variable to combine with ^").text);
      fixef.push({ vars, name: vars.join("^"), pos: first.pos });
    } while (ts.accept("+"));
  }
  const end = ts.peek();
  if (end.kind !== "end") {
    if (end.kind === "op" && end.text === "|") throw ts.error(end, "only one | is allowed (instrumental variables are not supported)");
    throw ts.error(end, `unexpected ${describe(end)}`);
  }
  // Drop repeated terms (x + x, or a*b + a), keeping the first.
  const seen = new Set<string>();
  const unique = terms.filter((t) => {
    const k = termKey(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const fe = new Set<string>();
  for (const f of fixef) {
    if (fe.has(f.name)) throw ts.error({ kind: "name", text: f.name, pos: f.pos }, `fixed effect "${f.name}" appears twice`);
    fe.add(f.name);
  }
  return { source, outcomes, terms: unique, intercept: intercept && fixef.length === 0, fixef };
}

/** The display name of a term's regressor: factor names joined by ":" (i() blocks are named per level). */
export function termLabel(t: Term): string {
  return t.factors.map((f) => (f.kind === "var" ? f.name : `i(${f.name})`)).join(":");
}
