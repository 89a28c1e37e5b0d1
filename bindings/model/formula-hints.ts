// Error hints for formulas written the way Stata or another R function would take them: they name the
// fixest spelling, so a user learns the syntax from the error instead of from the manual.
//   reghdfe y x, absorb(unit year) vce(cluster unit)   ->  y ~ x | unit + year, vcov "cluster:unit"
//   i.year, ib2010.year, c.x, a#b, a##b                  ->  i(year), i(year, ref = 2010), x, a:b, a*b
//   ln gdp, ire-index, Moody's (one column each)         ->  `ln gdp`, `ire-index`, `Moody's`
import { STATA_PREFIX, quoteName, type Token } from "./tokens.js";

/** Stata estimation commands a pasted do-file line may start with. */
const STATA_COMMANDS = new Set([
  "reghdfe", "regress", "reg", "areg", "xtreg", "ivreghdfe", "ppmlhdfe", "logit", "probit", "logistic", "didregress", "xtdidregress", "csdid", "eventdd", "did_imputation", "did2s", "jwdid",
]);

/** Whether `word` is Stata's abbreviation of the option `full`: a prefix at least `min` characters long
 *  (r for robust, a for absorb, cl for cluster). */
export function abbreviates(word: string, full: string, min: number): boolean {
  return word.length >= min && full.startsWith(word);
}

/** The fixest spelling of one Stata variable: i.year -> i(year), ib2010.year -> i(year, ref = 2010),
 *  c.x -> x; any other name as it is written in a formula (quoteName). */
export function fixestVariable(stata: string): string {
  const m = STATA_PREFIX.exec(stata);
  if (!m) return quoteName(stata);
  const name = quoteName(stata.slice(m[0].length));
  const base = /^ib(\d+)$/.exec(m[1]);
  if (m[1] === "c") return name;
  if (base) return `i(${name}, ref = ${base[1]})`;
  return `i(${name})`;
}

/** Message for a Stata factor-variable name (i.year, c.x) at tokens[at], met where a variable was
 *  expected. */
export function stataPrefixHint(tokens: readonly Token[], at: number): string {
  const name = tokens[at].text;
  const next = tokens[at + 1];
  if (next?.kind === "op" && (next.text === "#" || next.text === "##")) return hashHint(tokens, at + 1, false);
  const prefix = STATA_PREFIX.exec(name);
  const bare = quoteName(prefix ? name.slice(prefix[0].length) : name);
  const literal = `(a column really named ${name} goes in backticks: \`${name}\`)`;
  if (prefix?.[1] === "c") return `Stata's ${name} is written ${bare} here: variables are continuous unless put in i() ${literal}`;
  return `Stata's ${name} is written ${fixestVariable(name)} here, or a fixed effect after |, as in \`| ${bare}\` ${literal}`;
}

/** A Stata term starting at tokens[at]: a name, then any "# name" / "## name"; as written and in
 *  fixest syntax (c.x#c.z -> x:z, a##b -> a*b, i.g#c.x -> i(g):x), and the index after it. */
function stataTerm(tokens: readonly Token[], at: number): { stata: string; fixest: string; next: number } {
  let stata = tokens[at].text;
  let fixest = fixestVariable(tokens[at].text);
  let i = at + 1;
  for (; tokens[i]?.kind === "op" && (tokens[i].text === "#" || tokens[i].text === "##") && tokens[i + 1]?.kind === "name"; i += 2) {
    stata += tokens[i].text + tokens[i + 1].text;
    fixest += (tokens[i].text === "#" ? ":" : "*") + fixestVariable(tokens[i + 1].text);
  }
  return { stata, fixest, next: i };
}

/** Message for Stata's # or ## at tokens[at]; `inFixef`: after |, where a#b is the combined effect a^b. */
export function hashHint(tokens: readonly Token[], at: number, inFixef: boolean): string {
  const before = tokens[at - 1];
  const after = tokens[at + 1];
  if (inFixef && before?.kind === "name" && after?.kind === "name") {
    return `Stata's absorb(${before.text}#${after.text}) is the combined fixed effect ${quoteName(before.text)}^${quoteName(after.text)} here`;
  }
  const meaning = "(a#b is the product a:b, a##b is a + b + a:b, written a*b)";
  if (before?.kind !== "name") return `# is Stata syntax ${meaning}`;
  const t = stataTerm(tokens, at - 1);
  return `Stata's ${t.stata} is written ${t.fixest} here ${meaning}`;
}

