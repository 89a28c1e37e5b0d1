// Formulas in fixest syntax:
//   y ~ x1 + x2 + a:b + a*b + (a + b):c + i(f) + i(f, ref = r) + i(f, x) | fe1 + fe2 + fe1^fe2
//   c(y1, y2) ~ ...        several outcomes sharing the demeaned regressors
//   ~ ... - 1  or  + 0     no intercept (only meaningful without fixed effects)
// `a*b` expands to a + b + a:b; `:` multiplies; parentheses group terms as in R ((a + b):c is a:c + b:c).
// `i(f)` makes one dummy per level of f; which level is the reference follows fixest (see design.ts):
// `ref = r` / `ref = c(r1, r2)` / `ref = TRUE` (the first level) / `i(f, r)` / `i(f, x, r)` name it, and
// `keep = c(...)` keeps only some levels. `i(f, x)` interacts the dummies with the numeric x.
// Names that are not plain identifiers are written in `backticks`, as in R (quoteName makes them).
// Syntax from Stata (i.year, a#b, absorb(), vce()) is refused with its fixest spelling (formula-hints.ts).
// Instrumental variables, y ~ exo | fe | endo ~ inst, are parsed in formula-iv.ts, for callers that ask.
import { functionHint, hashHint, joinedName, stataCommandHint, stataOptionsHint } from "./formula-hints.js";
import { isBare, parseI, parseName, type FactorDummies } from "./formula-i.js";
import { parseIvPart, startsIvPart, type IvPart as IvPartOf } from "./formula-iv.js";
import { absorbsConstant, mergeSlopeTerms, parseFixefTerm, type SlopeTerm } from "./formula-slopes.js";
import { isTransformCall, parseTransform, type DerivedColumn } from "./formula-transforms.js";
import { TokenStream, describe, nameInMessage, quoteName, tokenize, type Token } from "./tokens.js";

export { nameInMessage, quoteName };
export { writesReference, type FactorDummies, type Level } from "./formula-i.js";
export type IvPart = IvPartOf<Term>;

export interface VarFactor {
  readonly kind: "var";
  readonly name: string;
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
  /** Varying slopes, fe[x] / fe[[x]] (formula-slopes.ts). */
  readonly slopes?: SlopeTerm;
}

export interface Formula {
  readonly source: string;
  readonly outcomes: readonly string[];
  readonly terms: readonly Term[];
  readonly intercept: boolean;
  readonly fixef: readonly FixefTerm[];
  /** The instrumental-variables part (endo ~ inst after the last |); only when parsed with { iv: true }. */
  readonly iv?: IvPart | null;
  /** Columns the formula derives from data columns (log(x), I(x^2), poly(x, 2)), referred to by name in
   *  outcomes and terms (formula-transforms.ts; transform-columns.ts computes them). */
  readonly derived?: readonly DerivedColumn[];
}

const WHAT = "formula";

/** Identity of a term, for dropping repeats: its factors in any order. JSON keeps it unambiguous for any
 *  name (a backticked column `a:b` is not the product a:b). */
function termKey(t: Term): string {
  return JSON.stringify(t.factors.map((f) => JSON.stringify(f.kind === "var" ? [f.name] : [f.name, f.with, f.ref, f.refFirst, f.keep])).sort());
}

