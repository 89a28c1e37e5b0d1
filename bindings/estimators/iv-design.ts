// The endogenous variables and the instruments of an IV formula evaluated over the sample, and the
// variables they make the sample read. Both are built as fixest builds its IV model matrices (with a
// "fake intercept"): an i() block among the instruments drops its first level unless a reference is given.
import type { Frame } from "../data/frame.js";
import { buildDesign, designVariables, type Design } from "../model/design.js";
import type { Formula, IvPart } from "../model/formula.js";
import { checkInstrumentCount } from "../model/formula-iv.js";
import type { VariableUse } from "../model/sample.js";
import { positionedError } from "../model/tokens.js";

const partOf = (f: Formula, terms: IvPart["endogenous"]): Formula => ({ ...f, terms, intercept: false, iv: null });

/** The right-hand side's variables plus those of the IV part (roles "endogenous variable", "instrument"). */
export function withIvVariables(rhs: { numeric: VariableUse[]; categorical: VariableUse[] }, f: Formula): { numeric: VariableUse[]; categorical: VariableUse[] } {
  if (!f.iv) return rhs;
  const endo = designVariables(partOf(f, f.iv.endogenous));
  const inst = designVariables(partOf(f, f.iv.instruments));
  const as = (uses: VariableUse[], role: string) => uses.map((u) => ({ name: u.name, role }));
  return {
    numeric: [...rhs.numeric, ...as(endo.numeric, "endogenous variable"), ...as(inst.numeric, "instrument")],
    categorical: [...rhs.categorical, ...as(inst.categorical, "instrument")],
  };
}

/** The endogenous and instrument columns over the sample rows, checked: at least as many instrument
 *  columns as endogenous ones, and no instrument column that is also an exogenous regressor. */
export function ivDesigns(frame: Frame, f: Formula, rows: Int32Array, exo: Design): { endo: Design; inst: Design } {
  const iv = f.iv!;
  const fail = (pos: number) => (message: string) => positionedError("FORMULA_SYNTAX", "formula", f.source, pos, message);
  const endo = buildDesign(frame, partOf(f, iv.endogenous), rows, true);
  const inst = buildDesign(frame, partOf(f, iv.instruments), rows, true);
  checkInstrumentCount(iv, inst.names.length, fail(iv.pos));
  const exoNames = new Set(exo.names);
  const both = inst.names.filter((nm) => exoNames.has(nm) || endo.names.includes(nm));
  if (both.length) throw fail(iv.pos)(`instrument column(s) ${both.join(", ")} are also regressors: list only the excluded instruments after ~`);
  return { endo, inst };
}
