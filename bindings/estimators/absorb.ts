// Absorbing fixed effects from columns held in an arena, in place. Two methods give the same residuals:
//   - "direct": exactly two fixed effects, one of them with few groups (the periods of a panel): the
//     two-way kernel solves the normal equations through the small block (bindings/model/two-way-cells.ts),
//     exactly, in a fixed number of passes however weakly the panel is connected;
//   - "sweeps": alternating projections with acceleration (assembly/demean.ts), any number of fixed effects.
// "auto" takes the direct method where it applies, except on balanced unweighted panels, where the sweeps
// converge at once and skip the direct method's setup.
import { DEMEAN_COLUMN_BLOCK, demeanScratchFor, type Arena, type Backend, type F64Buffer } from "../engine/backend.js";
import type { Groups } from "../model/groups.js";
import { twoWayCells, type TwoWayCells } from "../model/two-way-cells.js";

export type AbsorbMethod = "auto" | "direct" | "sweeps";

export interface Absorbed {
  /** Per column: sweeps used (negative when not converged); 1 for the direct method. */
  readonly iterations: Int32Array;
  readonly method: "direct" | "sweeps";
}

export function absorb(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, fixef: readonly Groups[], w: F64Buffer | null,
  tol: number, maxIter: number, method: AbsorbMethod = "auto", cells: TwoWayCells | null = null,
): Absorbed {
  if (method !== "sweeps" && fixef.length === 2) {
    const direct = absorbTwoWay(backend, arena, n, C, data, fixef, w, method === "direct", cells);
    if (direct) return direct;
  }
  const Q = fixef.length;
  const fe = arena.i32(Q * n, false);
  fixef.forEach((f, q) => fe.view.set(f.ids, q * n));
  const G = arena.i32From(fixef.map((f) => f.G));
  // The kernel initialises what it uses of its scratch: no need to zero it.
  const scratch = arena.f64(demeanScratchFor(fixef.map((f) => f.G), C), false);
  const iter = arena.i32(C);
  backend.demean(n, C, Q, data, data, fe, G, w, tol, maxIter, scratch, iter);
  return { iterations: iter.view.slice(), method: "sweeps" };
}

function absorbTwoWay(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, fixef: readonly Groups[], w: F64Buffer | null, forced: boolean,
  preset: TwoWayCells | null,
): Absorbed | null {
  // The fixed effect with fewer groups plays the periods.
  const [unit, period] = fixef[0].G >= fixef[1].G ? [fixef[0], fixef[1]] : [fixef[1], fixef[0]];
  // Cells a caller already built for these rows (did2s's first stage): the direct solve applies.
  const reuse = preset !== null && unit === fixef[0] && preset.units === unit.G && preset.periods === period.G;
  if (!reuse && !forced && w === null && unit.G * period.G === n && isBalanced(unit, period, n)) return null;
  const unitBuf = arena.i32From(unit.ids);
  const periodBuf = arena.i32From(period.ids);
  const cells = reuse ? preset : twoWayCells(backend, arena, unitBuf, periodBuf, unit.G, period.G, w);
  if (!cells) return null;
  const scratch = arena.f64((unit.G + period.G) * Math.min(C, DEMEAN_COLUMN_BLOCK), false);
  backend.demeanTwoWay(
    n, C, data, data, unitBuf, periodBuf, unit.G, period.G, w, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight, cells.factor, scratch,
  );
  return { iterations: new Int32Array(C).fill(1), method: "direct" };
}

/** Answers of isBalanced per pair of encodings: whole-column encodings are shared between fits (see
 *  groupIds), so models on the same panel check it once. */
const balancedCache = new WeakMap<Int32Array, WeakMap<Int32Array, boolean>>();

/** Every unit observed once in every period (given U x P = n rows). */
function isBalanced(unit: Groups, period: Groups, n: number): boolean {
  let byPeriod = balancedCache.get(unit.ids);
  const known = byPeriod?.get(period.ids);
  if (known !== undefined) return known;
  const P = period.G;
  const seen = new Uint8Array(unit.G * P);
  let balanced = true;
  for (let i = 0; i < n; i++) {
    const k = unit.ids[i] * P + period.ids[i];
    if (seen[k]) {
      balanced = false;
      break;
    }
    seen[k] = 1;
  }
  if (!byPeriod) balancedCache.set(unit.ids, (byPeriod = new WeakMap()));
  byPeriod.set(period.ids, balanced);
  return balanced;
}
