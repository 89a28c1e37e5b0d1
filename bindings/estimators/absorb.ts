// Absorbing fixed effects from columns held in an arena, in place. Three methods give the same residuals
// (to the tolerance):
//   - "direct": exactly two fixed effects, one of them with few groups (the periods of a panel): the
//     two-way kernel solves the normal equations through the small block (bindings/model/two-way-cells.ts),
//     exactly, in a fixed number of passes however weakly the panel is connected;
//   - "cg": conjugate gradient on the normal equations with the largest fixed effect eliminated, block-
//     Jacobi preconditioned (assembly/fixef-cg.ts), through cells (fixef-cells.ts): with two fixed effects
//     one iteration costs the distinct pairs of groups, not the rows; converges on weakly connected graphs
//     (movers between firms, long chains) where the sweeps stall;
//   - "sweeps": alternating projections with acceleration (assembly/demean.ts), any number of fixed effects;
//     with varying slopes (fe[x]) in TypeScript, whatever the method (slopes-demean.ts).
// "auto": one fixed effect is one pass of the sweeps; two take the direct method where it applies, and on
// balanced unweighted panels the closed form (exact, no setup, little scratch); everything else CG.
// STOPPING RULE of the iterative methods, per column: no fixed-effect coefficient would move by more than
// tol x s_x in one more step (s_x = sd(x) + 1e-6 |mean(x)|): for the sweeps the change of the last sweep,
// for CG the preconditioned residual of the true (recomputed) residual, i.e. the change one alternating-
// projection step from the final coefficients would make; CG also requires its estimate of the weighted
// root-mean-square error of the residuals to be at most tol x s_x (assembly/fixef-cg.ts states both).
import { DEMEAN_COLUMN_BLOCK, cgScratchLength, demeanScratchFor, type Arena, type Backend, type F64Buffer, type I32Buffer } from "../engine/backend.js";
import { idsInMemory, writeIds, type Groups } from "../model/groups.js";
import { twoWayCells, type TwoWayCells } from "../model/two-way-cells.js";
import { fixefCells } from "./fixef-cells.js";
import { withoutNested } from "./nested-fixef.js";
import { runByColumns } from "./column-split.js";
import { writeTouchingAhead } from "../engine/touch-ahead.js";
import { absorbWithSlopes, hasSlopes } from "./slopes-demean.js";
import { absorbDense, denseApplies } from "./dense-fixef.js";

/** "dense": the exact solve for few groups in all (dense-fixef.ts), where it applies; otherwise "auto". */
export type AbsorbMethod = "auto" | "direct" | "sweeps" | "cg" | "dense";

export interface Absorbed {
  /** Per column: sweeps or CG iterations used (negative when not converged); 1 for the direct and
   *  balanced methods. */
  readonly iterations: Int32Array;
  readonly method: "direct" | "balanced" | "sweeps" | "cg" | "dense";
}

export function absorb(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, fixef: readonly Groups[], w: F64Buffer | null,
  tol: number, maxIter: number, method: AbsorbMethod = "auto", cells: TwoWayCells | null = null,
): Absorbed {
  const Q = fixef.length;
  // Varying slopes (fe[x]) have their own projections, whatever the method asked for.
  if (hasSlopes(fixef)) return absorbWithSlopes(n, C, data, fixef, w, tol, maxIter);
  if (method === "dense") return absorbDenseFirst(backend, arena, n, C, data, fixef, w, tol, maxIter);
  if (method === "cg" && Q >= 2) return absorbCg(backend, arena, n, C, data, fixef, w, tol, maxIter);
  if ((method === "auto" || method === "direct") && Q === 2) {
    const direct = absorbTwoWay(backend, arena, n, C, data, fixef, w, method === "direct", cells);
    if (direct !== null && "unitBuf" in direct) return absorbBalanced(backend, arena, n, C, data, direct);
    if (direct !== null) return direct;
    if (method === "auto" && direct === null) return absorbCg(backend, arena, n, C, data, fixef, w, tol, maxIter);
  }
  if (method === "auto" && Q >= 3) return absorbCg(backend, arena, n, C, data, fixef, w, tol, maxIter);
  const fe = arena.i32(Q * n, false);
  fixef.forEach((f, q) => writeIds(f, fe.view.subarray(q * n, (q + 1) * n)));
  const G = arena.i32From(fixef.map((f) => f.G));
  const iterations = runByColumns(backend, arena, n, C, data, (p) => ({
    kernel: "demean",
    // The kernel initialises what it uses of its scratch: no need to zero it.
    args: [n, p.columns, Q, p.data, p.data, fe, G, w, tol, maxIter, arena.f64(demeanScratchFor(fixef.map((f) => f.G), p.columns), false), p.iter],
  }));
  return { iterations, method: "sweeps" };
}

