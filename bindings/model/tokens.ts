// A tokenizer shared by the formula and subset-expression parsers. Names may contain letters of any
// script (Chinese column names), digits, "_" and "."; `backticks` quote any other name.
import { DidwasmError, type ErrorCode } from "../errors.js";

export type TokenKind = "name" | "number" | "string" | "op" | "end";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 0-based character offset in the source. */
  readonly pos: number;
}

const OPERATORS = ["%in%", "==", "!=", "<=", ">=", "&&", "||", "~", "+", "-", "*", ":", "^", "|", "(", ")", ",", "=", "<", ">", "&", "!", "/"];
const NAME_START = /[\p{L}_.]/u;
const NAME_PART = /[\p{L}\p{N}_.]/u;

/** An error message with the source and a caret under the offending position. */
export function positionedError(code: ErrorCode, what: string, source: string, pos: number, message: string): DidwasmError {
  const caret = " ".repeat(Math.max(0, Math.min(pos, source.length))) + "^";
  return new DidwasmError(code, `${what}: ${message} at position ${pos + 1}\n  ${source}\n  ${caret}`, { position: pos + 1 });
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
      const close = source.indexOf("`", i + 1);
      if (close < 0) throw positionedError(code, what, source, i, "unclosed backtick");
      out.push({ kind: "name", text: source.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const close = source.indexOf(ch, i + 1);
      if (close < 0) throw positionedError(code, what, source, i, "unclosed quote");
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
    private readonly tokens: Token[],
    readonly source: string,
    private readonly code: ErrorCode,
    private readonly what: string,
  ) {}
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
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