/** Stata variables of a token run, translated: names (with their prefixes), a#b and a##b. Stops at the
 *  first token that is neither. */
function stataVariables(tokens: readonly Token[], from: number): { vars: string[]; next: number } {
  const vars: string[] = [];
  let i = from;
  while (tokens[i]?.kind === "name") {
    const term = stataTerm(tokens, i);
    vars.push(term.fixest);
    i = term.next;
  }
  return { vars, next: i };
}

/** Everything between the parentheses opened at tokens[open] (a "(" token), as names; the index after ")". */
function parenNames(tokens: readonly Token[], open: number): { names: string[]; next: number } {
  const names: string[] = [];
  let i = open + 1;
  let depth = 1;
  for (; i < tokens.length && tokens[i].kind !== "end"; i++) {
    const t = tokens[i];
    if (t.kind === "op" && t.text === "(") depth++;
    else if (t.kind === "op" && t.text === ")" && --depth === 0) return { names, next: i + 1 };
    else if (depth === 1 && t.kind === "op" && t.text === ",") {
      // absorb(unit, savefe): what follows the comma are absorb's own options.
      while (i + 1 < tokens.length && !(tokens[i + 1].kind === "op" && tokens[i + 1].text === ")")) i++;
    } else if (t.kind === "name") names.push(t.text);
    else if (t.kind === "op" && t.text === "#") names.push("#");
  }
  return { names, next: i };
}

interface StataOptions {
  fixef: string[];
  vcov: string | null;
}

/** Reads Stata options (absorb(), vce(), cluster(), robust) from tokens[from]; unknown ones are skipped. */
function stataOptions(tokens: readonly Token[], from: number): StataOptions {
  const out: StataOptions = { fixef: [], vcov: null };
  let i = from;
  while (i < tokens.length && tokens[i].kind !== "end") {
    const t = tokens[i];
    const call = t.kind === "name" && tokens[i + 1]?.kind === "op" && tokens[i + 1].text === "(";
    if (!call) {
      if (t.kind === "name" && abbreviates(t.text, "robust", 1)) out.vcov = "hetero";
      i++;
      continue;
    }
    const { names, next } = parenNames(tokens, i + 1);
    const opt = t.text;
    if (abbreviates(opt, "absorb", 1)) {
      // absorb(state#year) is the combined fixed effect state^year.
      const fe: string[] = [];
      names.forEach((n, k) => {
        if (n === "#") return;
        if (names[k - 1] === "#" && fe.length > 0) fe[fe.length - 1] += "^" + fixestVariable(n.replace(STATA_PREFIX, ""));
        else fe.push(fixestVariable(n.replace(STATA_PREFIX, "")));
      });
      out.fixef.push(...fe);
    } else if (opt === "vce" || abbreviates(opt, "cluster", 2)) {
      const vars = opt === "vce" ? names.slice(1) : names;
      const kind = opt === "vce" ? names[0] ?? "" : "cluster";
      if (/^cl/.test(kind) && vars.length > 0) out.vcov = `cluster:${vars.join("+")}`;
      else if (/^r/.test(kind)) out.vcov = "hetero";
      else if (kind === "ols") out.vcov = "iid";
    }
    i = next;
  }
  return out;
}

function vcovAdvice(vcov: string | null): string {
  return vcov ? `, with the option vcov "${vcov}" (--vcov ${vcov})` : "";
}

/** For a formula without "~" that reads like a Stata command line (reghdfe y x1 x2, absorb(unit year)),
 *  the fixest formula it means; null when it does not look like one. */
