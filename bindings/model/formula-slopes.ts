// Fixed effects with varying slopes, in fixest's syntax after |:
//   firm[year]        a firm fixed effect and a firm-specific slope on year
//   firm[[year]]      the slopes only, no firm intercept
//   firm[x1, x2]      several slopes (also firm[[x1, x2]]); fe1^fe2[x] gives the combined groups slopes
// As in fixest, terms on the same fixed effect are one: firm + firm[[year]] is firm[year].
import { nameInMessage, type TokenStream } from "./tokens.js";
import { parseName } from "./formula-i.js";

/** The slopes of one fixed-effect term. */
export interface SlopeTerm {
  /** Numeric variables whose coefficient varies by group. */
  readonly vars: readonly string[];
  /** fe[x]: the group's own intercept too; fe[[x]]: slopes only. */
  readonly intercept: boolean;
}

/** One fixed-effect term as parsed: `vars` combined with ^, with optional slopes. */
export interface ParsedFixef {
  readonly vars: readonly string[];
  readonly name: string;
  readonly pos: number;
  readonly slopes?: SlopeTerm;
}

/** Whether the fixed effects absorb a constant (any term other than slopes only): then the model has no
 *  intercept of its own. With slopes only (fe[[x]]) fixest keeps the intercept among the coefficients. */
export function absorbsConstant(fixef: ReadonlyArray<{ readonly slopes?: SlopeTerm }>): boolean {
  return fixef.some((f) => !f.slopes || f.slopes.intercept);
}

/** The term's display name as written in fixest's syntax: firm[year], firm[[x1, x2]]. */
function slopeTermName(fe: string, s: SlopeTerm): string {
  const inner = s.vars.join(", ");
  return s.intercept ? `${fe}[${inner}]` : `${fe}[[${inner}]]`;
}

/** fe, fe1^fe2, and an optional [slopes] / [[slopes]] after it. */
export function parseFixefTerm(ts: TokenStream): ParsedFixef {
  const first = ts.peek();
  const vars = [parseName(ts, "a fixed-effect variable")];
  while (ts.accept("^")) vars.push(parseName(ts, "a variable to combine with ^"));
  const fe = vars.join("^");
  if (!ts.accept("[")) return { vars, name: fe, pos: first.pos };
  const double = ts.accept("[");
  const slopeVars: string[] = [];
  do {
    const at = ts.peek();
    const v = parseName(ts, "a slope variable");
    if (slopeVars.includes(v)) throw ts.error(at, `slope variable ${nameInMessage(v)} appears twice in ${fe}[...]`);
    slopeVars.push(v);
  } while (ts.accept(","));
  ts.expectOp("]", double ? "to close [[" : "to close [");
  if (double) ts.expectOp("]", "to close [[");
  const slopes: SlopeTerm = { vars: slopeVars, intercept: !double };
  return { vars, name: slopeTermName(fe, slopes), pos: first.pos, slopes };
}

/** Terms on the same fixed effect merged into one, as fixest does (firm + firm[[year]] is firm[year]);
 *  a slope variable given twice for one fixed effect is an error. Order: where each first appears. */
export function mergeSlopeTerms<T extends ParsedFixef>(ts: TokenStream, terms: readonly T[]): Array<T | ParsedFixef> {
  const byFixef = new Map<string, T[]>();
  for (const t of terms) {
    const key = JSON.stringify(t.vars);
    byFixef.set(key, [...(byFixef.get(key) ?? []), t]);
  }
  return [...byFixef.values()].map((group) => {
    if (group.length === 1 || !group.some((t) => t.slopes)) return group[0];
    const vars: string[] = [];
    for (const t of group) {
      for (const v of t.slopes?.vars ?? []) {
        if (vars.includes(v)) throw ts.error({ kind: "name", text: v, pos: t.pos }, `slope variable ${nameInMessage(v)} is given twice for the fixed effect ${group[0].vars.join("^")}`);
        vars.push(v);
      }
    }
    const slopes: SlopeTerm = { vars, intercept: group.some((t) => !t.slopes || t.slopes.intercept) };
    const first = group[0];
    return { vars: first.vars, name: slopeTermName(first.vars.join("^"), slopes), pos: first.pos, slopes };
  });
}
