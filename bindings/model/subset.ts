// Row filters written like R's subset(): comparisons (== != < <= > >=), & and |, !, arithmetic (+ - * /),
// parentheses, %in% c(...), numbers, "strings" and column names. A comparison involving a missing value
// is false, so rows with missing values in the filter's columns are excluded (as R's subset() does).
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import { TokenStream, describe, tokenize, type Token } from "./tokens.js";

type Value = number | string | null; // null = missing
type RowFn = (row: number) => Value;

const WHAT = "subset";

/** Deepest nesting of parentheses, ! and unary minus, and longest evaluation chain (a + b + ... is one
 *  closure per operator, evaluated recursively for each row): beyond these the JavaScript stack could
 *  overflow, so the expression is refused with a message instead. */
const MAX_NESTING = 200;
const MAX_DEPTH = 1000;

function truthy(v: Value): boolean {
  return v !== null && v !== 0 && v !== "";
}

class SubsetCompiler {
  readonly used = new Set<string>();
  private nesting = 0;
  /** Evaluation depth of each compiled node (leaves are 1). */
  private readonly depth = new WeakMap<RowFn, number>();
  constructor(private readonly ts: TokenStream, private readonly frame: Frame) {}

  /** Records fn as a node over children, refusing trees too deep to evaluate. */
  private node(fn: RowFn, at: Token, ...children: RowFn[]): RowFn {
    const d = 1 + Math.max(0, ...children.map((c) => this.depth.get(c) ?? 1));
    if (d > MAX_DEPTH) throw this.ts.error(at, `the expression is too long (more than ${MAX_DEPTH} operations in a chain)`);
    this.depth.set(fn, d);
    return fn;
  }

