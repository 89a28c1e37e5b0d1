// fixest's stepwise functions, expanded into one formula per model before the formula parser sees any:
//   sw(a, b)     a; b                    sw0(a, b)   (none); a; b
//   csw(a, b)    a; a + b                csw0(a, b)  (none); a; a + b
// in the regressors (y ~ x + csw(a, b)) and in the fixed effects (| csw0(id, year)), at most one per part
// (fixest's rule). A stepwise call is a term of its own, joined to the others by +: fixest refuses it in a
// product or inside another function, and so does this. Each step's text replaces the call where it stood,
// so the coefficients come in fixest's order (y ~ sw(a, b) + x: a, x; then b, x). Outcomes in c(y1, y2)
// are left to the parser (one fit per outcome, sharing the demeaning).
// The expansion works on tokens, not the parsed formula, so that everything the parser accepts inside a
// step (i(), a:b, transforms) is accepted here unchanged.
import { positionedError, tokenize, type Token } from "./tokens.js";

const WHAT = "formula";
const STEPWISE = new Set(["sw", "sw0", "csw", "csw0"]);

/** One step of the stepwise function of a formula part. */
export interface Step {
  /** 0-based position in the expansion (sw0/csw0: step 0 is the one without the stepwise terms). */
  readonly index: number;
  /** The terms this step adds, e.g. "a + b"; "" for the empty step of sw0/csw0. */
  readonly terms: string;
}

export interface StepwiseModel {
  /** The model's formula, as the parser reads it. */
  readonly formula: string;
  /** The step of the regressors' stepwise function, or null when they have none. */
  readonly rhs: Step | null;
  /** The step of the fixed effects' stepwise function, or null when they have none. */
  readonly fixef: Step | null;
}

interface Part {
  /** Token index range [from, to) in the formula's tokens. */
  readonly from: number;
  readonly to: number;
}

interface Call {
  readonly fn: string;
  /** Token indices of the function name and of its closing parenthesis. */
  readonly start: number;
  readonly close: number;
  readonly args: readonly string[];
}

const isOp = (t: Token | undefined, ...ops: string[]) => t !== undefined && t.kind === "op" && ops.includes(t.text);
const isCall = (tokens: readonly Token[], i: number) => tokens[i].kind === "name" && !tokens[i].quoted && isOp(tokens[i + 1], "(");

/** The formula's parts at parenthesis depth 0: the outcomes, then what the first "~" and each "|" start (a
 *  later "~" belongs to an instrument part, | endo ~ inst). */
function splitParts(tokens: readonly Token[]): { lhs: Part; rest: Part[] } {
  const cuts: number[] = [];
  let depth = 0;
  let tilde = false;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")")) depth--;
    else if (depth === 0 && (isOp(tokens[i], "|") || (isOp(tokens[i], "~") && !tilde))) {
      tilde ||= tokens[i].text === "~";
      cuts.push(i);
    }
  }
  const end = tokens.length - 1; // the "end" token
  const bounds = [...cuts, end];
  const lhs = { from: 0, to: cuts.length ? cuts[0] : end };
  const rest = cuts.map((c, k) => ({ from: c + 1, to: bounds[k + 1] }));
  return { lhs, rest };
}

/** Whether a part after "|" is an instrument part (endo ~ inst) rather than fixed effects. */
function isInstrumentPart(tokens: readonly Token[], p: Part): boolean {
  let depth = 0;
  for (let i = p.from; i < p.to; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")")) depth--;
    else if (depth === 0 && isOp(tokens[i], "~")) return true;
  }
  return false;
}

/** The index of the parenthesis closing the one at `open`. */
function closingParen(tokens: readonly Token[], open: number, source: string): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")") && --depth === 0) return i;
  }
  throw positionedError("FORMULA_SYNTAX", WHAT, source, tokens[open].pos, "unclosed (");
}

/** The arguments of the call whose name is at `start`, as source text split at its top-level commas. */
function callArgs(tokens: readonly Token[], start: number, close: number, source: string): string[] {
  const fn = tokens[start].text;
  const args: string[] = [];
  let from = start + 2;
  let depth = 0;
  for (let i = start + 2; i <= close; i++) {
    const t = tokens[i];
    if (isOp(t, "(")) depth++;
    else if (isOp(t, ")") && i < close) depth--;
    else if (depth === 0 && isOp(t, "=")) throw positionedError("FORMULA_SYNTAX", WHAT, source, t.pos, `${fn}() takes terms only, not named arguments`);
    if (i === close || (depth === 0 && isOp(t, ","))) {
      if (i === from) throw positionedError("FORMULA_SYNTAX", WHAT, source, t.pos, `${fn}() needs a term ${i === close && args.length === 0 ? "inside" : "between commas"}`);
      args.push(source.slice(tokens[from].pos, t.pos).trim());
      from = i + 1;
    }
  }
  return args;
}

