// fixest's `keep` patterns (keep_apply in its miscfuns.R): a regular expression selects the names it
// matches anywhere; a leading "!" selects the names it does not match; a leading "%" (for named vectors in
// fixest) is dropped, since coefficient names are the only names here. R reads POSIX extended regular
// expressions: their bracket classes ([[:digit:]], [[:alpha:]], ...) are translated, the rest of the
// syntax common to both (., *, +, ?, |, ^, $, [..], (..), {m,n}, \\.) is JavaScript's too.
import { DidwasmError } from "../errors.js";

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  digit: "0-9", alpha: "A-Za-z", alnum: "A-Za-z0-9", upper: "A-Z", lower: "a-z", space: "\\s", blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~", xdigit: "0-9A-Fa-f", word: "\\w",
};

/** The names `pattern` keeps, in their order. */
export function keepMatching(names: readonly string[], pattern: string, what: string): string[] {
  let p = pattern;
  if (p.startsWith("!%")) p = "%!" + p.slice(2);
  if (p.startsWith("%")) p = p.slice(1);
  const negate = p.startsWith("!");
  if (negate) p = p.slice(1);
  let re: RegExp;
  try {
    re = new RegExp(p.replace(/\[:(\w+):\]/g, (m, cls: string) => POSIX_CLASSES[cls] ?? m), "u");
  } catch (e) {
    throw new DidwasmError("BAD_OPTION", `${what} "${pattern}" is not a valid regular expression: ${(e as Error).message}`, { pattern });
  }
  return names.filter((n) => re.test(n) !== negate);
}