  private nest<T>(at: Token, parse: () => T): T {
    if (++this.nesting > MAX_NESTING) throw this.ts.error(at, `the expression is nested more than ${MAX_NESTING} levels deep`);
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  orExpr(): RowFn {
    let left = this.andExpr();
    for (let at = this.ts.peek(); this.ts.accept("|") || this.ts.accept("||"); at = this.ts.peek()) {
      const a = left;
      const b = this.andExpr();
      left = this.node((r) => (truthy(a(r)) || truthy(b(r)) ? 1 : 0), at, a, b);
    }
    return left;
  }

  andExpr(): RowFn {
    let left = this.notExpr();
    for (let at = this.ts.peek(); this.ts.accept("&") || this.ts.accept("&&"); at = this.ts.peek()) {
      const a = left;
      const b = this.notExpr();
      left = this.node((r) => (truthy(a(r)) && truthy(b(r)) ? 1 : 0), at, a, b);
    }
    return left;
  }

  notExpr(): RowFn {
    const at = this.ts.peek();
    if (this.ts.accept("!")) {
      const a = this.nest(at, () => this.notExpr());
      return this.node((r) => {
        const v = a(r);
        return v === null ? null : truthy(v) ? 0 : 1;
      }, at, a);
    }
    return this.comparison();
  }

  comparison(): RowFn {
    const left = this.sum();
    const t = this.ts.peek();
    if (t.kind === "op" && t.text === "%in%") {
      this.ts.next();
      const set = this.valueList();
      return this.node((r) => {
        const v = left(r);
        return v === null ? 0 : set.some((s) => s === v || (typeof s === "number" && typeof v === "string" && String(s) === v)) ? 1 : 0;
      }, t, left);
    }
    const ops = ["==", "!=", "<=", ">=", "<", ">"];
    // east = 1 is Stata's and SQL's equality; in R it is an assignment.
    if (t.kind === "op" && t.text === "=") {
      const fixed = this.ts.source.slice(0, t.pos) + "==" + this.ts.source.slice(t.pos + 1);
      throw this.ts.error(t, `use == to compare, a single = is not a comparison: ${fixed}`);
    }
    if (t.kind === "op" && ops.includes(t.text)) {
      this.ts.next();
      const right = this.sum();
      const op = t.text;
      return this.node((r) => {
        let a = left(r);
        let b = right(r);
        if (a === null || b === null) return 0;
        if (typeof a !== typeof b) {
          // A text column compared with a number: compare as text ("2012" == 2012).
          a = String(a);
          b = String(b);
        }
        switch (op) {
          case "==": return a === b ? 1 : 0;
          case "!=": return a !== b ? 1 : 0;
          case "<": return a < b ? 1 : 0;
          case "<=": return a <= b ? 1 : 0;
          case ">": return a > b ? 1 : 0;
          default: return a >= b ? 1 : 0;
        }
      }, t, left, right);
    }
    return left;
  }

  sum(): RowFn {
    let left = this.product();
    for (;;) {
      const op = this.ts.isOp("+") ? "+" : this.ts.isOp("-") ? "-" : null;
      if (!op) return left;
      const at = this.ts.next();
      const a = left;
      const b = this.product();
      left = this.node(this.arith(a, b, op, at.pos), at, a, b);
    }
  }

  product(): RowFn {
    let left = this.unary();
    for (;;) {
      const op = this.ts.isOp("*") ? "*" : this.ts.isOp("/") ? "/" : null;
      if (!op) return left;
      const at = this.ts.next();
      const a = left;
      const b = this.unary();
      left = this.node(this.arith(a, b, op, at.pos), at, a, b);
    }
  }

  private arith(a: RowFn, b: RowFn, op: string, pos: number): RowFn {
    return (r) => {
      const x = a(r);
      const y = b(r);
      if (x === null || y === null) return null;
      if (typeof x !== "number" || typeof y !== "number") {
        throw new DidwasmError("SUBSET_SYNTAX", `subset: "${op}" at position ${pos + 1} needs numbers, got text`, { position: pos + 1 });
      }
      return op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : x / y;
    };
  }

  unary(): RowFn {
    const at = this.ts.peek();
    if (this.ts.accept("-")) {
      const a = this.nest(at, () => this.unary());
      return this.node((r) => {
        const v = a(r);
        return typeof v === "number" ? -v : null;
      }, at, a);
    }
    return this.atom();
  }

  atom(): RowFn {
    const t = this.ts.next();
    if (t.kind === "number") {
      const v = Number(t.text);
      return () => v;
    }
    if (t.kind === "string") {
      const v = t.text;
      return () => v;
    }
    if (t.kind === "op" && t.text === "(") {
      const e = this.nest(t, () => this.orExpr());
      this.ts.expectOp(")", "to close (");
      return e;
    }
    if (t.kind === "name") {
      if (t.text === "TRUE" || t.text === "FALSE") {
        const v = t.text === "TRUE" ? 1 : 0;
        return () => v;
      }
      const col = this.frame.column(t.text, "column in subset");
      this.used.add(t.text);
      if (col.kind === "numeric") {
        const vals = col.values;
        return (r) => (Number.isNaN(vals[r]) ? null : vals[r]);
      }
      const { codes, levels } = col;
      return (r) => (codes[r] < 0 ? null : levels[codes[r]]);
    }
    throw this.ts.error(t, `expected a value or column name, found ${describe(t)}`);
  }

  private valueList(): Value[] {
    const t = this.ts.peek();
    if (!(t.kind === "name" && t.text === "c")) throw this.ts.error(t, "expected c(...) after %in%");
    this.ts.next();
    this.ts.expectOp("(", "after c");
    const out: Value[] = [];
    do {
      const v = this.ts.next();
      if (v.kind === "number") out.push(Number(v.text));
      else if (v.kind === "op" && v.text === "-" && this.ts.peek().kind === "number") out.push(-Number(this.ts.next().text));
      else if (v.kind === "string") out.push(v.text);
      else throw this.ts.error(v, `expected a number or a string, found ${describe(v)}`);
    } while (this.ts.accept(","));
    this.ts.expectOp(")", "to close c(");
    return out;
  }
}

export interface CompiledSubset {
  readonly source: string;
  /** Columns the filter reads. */
  readonly columns: readonly string[];
  /** 1 for rows kept. */
  evaluate(): Uint8Array;
}

export function compileSubset(source: string, frame: Frame): CompiledSubset {
  const ts = new TokenStream(tokenize(source, "SUBSET_SYNTAX", WHAT), source, "SUBSET_SYNTAX", WHAT);
  if (ts.peek().kind === "end") throw ts.error(ts.peek(), "the subset expression is empty");
  const c = new SubsetCompiler(ts, frame);
  const fn = c.orExpr();
  const end = ts.peek();
  if (end.kind !== "end") throw ts.error(end, `unexpected ${describe(end)}`);
  return {
    source,
    columns: [...c.used],
    evaluate() {
      const keep = new Uint8Array(frame.nrow);
      for (let r = 0; r < frame.nrow; r++) keep[r] = truthy(fn(r)) ? 1 : 0;
      return keep;
    },
  };
}