/** CG on the fixed effects that are not nested in another (nested-fixef.ts; when one is left, one sweep);
 *  columns it leaves unconverged are handed to the sweeps, from where CG left them (absorbing is a
 *  projection, so the sweeps' residual of CG's residual is x's), with their iterations added. */
function absorbCg(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, fixefAll: readonly Groups[], w: F64Buffer | null, tol: number, maxIter: number,
): Absorbed {
  const fixef = withoutNested(fixefAll);
  if (fixef.length === 1) return absorb(backend, arena, n, C, data, fixef, w, tol, maxIter, "sweeps");
  const cells = fixefCells(backend, arena, n, fixef, w);
  const G0 = cells.fixef[0].G;
  const M = cells.fixef.reduce((s, f) => s + f.G, 0) - G0;
  const iterations = runByColumns(backend, arena, n, C, data, (p) => ({
    kernel: "fixefCg",
    args: [
      n, p.columns, fixef.length, p.data, p.data, cells.fe, cells.G, w, cells.cellStart, cells.cellIds, cells.cellWeight, cells.nullId, cells.nNull, tol,
      maxIter, arena.f64(cgScratchLength(G0, M, cells.nNull, p.columns), false), p.iter,
    ],
  }));
  for (let c = 0; c < C; c++) {
    if (iterations[c] > 0) continue;
    const sweeps = absorb(backend, arena, n, 1, arena.f64Part(data, c * n, n), fixef, w, tol, maxIter, "sweeps").iterations[0];
    const total = -iterations[c] + Math.abs(sweeps);
    iterations[c] = sweeps > 0 ? total : -total;
  }
  return { iterations, method: "cg" };
}

/** The dense exact solve on the fixed effects that are not nested in another; "auto" where it does not
 *  apply or finds the normal equations singular beyond its pinned null space. A column it leaves
 *  unconverged is finished by CG from its residual (absorbing is a projection), iterations added. */
function absorbDenseFirst(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, fixefAll: readonly Groups[], w: F64Buffer | null, tol: number, maxIter: number,
): Absorbed {
  const fixef = withoutNested(fixefAll);
  const iterations = denseApplies(fixef) ? absorbDense(backend, arena, n, C, data, fixef, w, tol) : null;
  if (iterations === null) return absorb(backend, arena, n, C, data, fixefAll, w, tol, maxIter, "auto");
  for (let c = 0; c < C; c++) {
    if (iterations[c] > 0) continue;
    const more = absorbCg(backend, arena, n, 1, arena.f64Part(data, c * n, n), fixef, w, tol, maxIter).iterations[0];
    const total = -iterations[c] + Math.abs(more);
    iterations[c] = more > 0 ? total : -total;
  }
  return { iterations, method: "dense" };
}

/** absorbTwoWay's answer for a balanced unweighted panel, where the closed form x - unit mean - period
 *  mean + mean is exact: the ids it wrote into the arena, unit (more groups) and period, or none for rows in
 *  panel order (unitOuter: unit by unit, else period by period), whose ids follow from the row. */
interface BalancedPanel {
  readonly unitBuf: I32Buffer | null;
  readonly periodBuf: I32Buffer | null;
  readonly U: number;
  readonly P: number;
  readonly unitOuter?: boolean;
}

/** The balanced panel's closed form (assembly/demean.ts demeanBalanced): two passes per column and U + P
 *  doubles of scratch, where the sweeps would lay out (1 + 7 B) (U + P) doubles (9 MB for 50,000 units),
 *  memory whose first touch costs more than the passes themselves. Exact, so reported as 1 iteration. */
function absorbBalanced(backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, panel: BalancedPanel): Absorbed {
  const { unitBuf, periodBuf, U, P } = panel;
  runByColumns(backend, arena, n, C, data, (p) =>
    unitBuf && periodBuf
      ? { kernel: "demeanBalanced", args: [n, p.columns, p.data, p.data, unitBuf, periodBuf, U, P, arena.f64(U + P, false)] }
      : { kernel: "demeanPanelOrder", args: [n, p.columns, p.data, p.data, U, P, panel.unitOuter ? 1 : 0, arena.f64(U + P, false)] },
  true);
  return { iterations: new Int32Array(C).fill(1), method: "balanced" };
}

/** The direct two-way solve; null where it does not apply, the ids written where the balanced panel's
 *  closed form does better. */
