// i() in fixest's argument order, i(factor_var, var, ref, keep = ...), and the variable names of a
// formula (Stata's i.year / c.x refused with their fixest spelling). Which level is the reference when
// none is written is decided with the whole model in view, in design.ts.
import { stataPrefixHint } from "./formula-hints.js";
import { STATA_PREFIX, describe, quoteName, type Token, type TokenStream } from "./tokens.js";

/** A level of an i() variable as written in the formula. */
export type Level = number | string;

export interface FactorDummies {
  readonly kind: "i";
  /** The variable whose levels become dummies. */
  readonly name: string;
  /** Optional numeric variable the dummies multiply. */
  readonly with: string | null;
  /** Reference levels (omitted), as written: numbers or strings. */
  readonly ref: readonly Level[];
  /** `ref = TRUE`: the first level (in sorted order) is the reference, as in fixest. */
  readonly refFirst: boolean;
  /** `keep = ...`: only these levels get a dummy; null when not given. */
  readonly keep: readonly Level[] | null;
  readonly pos: number;
}

/** Whether an i() names its own reference or kept levels: fixest then adds no reference of its own. */
export function writesReference(f: FactorDummies): boolean {
  return f.ref.length > 0 || f.refFirst || f.keep !== null;
}

/** A name token written bare (not in backticks) with this text: a keyword, not a column. */
export const isBare = (t: Token, text: string) => t.kind === "name" && !t.quoted && t.text === text;

/** A variable name; Stata's i.year / c.x are refused with their fixest spelling. */
export function parseName(ts: TokenStream, context: string): string {
  const at = ts.index;
  const t = ts.expectName(context);
  if (!t.quoted && STATA_PREFIX.test(t.text)) throw ts.error(t, stataPrefixHint(ts.tokens, at));
  return t.text;
}

function parseValue(ts: TokenStream): Level {
  const t = ts.next();
  if (t.kind === "number") return Number(t.text);
  if (t.kind === "op" && t.text === "-" && ts.peek().kind === "number") return -Number(ts.next().text);
  if (t.kind === "string" || t.kind === "name") return t.text;
  throw ts.error(t, `expected a level, found ${describe(t)}`);
}

/** One level, c(level, ...), or TRUE (the first level; only where `allowFirst`). */
function parseLevels(ts: TokenStream, what: string, allowFirst: boolean): { values: Level[]; first: boolean } {
  const t = ts.peek();
  if (isBare(t, "TRUE") || isBare(t, "FALSE")) {
    ts.next();
    if (t.text === "TRUE" && allowFirst) return { values: [], first: true };
    throw ts.error(t, `i(): ${what} = ${t.text} is not supported: give levels, as in ${what} = c(1, 2)${allowFirst ? ", or ref = TRUE for the first level" : ""}`);
  }
  if (isBare(t, "c") && ts.isOp("(", 1)) {
    ts.next();
    ts.next();
    const values = [parseValue(ts)];
    while (ts.accept(",")) values.push(parseValue(ts));
    ts.expectOp(")", "to close c(");
    return { values, first: false };
  }
  return { values: [parseValue(ts)], first: false };
}

/** A second argument of i() that is a value, not a variable: fixest reads it as the reference. */
function isLevelToken(ts: TokenStream): boolean {
  const t = ts.peek();
  return t.kind === "number" || t.kind === "string" || (t.kind === "op" && t.text === "-") ||
    isBare(t, "TRUE") || isBare(t, "FALSE") || (isBare(t, "c") && ts.isOp("(", 1));
}

/** The numeric variable of i(f, x); Stata-style i.x (a second factor) is refused. */
function parseInteracted(ts: TokenStream, f: string): string {
  const t = ts.peek();
  if (t.kind === "name" && !t.quoted && /^i\./.test(t.text)) {
    throw ts.error(t, `i(${quoteName(f)}, ${t.text}) interacts two factors, which is not supported: use the combined fixed effect ${quoteName(f)}^${quoteName(t.text.slice(2))} after |, or a column that combines them`);
  }
  return parseName(ts, "a variable to interact with");
}

/** i(factor_var, var, ref, keep = ...), fixest's argument order: the third unnamed argument is ref, and a
 *  value (not a variable) in second place is ref too, as fixest reads i(period, 5). */
export function parseI(ts: TokenStream, start: Token): FactorDummies {
  ts.expectOp("(", "after i");
  let name: string | null = null;
  let withVar: string | null = null;
  let ref: { values: Level[]; first: boolean } | null = null;
  let keep: Level[] | null = null;
  const setRef = (at: Token, r: { values: Level[]; first: boolean }) => {
    if (ref) throw ts.error(at, "i() is given a reference twice");
    ref = r;
  };
  let unnamed = 0;
  do {
    const key = ts.peek();
    if (key.kind === "name" && !key.quoted && ts.isOp("=", 1)) {
      ts.next();
      ts.next();
      switch (key.text) {
        case "factor_var":
          if (name !== null) throw ts.error(key, "i() is given its variable twice");
          name = parseName(ts, "the variable of i()");
          break;
        case "var":
          if (withVar !== null) throw ts.error(key, "i() takes one variable to interact with");
          withVar = parseInteracted(ts, name ?? "f");
          break;
        case "ref":
          setRef(key, parseLevels(ts, "ref", true));
          break;
        case "keep":
          if (keep) throw ts.error(key, "i() is given keep twice");
          keep = parseLevels(ts, "keep", false).values;
          break;
        case "bin":
        case "bin2":
          throw ts.error(key, `i(): ${key.text} is not supported: recode the variable into a new column first`);
        case "ref2":
        case "keep2":
          throw ts.error(key, `i(): ${key.text} applies when i() interacts two factors, which is not supported: use a combined fixed effect a^b after |`);
        default:
          throw ts.error(key, `i() takes factor_var, var, ref and keep, not "${key.text}"`);
      }
      continue;
    }
    unnamed++;
    if (unnamed === 1 && name === null) name = parseName(ts, "the variable of i()");
    else if (unnamed <= 2 && withVar === null && !isLevelToken(ts)) withVar = parseInteracted(ts, name ?? "f");
    else if (unnamed <= 3) {
      const r = parseLevels(ts, "ref", true);
      // fixest takes a value of length 1 or 2 in second place as ref; a longer one must be a variable.
      if (unnamed === 2 && r.values.length > 2) throw ts.error(key, "i(): more than two reference levels in second place; write ref = c(...)");
      setRef(key, r);
    } else throw ts.error(key, "i() takes at most three unnamed arguments (factor_var, var, ref): name the others, as in keep = c(...)");
  } while (ts.accept(","));
  ts.expectOp(")", "to close i(");
  if (name === null) throw ts.error(start, "i() needs the variable whose levels become dummies");
  const r = ref as { values: Level[]; first: boolean } | null;
  return { kind: "i", name, with: withVar, ref: r?.values ?? [], refFirst: r?.first ?? false, keep, pos: start.pos };
}
