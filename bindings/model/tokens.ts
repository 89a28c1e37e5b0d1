// A tokenizer shared by the formula and subset-expression parsers. Names may contain letters of any
// script (Chinese column names), digits, "_" and "."; `backticks` quote any other name, as in R (a
// backslash inside backticks escapes the next character, so `a\`b` is the name a`b).
import { DidwasmError, type ErrorCode } from "../errors.js";

export type TokenKind = "name" | "number" | "string" | "op" | "end";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 0-based character offset in the source. */
  readonly pos: number;
  /** A name written in `backticks`: taken literally, never read as syntax (i.year, TRUE). */
  readonly quoted?: boolean;
}

// "[" and "]" mark varying slopes after | (fe[x], fe[[x]]).
// "#" and "##" are no operator of either language: they are tokens so that the formula parser can point
// a Stata user from a#b / a##b to a:b / a*b.
const OPERATORS = ["%in%", "##", "#", "==", "!=", "<=", ">=", "&&", "||", "~", "+", "-", "*", ":", "^", "|", "(", ")", ",", "=", "<", ">", "&", "!", "/", "[", "]"];
const NAME_START = /[\p{L}_.]/u;
const NAME_PART = /[\p{L}\p{N}_.]/u;

/** An error message with the source and a caret under the offending position. */
export function positionedError(code: ErrorCode, what: string, source: string, pos: number, message: string): DidwasmError {
  const caret = " ".repeat(Math.max(0, Math.min(pos, source.length))) + "^";
  return new DidwasmError(code, `${what}: ${message} at position ${pos + 1}\n  ${source}\n  ${caret}`, { position: pos + 1 });
}

/** The name between the backtick at `open` and its closing backtick, and the closing backtick's offset. */
function readBackticked(source: string, open: number, code: ErrorCode, what: string): [string, number] {
  let text = "";
  for (let j = open + 1; j < source.length; j++) {
    const c = source[j];
    if (c === "`") {
      if (text === "") throw positionedError(code, what, source, open, "empty name between backticks");
      return [text, j];
    }
    if (c === "\\" && j + 1 < source.length) j++;
    text += source[j];
  }
  throw positionedError(code, what, source, open, "unclosed backtick");
}

/** For an unclosed quote inside a word (Moody's), the backticked name the user probably meant. */
function quoteInNameAdvice(source: string, at: number): string {
  let start = at;
  while (start > 0 && NAME_PART.test(source[start - 1])) start--;
  let end = at + 1;
  while (end < source.length && NAME_PART.test(source[end])) end++;
  if (start === at) return "";
  const name = source.slice(start, end);
  return `; if ${name} is a column name, put it in backticks: ${quoteName(name)}`;
}

/** Stata's factor-variable prefixes (i.year, ib2010.year, ibn.year, c.x): a formula that has one is
 *  Stata syntax, unless the name is quoted. */
export const STATA_PREFIX = /^(i|c|ib\d+|ibn)\./;

const PLAIN_NAME = /^[\p{L}_.][\p{L}\p{N}_.]*$/u;
/** Names the parsers read as values or functions when written bare. */
const RESERVED = new Set(["TRUE", "FALSE"]);

/** A column name as it must be written in a formula or subset: bare when it is a plain identifier,
 *  otherwise in backticks as in R (`ln gdp`, `ire-index`, `Moody's`), backticks and backslashes escaped. */
export function quoteName(name: string): string {
  const plain = PLAIN_NAME.test(name) && !/^\.\d/.test(name) && !STATA_PREFIX.test(name) && !RESERVED.has(name);
  return plain ? name : nameInMessage(name);
}

/** A column name inside an error message: always in backticks, as R and fixest quote names, so that a
 *  name with spaces reads unambiguously and can be copied into a formula. */
export function nameInMessage(name: string): string {
  return "`" + name.replace(/[\\`]/g, (c) => "\\" + c) + "`";
}

export function tokenize(source: string, code: ErrorCode, what: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "`") {
      const [text, close] = readBackticked(source, i, code, what);
      out.push({ kind: "name", text, pos: i, quoted: true });
      i = close + 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const close = source.indexOf(ch, i + 1);
      if (close < 0) throw positionedError(code, what, source, i, "unclosed quote" + quoteInNameAdvice(source, i));
      out.push({ kind: "string", text: source.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(i));
    if (num && !(ch === "." && NAME_PART.test(source[i + 1] ?? "") && !/\d/.test(source[i + 1] ?? ""))) {
      out.push({ kind: "number", text: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < source.length && NAME_PART.test(source[j])) j++;
      out.push({ kind: "name", text: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw positionedError(code, what, source, i, `unexpected character "${ch}"`);
    out.push({ kind: "op", text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: "end", text: "", pos: source.length });
  return out;
}

/** A cursor over tokens with the helpers both parsers need. */
export class TokenStream {
  private i = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly source: string,
    private readonly code: ErrorCode,
    private readonly what: string,
  ) {}
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  /** Index of the next token in `tokens`. */
  get index(): number {
    return this.i;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== "end") this.i++;
    return t;
  }
  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "op" && t.text === text;
  }
  accept(text: string): boolean {
    if (this.isOp(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  expectOp(text: string, context: string): Token {
    const t = this.peek();
    if (t.kind === "op" && t.text === text) return this.next();
    throw this.error(t, `expected "${text}" ${context}, found ${describe(t)}`);
  }
  expectName(context: string): Token {
    const t = this.peek();
    if (t.kind === "name") return this.next();
    throw this.error(t, `expected ${context}, found ${describe(t)}`);
  }
  error(t: Token, message: string): DidwasmError {
    return positionedError(this.code, this.what, this.source, t.pos, message);
  }
}

export function describe(t: Token): string {
  if (t.kind === "end") return "the end";
  if (t.kind === "string") return `"${t.text}" (a string)`;
  return `"${t.text}"`;
}
