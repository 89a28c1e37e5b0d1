// The varying slopes of the sample's fixed effects (fe[x], fe[[x]]): the slope variables' values over
// the sample rows, and a note for each slope variable that carries no slope in some groups - constant
// within the group for fe[x] (the group's intercept already fits a constant), zero throughout it for
// fe[[x]]. fixest keeps those groups and still counts their slopes among the parameters; so does didwasm
// (the demeaning projects on what the group's values span, bindings/estimators/slopes-demean.ts).
import type { Frame } from "../data/frame.js";
import { warning, type Note } from "../notes.js";
import type { SlopeTerm } from "./formula-slopes.js";
import type { Groups } from "./groups.js";
import { gatherRows } from "./rows.js";
import { nameInMessage } from "./tokens.js";

/** Slopes of one fixed effect with their values over the sample rows, one array per variable. */
export interface SlopeValues extends SlopeTerm {
  readonly values: readonly Float64Array[];
}

/** The slope variables a fixed-effect list reads (they must be numeric and present). */
export function slopeVariables(fixef: ReadonlyArray<{ readonly slopes?: SlopeTerm }>): Array<{ name: string; role: string }> {
  return fixef.flatMap((f) => (f.slopes?.vars ?? []).map((name) => ({ name, role: "slope variable" })));
}

/** The fixed effects with their slopes' values over `rows`, and the notes on slopes that some groups
 *  cannot carry. `terms[q]` is the term fixed effect q was encoded from. */
export function attachSlopes<F extends Groups & { readonly name: string }>(
  frame: Frame, terms: ReadonlyArray<{ readonly vars: readonly string[]; readonly slopes?: SlopeTerm }>, fixef: readonly F[], rows: Int32Array,
): { fixef: Array<F & { slopes?: SlopeValues }>; notes: Note[] } {
  const notes: Note[] = [];
  const out = fixef.map((f, q) => {
    const s = terms[q].slopes;
    if (!s) return f;
    const values = s.vars.map((v) => Float64Array.from(gatherRows(frame.numeric(v, "slope variable"), rows)));
    s.vars.forEach((v, k) => {
      const bad = groupsWithoutSlope(f, values[k], s.intercept);
      if (bad === 0) return;
      const what = s.intercept ? "constant within" : "zero throughout";
      notes.push(
        warning(
          "slope_degenerate",
          `slope variable ${nameInMessage(v)} is ${what} ${bad} of the ${f.G} groups of ${terms[q].vars.map(nameInMessage).join("^")} (in ${f.name}): its slope is not identified there (those groups are fitted without it); as fixest, the rows are kept and the slope is still counted among the parameters`,
        ),
      );
    });
    return { ...f, slopes: { ...s, values } };
  });
  return { fixef: out, notes };
}

/** Groups where x carries no slope: constant in the group (with an intercept) or zero throughout it. */
function groupsWithoutSlope(g: Groups, x: Float64Array, intercept: boolean): number {
  const first = new Float64Array(g.G).fill(NaN);
  const varies = new Uint8Array(g.G);
  const gIds = g.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < x.length; i++) {
    const k = gIds[i];
    if (intercept) {
      if (Number.isNaN(first[k])) first[k] = x[i];
      else if (x[i] !== first[k]) varies[k] = 1;
    } else if (x[i] !== 0) varies[k] = 1;
  }
  let bad = 0;
  for (let k = 0; k < g.G; k++) bad += 1 - varies[k];
  return bad;
}
