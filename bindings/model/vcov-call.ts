// The call syntax of fixest's variance requests: a name, arguments in parentheses, then the variables,
// e.g. NW(2):unit+year, DK(lag = 1) ~ year, conley(100, "spherical"):lat+lon. Arguments are positional or
// name = value, quotes optional. Only the reading is here; what each name accepts is in vcov-spec.ts.
import { DidwasmError } from "../errors.js";

export interface VcovCall {
  /** The name as written (NW, conley, cluster, ...). */
  readonly name: string;
  /** The text between the parentheses, or null when there are none. */
  readonly args: string | null;
  /** What follows the name and its parentheses (":a+b", "~ a + b", "" or anything else). */
  readonly rest: string;
}

/** Splits `text` (trimmed) into name, arguments and the rest; null when it does not start with a name. */
export function splitCall(text: string, whole: string): VcovCall | null {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*/.exec(text);
  if (!m) return null;
  let i = m[0].length;
  let args: string | null = null;
  if (text[i] === "(") {
    const close = text.indexOf(")", i);
    if (close < 0) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": the "(" after ${m[1]} has no ")"`, { vcov: whole });
    args = text.slice(i + 1, close).trim();
    i = close + 1;
  }
  return { name: m[1], args, rest: text.slice(i).trim() };
}

export interface CallArgs {
  readonly positional: readonly string[];
  readonly named: ReadonlyMap<string, string>;
}

/** The arguments of a call, each unquoted; names must be among `allowed` (the error lists them). */
export function callArgs(args: string | null, allowed: readonly string[], what: string, whole: string): CallArgs {
  const positional: string[] = [];
  const named = new Map<string, string>();
  if (args === null || args === "") return { positional, named };
  for (const raw of args.split(",")) {
    const part = raw.trim();
    const eq = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(part);
    const value = unquoteArg(eq ? eq[2] : part);
    if (value === "") throw new DidwasmError("BAD_OPTION", `vcov "${whole}": an argument of ${what} is empty`, { vcov: whole });
    if (!eq) {
      if (named.size > 0) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": a positional argument of ${what} follows a named one`, { vcov: whole });
      positional.push(value);
      continue;
    }
    if (!allowed.includes(eq[1])) {
      throw new DidwasmError("BAD_OPTION", `vcov "${whole}": ${what} has no argument "${eq[1]}" (it takes ${allowed.join(", ")})`, { vcov: whole });
    }
    if (named.has(eq[1])) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": argument "${eq[1]}" of ${what} is given twice`, { vcov: whole });
    named.set(eq[1], value);
  }
  if (positional.length > allowed.length) {
    throw new DidwasmError("BAD_OPTION", `vcov "${whole}": ${what} takes at most ${allowed.length} argument(s) (${allowed.join(", ")}), got ${positional.length}`, { vcov: whole });
  }
  return { positional, named };
}

/** Argument `name` (the `index`th when positional), or undefined. */
export function argument(a: CallArgs, name: string, index: number, whole: string): string | undefined {
  const byName = a.named.get(name);
  const byPos = a.positional[index];
  if (byName !== undefined && byPos !== undefined) {
    throw new DidwasmError("BAD_OPTION", `vcov "${whole}": argument "${name}" is given both by position and by name`, { vcov: whole });
  }
  return byName ?? byPos;
}

const unquoteArg = (s: string): string => {
  const t = s.trim();
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1).trim() : t;
};