function absorbTwoWay(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, fixef: readonly Groups[], w: F64Buffer | null, forced: boolean,
  preset: TwoWayCells | null,
): Absorbed | BalancedPanel | null {
  // The fixed effect with fewer groups plays the periods.
  const [unit, period] = fixef[0].G >= fixef[1].G ? [fixef[0], fixef[1]] : [fixef[1], fixef[0]];
  // Cells a caller already built for these rows (did2s's first stage): the direct solve applies.
  const reuse = preset !== null && unit === fixef[0] && preset.units === unit.G && preset.periods === period.G;
  if (!reuse && !forced && w === null && unit.G * period.G === n) {
    const order = panelOrder(unit, period);
    if (order !== null) return { unitBuf: null, periodBuf: null, U: unit.G, P: period.G, unitOuter: order === "unit" };
  }
  const unitBuf = arena.i32(n, false);
  const periodBuf = arena.i32(n, false);
  writeTouchingAhead(backend, [{ into: unitBuf, write: (v) => writeIds(unit, v) }, { into: periodBuf, write: (v) => writeIds(period, v) }]);
  if (!reuse && !forced && w === null && unit.G * period.G === n && isBalanced(unit, period, unitBuf.view, periodBuf.view, n)) {
    return { unitBuf, periodBuf, U: unit.G, P: period.G };
  }
  const cells = reuse ? preset : twoWayCells(backend, arena, unitBuf, periodBuf, unit.G, period.G, w);
  if (!cells) return null;
  runByColumns(backend, arena, n, C, data, (p) => ({
    kernel: "demeanTwoWay",
    args: [
      n, p.columns, p.data, p.data, unitBuf, periodBuf, unit.G, period.G, w, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight,
      cells.factor, arena.f64((unit.G + period.G) * Math.min(p.columns, DEMEAN_COLUMN_BLOCK), false),
    ],
  }));
  return { iterations: new Int32Array(C).fill(1), method: "direct" };
}

/** Which groups are outer when the rows are in panel order, by the groups' layouts (groups.ts IdLayout):
 *  units in runs of P rows with the periods cycling within each, or the other way round. Null when the
 *  layouts do not say (the ids are then written and checked: isBalanced). */
function panelOrder(unit: Groups, period: Groups): "unit" | "period" | null {
  const u = unit.layout;
  const p = period.layout;
  if (!u || !p) return null;
  if (u.runs === period.G && p.cycle === period.G) return "unit";
  if (p.runs === unit.G && u.cycle === unit.G) return "period";
  return null;
}

/** Answers of isBalanced per pair of encodings kept in memory: whole-column encodings are shared between
 *  fits (see groupIds), so models on the same panel check it once. */
const balancedCache = new WeakMap<Int32Array, WeakMap<Int32Array, boolean>>();

/** Every unit observed once in every period (given U x P = n rows); `units` and `periods` are the groups'
 *  ids (written into the arena: groups may not keep theirs in memory, see groups.ts). */
function isBalanced(unit: Groups, period: Groups, units: Int32Array, periods: Int32Array, n: number): boolean {
  const unitKey = idsInMemory(unit);
  const periodKey = idsInMemory(period);
  let byPeriod = unitKey && balancedCache.get(unitKey);
  const known = periodKey ? byPeriod?.get(periodKey) : undefined;
  if (known !== undefined) return known;
  const remember = (balanced: boolean): boolean => {
    if (!unitKey || !periodKey) return balanced;
    if (!byPeriod) balancedCache.set(unitKey, (byPeriod = new WeakMap()));
    byPeriod.set(periodKey, balanced);
    return balanced;
  };
  const P = period.G;
  if (inPanelOrder(units, periods, P, n) || inPanelOrder(periods, units, unit.G, n)) return remember(true);
  // One bit per cell: 8 times less fresh memory to zero and to reach than a byte each (125 KB for a
  // million cells, which stays in cache): ~35% less time on 50,000 x 20.
  const seen = new Int32Array((unit.G * P + 31) >>> 5);
  let balanced = true;
  for (let i = 0; i < n; i++) {
    const k = units[i] * P + periods[i];
    const bit = 1 << (k & 31);
    if (seen[k >>> 5] & bit) {
      balanced = false;
      break;
    }
    seen[k >>> 5] |= bit;
  }
  return remember(balanced);
}

/** Rows in the order a balanced panel is usually stored in, outer group by outer group with the inner groups
 *  in the same order within each: then, ids numbering groups by first appearance, row i has outer id
 *  floor(i / innerG) and inner id i mod innerG, so each cell holds exactly one row. A sequential pass that
 *  stops at the first row out of that order, several times cheaper than isBalanced's bit per cell. */
function inPanelOrder(outer: Int32Array, inner: Int32Array, innerG: number, n: number): boolean {
  let o = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (outer[i] !== o || inner[i] !== k) return false;
    if (++k === innerG) {
      k = 0;
      o++;
    }
  }
  return true;
}