function uniqueTerms(terms: readonly Term[]): Term[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const k = termKey(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A "quoted" string where a column name belongs: R quotes names with backticks. */
function quotedNameError(ts: TokenStream, t: Token): never {
  throw ts.error(t, `column names are quoted with backticks, not quotes: ${quoteName(t.text)}`);
}

function unknownFunction(ts: TokenStream, t: Token): never {
  if (["absorb", "vce", "cluster"].includes(t.text)) throw ts.error(t, stataOptionsHint(ts.tokens, ts.index));
  const hint = functionHint(t.text);
  throw ts.error(t, `unknown function "${t.text}()": ${hint ?? "use i() for factor dummies or create the variable first"}`);
}

function parseFactor(ts: TokenStream): Factor {
  const t = ts.peek();
  if (t.kind === "name" && !t.quoted && ts.isOp("(", 1)) {
    if (t.text !== "i") unknownFunction(ts, t);
    ts.next();
    return parseI(ts, t);
  }
  if (t.kind === "name") return { kind: "var", name: parseName(ts, "a variable"), pos: t.pos };
  if (t.kind === "string") quotedNameError(ts, t);
  throw ts.error(t, `expected a variable name, found ${describe(t)}`);
}

/** At most this many terms from one crossing a*b*... or (a + b):(c + d): 2^k - 1 terms for k distinct
 *  parts of a crossing, so 10 parts. */
const MAX_CROSSED_TERMS = 1023;
/** Deepest nesting of parentheses: the parser recurses once per level. */
const MAX_NESTING = 200;

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

/** Right-hand-side terms: sums, products and crossings of terms, with parentheses grouping them. */
class TermParser {
  private nesting = 0;
  constructor(
    private readonly ts: TokenStream,
    /** Derived columns met so far (transforms), shared with the outcome's parser. */
    readonly derived: DerivedColumn[] = [],
  ) {}

  /** Every product of a term of a with a term of b, each distinct product once. */
  private products(at: Token, a: readonly Term[], b: readonly Term[]): Term[] {
    const out = uniqueTerms(a.flatMap((s) => b.map((t) => ({ factors: mergeFactors(this.ts, at, s.factors, t.factors), pos: s.pos }))));
    this.checkSize(at, out);
    return out;
  }

  private checkSize(at: Token, terms: readonly Term[]): void {
    if (terms.length > MAX_CROSSED_TERMS) throw this.ts.error(at, `this crossing expands to more than ${MAX_CROSSED_TERMS} terms`);
  }

  /** atom := factor | "(" crossed ("+" crossed)* ")" (R accepts y ~ (x1), and (a + b):c is a:c + b:c). */
  private atom(): Term[] {
    const t = this.ts.peek();
    // A transform is a regressor of its own (poly(x, 2): one per degree), named as fixest names it.
    if (isTransformCall(this.ts)) return parseTransform(this.ts, this.derived).map((name) => ({ factors: [{ kind: "var", name, pos: t.pos }], pos: t.pos }));
    if (!this.ts.accept("(")) return [{ factors: [parseFactor(this.ts)], pos: t.pos }];
    if (++this.nesting > MAX_NESTING) throw this.ts.error(t, `the formula is nested more than ${MAX_NESTING} levels deep`);
    const terms = this.crossed();
    while (this.ts.accept("+")) terms.push(...this.crossed());
    const close = this.ts.peek();
    if (close.kind === "op" && close.text === "-") throw this.ts.error(close, "- inside parentheses is not supported: write the terms to keep");
    this.ts.expectOp(")", "to close (");
    this.nesting--;
    return uniqueTerms(terms);
  }

  /** product := atom (":" atom)* */
  private product(): Term[] {
    let out = this.atom();
    for (let at = this.ts.peek(); this.ts.accept(":"); at = this.ts.peek()) out = this.products(at, out, this.atom());
    return out;
  }

  /** crossed := product ("*" product)*, expanded to every non-empty sub-product (a*b*c: a, b, c, a:b, a:c,
   *  b:c, a:b:c), each distinct product once (a*b*a is a + b + a:b, as in R), lower orders first. */
  crossed(): Term[] {
    let out = this.product();
    for (let at = this.ts.peek(); this.ts.accept("*"); at = this.ts.peek()) {
      const part = this.product();
      out = uniqueTerms([...out, ...part, ...this.products(at, out, part)]);
      this.checkSize(at, out);
    }
    return out.sort((a, b) => a.factors.length - b.factors.length);
  }
}

/** An outcome: a variable, or a transform of variables (log(y) ~ ...), named as fixest names it. */
function parseOutcome(ts: TokenStream, context: string, derived: DerivedColumn[]): string {
  const t = ts.peek();
  if (!isTransformCall(ts)) return parseName(ts, context);
  if (t.text === "poly") throw ts.error(t, "poly() makes several columns and cannot be an outcome");
  return parseTransform(ts, derived)[0];
}

function parseOutcomes(ts: TokenStream, derived: DerivedColumn[]): string[] {
  const t = ts.peek();
  if (isBare(t, "c") && ts.isOp("(", 1)) {
    ts.next();
    ts.next();
    const names = [parseOutcome(ts, "an outcome variable", derived)];
    while (ts.accept(",")) {
      const at = ts.peek();
      const name = parseOutcome(ts, "an outcome variable", derived);
      if (names.includes(name)) throw ts.error(at, `outcome ${nameInMessage(name)} appears twice`);
      names.push(name);
    }
    ts.expectOp(")", "to close c(");
    return names;
  }
  if (t.kind === "string") quotedNameError(ts, t);
  return [parseOutcome(ts, "the outcome variable before ~", derived)];
}

/** "if `...` is one column, quote it with backticks: `...`" when the name at token `at` runs on into
 *  more names (ln gdp, ire-index); null otherwise. */
function joinedNameAdvice(ts: TokenStream, at: number): string | null {
  const joined = joinedName(ts.tokens, ts.source, at);
  return joined ? `if ${joined} is one column, quote it with backticks: ${joined}` : null;
}

/** The error for a token where the formula should have ended (or gone on with + or |). */
function unexpected(ts: TokenStream, inFixef: boolean): never {
  const t = ts.peek();
  const prev = ts.index - 1;
  if (t.kind === "op") {
    if (t.text === "|") throw ts.error(t, "at most two | are allowed: y ~ regressors | fixed effects | endogenous ~ instruments");
    if (t.text === ",") throw ts.error(t, stataOptionsHint(ts.tokens, ts.index + 1));
    if (t.text === "#" || t.text === "##") throw ts.error(t, hashHint(ts.tokens, ts.index, inFixef));
    if (t.text === "^") throw ts.error(t, "^ combines fixed effects after | (fe1^fe2); regressors are multiplied with x:z");
  }
  // A call among the fixed effects (sw(a, b), factor(a)): name the function rather than the parenthesis.
  if (t.text === "(" && inFixef && ts.tokens[prev]?.kind === "name") {
    const name = ts.tokens[prev].text;
    throw ts.error(t, functionHint(name) ?? `${name}() in the fixed effects: fixed effects are columns, combined as a^b, with slopes as a[x]`);
  }
  if (t.kind === "name") {
    const joined = joinedNameAdvice(ts, prev);
    const lead = inFixef ? "fixed effects are separated by +, as in | unit + year" : "terms are separated by +";
    throw ts.error(t, `unexpected ${describe(t)}: ${lead}${joined ? `; ${joined}` : ""}`);
  }
  if (t.kind === "string") quotedNameError(ts, t);
  throw ts.error(t, `unexpected ${describe(t)}`);
}

/** What a caller can estimate beyond least squares' formulas. */
export interface FormulaOptions {
  /** Accept an instrumental-variables part (feols does); other callers refuse it with a clear error. */
  readonly iv?: boolean;
}

export function parseFormula(source: string, options: FormulaOptions = {}): Formula {
  const ts = new TokenStream(tokenize(source, "FORMULA_SYNTAX", WHAT), source, "FORMULA_SYNTAX", WHAT);
  if (ts.peek().kind === "end") throw ts.error(ts.peek(), "the formula is empty");
  const stata = stataCommandHint(ts.tokens);
  const derived: DerivedColumn[] = [];
  const outcomes = parseOutcomes(ts, derived);
  if (!ts.isOp("~")) {
    const t = ts.peek();
    const advice = stata ?? joinedNameAdvice(ts, ts.index - 1);
    const hint = advice ? `: ${advice}` : "";
    throw ts.error(t, `expected "~" after the outcome, found ${describe(t)}${hint}`);
  }
  ts.next();
  const parser = new TermParser(ts, derived);
  const terms: Term[] = [];
  let intercept = true;
  let sign = 1;
  let minus = -1;
  for (;;) {
    const t = ts.peek();
    if (t.kind === "number" && (t.text === "0" || t.text === "1")) {
      ts.next();
      if (t.text === "0" || sign < 0) intercept = false;
    } else {
      if (sign < 0) {
        // y ~ ire-index: most likely one column named ire-index.
        const advice = joinedNameAdvice(ts, minus - 1);
        throw ts.error(t, `only the intercept can be removed with -; drop the variable instead${advice ? ` (${advice})` : ""}`);
      }
      terms.push(...parser.crossed());
    }
    minus = ts.index;
    if (ts.accept("+")) sign = 1;
    else if (ts.accept("-")) sign = -1;
    else break;
  }
  const fixef: FixefTerm[] = [];
  let iv: IvPart | null = null;
  const ivPart = () => parseIvPart(ts, () => parser.crossed(), terms);
  if (ts.accept("|")) {
    if (startsIvPart(ts)) iv = ivPart();
    else {
      do {
        fixef.push(parseFixefTerm(ts));
      } while (ts.accept("+"));
      if (ts.accept("|")) iv = ivPart();
    }
  }
  if (iv && !options.iv) {
    throw ts.error({ kind: "op", text: "~", pos: iv.pos }, "instrumental variables (endogenous ~ instruments after |) are estimated by fit (feols) only");
  }
  if (ts.peek().kind !== "end") unexpected(ts, fixef.length > 0);
  // Drop repeated terms (x + x, or a*b + a), keeping the first; then order by degree, as R's terms() and
  // so fixest do (y ~ x:z + w has the coefficients w, x:z), keeping the written order within a degree.
  const unique = uniqueTerms(terms).sort((a, b) => a.factors.length - b.factors.length);
  const fe = new Set<string>();
  for (const f of fixef) {
    if (fe.has(f.name)) throw ts.error({ kind: "name", text: f.name, pos: f.pos }, `fixed effect ${f.vars.map(nameInMessage).join("^")} appears twice`);
    fe.add(f.name);
  }
  const merged = mergeSlopeTerms(ts, fixef);
  return { source, outcomes, terms: unique, intercept: intercept && !absorbsConstant(merged), fixef: merged, iv, ...(derived.length ? { derived } : {}) };
}

/** The display name of a term's regressor: factor names joined by ":" (i() blocks are named per level). */
export function termLabel(t: Term): string {
  return t.factors.map((f) => (f.kind === "var" ? f.name : `i(${f.name})`)).join(":");
}