export function stataCommandHint(tokens: readonly Token[]): string | null {
  if (tokens.some((t) => t.kind === "op" && t.text === "~")) return null;
  let i = 0;
  const command = tokens[0]?.kind === "name" && STATA_COMMANDS.has(tokens[0].text) ? tokens[0].text : null;
  if (command) i = 1;
  const { vars, next } = stataVariables(tokens, i);
  if (vars.length < 2 && !command) return null;
  if (vars.length === 0) return `${command} is a Stata command; write a formula such as y ~ x | unit + year`;
  const options = tokens[next]?.kind === "op" && tokens[next].text === "," ? stataOptions(tokens, next + 1) : { fixef: [], vcov: null };
  const rhs = vars.length > 1 ? vars.slice(1).join(" + ") : "1";
  const fe = options.fixef.length > 0 ? ` | ${options.fixef.join(" + ")}` : "";
  return `this looks like Stata syntax (${command ?? "outcome and regressors separated by spaces"}); in fixest syntax it is ${vars[0]} ~ ${rhs}${fe}${vcovAdvice(options.vcov)}`;
}

/** For Stata options met inside a formula (y ~ x, absorb(unit year), or absorb()/vce() used as
 *  functions): where each goes instead. */
export function stataOptionsHint(tokens: readonly Token[], from: number): string {
  const o = stataOptions(tokens, from);
  const parts: string[] = [];
  if (o.fixef.length > 0) parts.push(`fixed effects go after |, as in y ~ x | ${o.fixef.join(" + ")}`);
  if (o.vcov) parts.push(`the variance is the option vcov "${o.vcov}" (--vcov ${o.vcov})`);
  if (parts.length === 0) parts.push("fixed effects go after | (y ~ x | unit + year) and the variance is the vcov option (--vcov cluster:unit)");
  return `Stata options are not part of a formula: ${parts.join("; ")}`;
}

/** Advice for a function the formula language does not have; null for none in particular. */
export function functionHint(name: string): string | null {
  // absorb(), vce() and cluster() never get here: unknownFunction (formula.ts) answers them with
  // stataOptionsHint, which reads their arguments.
  switch (name) {
    case "factor":
    case "as.factor":
    case "C":
      return `${name}() is written i(var) here (one dummy per level, the first level the reference), or absorb the variable as a fixed effect after |`;
    case "fe":
    case "FE":
      return "fixed effects go after |, as in y ~ x | unit + year";
    case "ib":
      return "Stata's ib(first).year / ib2010.year is written i(year, ref = 2010) here";
    case "ln":
      return "the natural logarithm is log(x)";
    case "log2":
      return "write log(x)/log(2); log(), log10(), log1p(), exp(), expm1(), sqrt(), abs(), I() and poly() are supported";
    case "sunab":
      return "sunab() is its own command here (didwasm sunab --cohort ... or sunAbraham())";
    case "sw":
    case "sw0":
    case "csw":
    case "csw0":
      return `stepwise ${name}() expands into several models, which didwasm fit, fepois and feglm (feolsModels and feglmModels in the library) estimate: here, give one model per formula`;
    case "mvsw":
      return "mvsw() is not supported: sw(), csw(), sw0() and csw0() are, in didwasm fit";
    default:
      return null;
  }
}

/** The name a user may have meant when a name is followed by more of itself: `ln gdp` for "ln gdp",
 *  `ire-index` for "ire-index". `first` is the index of the first name's token. */
export function joinedName(tokens: readonly Token[], source: string, first: number): string | null {
  const start = tokens[first];
  if (start?.kind !== "name" || start.quoted) return null;
  let i = first + 1;
  let end = start.pos + start.text.length;
  for (;;) {
    const t = tokens[i];
    if (t?.kind === "name" && !t.quoted) {
      end = t.pos + t.text.length;
      i++;
    } else if (t?.kind === "op" && t.text === "-" && tokens[i + 1]?.kind === "name" && tokens[i + 1].pos === t.pos + 1 && t.pos === end) {
      end = tokens[i + 1].pos + tokens[i + 1].text.length;
      i += 2;
    } else break;
  }
  return i > first + 1 ? quoteName(source.slice(start.pos, end)) : null;
}