/** The stepwise call of a part, if any, checking fixest's rules: one per part, a term of its own. */
function stepwiseCall(tokens: readonly Token[], p: Part, source: string, where: string): Call | null {
  let found: Call | null = null;
  let depth = 0;
  for (let i = p.from; i < p.to; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")")) depth--;
    if (!(isCall(tokens, i) && STEPWISE.has(tokens[i].text))) {
      if (isCall(tokens, i) && tokens[i].text === "mvsw") throw positionedError("FORMULA_SYNTAX", WHAT, source, tokens[i].pos, "mvsw() is not supported: use sw(), csw(), sw0() or csw0()");
      continue;
    }
    const t = tokens[i];
    const close = closingParen(tokens, i + 1, source);
    if (found) throw positionedError("FORMULA_SYNTAX", WHAT, source, t.pos, `only one stepwise function is allowed in the ${where} (fixest's rule): ${found.fn}() already expands them`);
    const before = i === p.from || isOp(tokens[i - 1], "+");
    const after = close + 1 === p.to || isOp(tokens[close + 1], "+", "-");
    if (depth > 0 || !before || !after) {
      throw positionedError("FORMULA_SYNTAX", WHAT, source, t.pos, `${t.text}() must be a term of its own, joined to the others by + (fixest cannot combine it in a product or inside another function)`);
    }
    found = { fn: t.text, start: i, close, args: callArgs(tokens, i, close, source) };
    i = close;
  }
  return found;
}

/** The token index of the first stepwise call in a part, or -1. */
function firstStepwise(tokens: readonly Token[], p: Part): number {
  for (let i = p.from; i < p.to; i++) if (isCall(tokens, i) && (STEPWISE.has(tokens[i].text) || tokens[i].text === "mvsw")) return i;
  return -1;
}

/** The steps of a stepwise call: sw gives each term alone, csw accumulates them; the 0 forms start empty. */
function stepsOf(c: Call): string[][] {
  const steps = c.fn.startsWith("c") ? c.args.map((_, k) => c.args.slice(0, k + 1)) : c.args.map((a) => [a]);
  return c.fn.endsWith("0") ? [[], ...steps] : steps;
}

/** A part's text with its stepwise call replaced by `terms` (and a + next to it dropped when empty). */
function spliced(tokens: readonly Token[], source: string, p: Part, c: Call, terms: string): string {
  const partStart = tokens[p.from].pos;
  const partEnd = tokens[p.to].pos;
  let before = source.slice(partStart, tokens[c.start].pos).trim();
  let after = source.slice(tokens[c.close].pos + 1, partEnd).trim();
  if (terms === "") {
    if (before.endsWith("+")) before = before.slice(0, -1).trim();
    else if (after.startsWith("+")) after = after.slice(1).trim();
  }
  return [before, terms, after].filter((s) => s !== "").join(" ");
}

function textOf(tokens: readonly Token[], source: string, p: Part): string {
  return source.slice(tokens[p.from].pos, tokens[p.to].pos).trim();
}

/** The models a formula stands for: one, unchanged, without a stepwise function; otherwise one per
 *  combination of steps, the fixed effects' steps outermost (fixest's order: fixef, then lhs, then rhs). */
export function expandStepwise(source: string): StepwiseModel[] {
  const tokens = tokenize(source, "FORMULA_SYNTAX", WHAT);
  const { lhs, rest } = splitParts(tokens);
  const inLhs = firstStepwise(tokens, lhs);
  if (inLhs >= 0) throw positionedError("FORMULA_SYNTAX", WHAT, source, tokens[inLhs].pos, `several outcomes are written c(y1, y2), not ${tokens[inLhs].text}()`);
  if (rest.length === 0 || tokens[rest[0].from - 1].text !== "~") return [{ formula: source, rhs: null, fixef: null }];
  const rhsPart = rest[0];
  const fixefIndex = rest.findIndex((p, k) => k > 0 && !isInstrumentPart(tokens, p));
  const fixefPart = fixefIndex > 0 ? rest[fixefIndex] : null;
  for (const p of rest.slice(1)) {
    const at = p === fixefPart ? -1 : firstStepwise(tokens, p);
    if (at >= 0) throw positionedError("FORMULA_SYNTAX", WHAT, source, tokens[at].pos, `${tokens[at].text}() works in the regressors and the fixed effects, not in the instrument part`);
  }
  const rhsCall = stepwiseCall(tokens, rhsPart, source, "regressors");
  const fixefCall = fixefPart ? stepwiseCall(tokens, fixefPart, source, "fixed effects") : null;
  if (!rhsCall && !fixefCall) return [{ formula: source, rhs: null, fixef: null }];

  const lhsText = textOf(tokens, source, lhs);
  const rhsSteps = rhsCall ? stepsOf(rhsCall) : [null];
  const fixefSteps = fixefCall ? stepsOf(fixefCall) : [null];
  const models: StepwiseModel[] = [];
  fixefSteps.forEach((fe, fi) => {
    rhsSteps.forEach((x, xi) => {
      const xTerms = x ? x.join(" + ") : "";
      const feTerms = fe ? fe.join(" + ") : "";
      // An empty right-hand side is the intercept alone (or the fixed effects alone), as in fixest's "rhs: 1".
      let rhs = rhsCall ? spliced(tokens, source, rhsPart, rhsCall, xTerms) : textOf(tokens, source, rhsPart);
      if (rhs === "" || rhs.startsWith("-")) rhs = `1 ${rhs}`.trim();
      const parts = [`${lhsText} ~ ${rhs}`];
      rest.slice(1).forEach((p) => {
        const text = p === fixefPart && fixefCall ? spliced(tokens, source, p, fixefCall, feTerms) : textOf(tokens, source, p);
        if (text !== "") parts.push(text);
      });
      models.push({
        formula: parts.join(" | "),
        rhs: x ? { index: xi, terms: xTerms } : null,
        fixef: fe ? { index: fi, terms: feTerms } : null,
      });
    });
  });
  return models;
}
