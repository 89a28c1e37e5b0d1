// The estimation sample: which rows enter, and the fixed effects encoded over them.
// Order of work: subset filter, complete cases over every variable the model uses (missing values are
// counted, infinite values are an error), weights (negative is an error, zero drops the row), fixed-effect
// encoding, then (with fixefRm = "singleton") singleton groups removed repeatedly until none remain, as
// reghdfe does, because removing one singleton can create another.
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import type { FixefTerm } from "./formula.js";
import { combineGroups, groupCounts, groupIds, namedGroups, subsetGroups, type Groups } from "./groups.js";
import { everyRow, gatherRows } from "./rows.js";
import { compileSubset } from "./subset.js";
import { attachSlopes, slopeVariables, type SlopeValues } from "./sample-slopes.js";
import type { Note } from "../notes.js";

export interface VariableUse {
  readonly name: string;
  /** What the variable is for, used in messages: "outcome", "regressor", "fixed effect", ... */
  readonly role: string;
}

export interface SampleRequest {
  /** Variables that must be numeric and finite. */
  readonly numeric: readonly VariableUse[];
  /** Variables used as groups (fixed effects, clusters, i() factors): any type, non-missing. */
  readonly categorical: readonly VariableUse[];
  readonly weights?: string | null;
  readonly subset?: string | null;
  /** Rows an estimator excludes by construction (1 = may enter), applied with the subset. */
  readonly rowFilter?: Uint8Array | null;
  readonly fixef: readonly FixefTerm[];
  readonly fixefRm: "none" | "singleton";
}

export interface FixefEncoding extends Groups {
  readonly name: string;
  /** Varying slopes (fe[x], fe[[x]]) with their values over the sample rows (sample-slopes.ts). */
  readonly slopes?: SlopeValues;
}

export interface Sample {
  /** Original row indices kept, increasing. Read only: when every row is kept, an array shared with other
   *  samples (rows.ts everyRow). */
  readonly rows: Int32Array;
  readonly fixef: readonly FixefEncoding[];
  /** Weights over the sample rows, or null. */
  readonly weights: Float64Array | null;
  readonly dropped: { readonly missing: number; readonly subset: number; readonly zeroWeight: number; readonly singletons: number };
  /** What else the fit should say about the sample (slopes some groups cannot carry, transforms that are
   *  not finite on some rows); absent when nothing. */
  readonly notes?: readonly Note[];
}

export function buildSample(frame: Frame, req: SampleRequest): Sample {
  const n0 = frame.nrow;
  const keep = new Uint8Array(n0).fill(1);
  let subsetDropped = 0;
  if (req.subset) {
    const mask = compileSubset(req.subset, frame).evaluate();
    for (let r = 0; r < n0; r++) {
      if (!mask[r]) {
        keep[r] = 0;
        subsetDropped++;
      }
    }
    if (subsetDropped === n0) {
      throw new DidwasmError("EMPTY_SAMPLE", `subset "${req.subset}" keeps no rows`, { subset: req.subset });
    }
  }

  if (req.rowFilter) {
    for (let r = 0; r < n0; r++) {
      if (!req.rowFilter[r] && keep[r]) {
        keep[r] = 0;
        subsetDropped++;
      }
    }
  }

  let missing = 0;
  const dropMissing = (r: number) => {
    if (keep[r]) {
      keep[r] = 0;
      missing++;
    }
  };
  const seen = new Set<string>();
  for (const v of [...req.numeric, ...slopeVariables(req.fixef)]) {
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    const values = frame.numeric(v.name, v.role);
    if (frame.knownFinite(v.name)) continue;
    let absent = 0;
    for (let r = 0; r < n0; r++) {
      const x = values[r];
      // x - x is 0 for every finite x and NaN for NaN and +-Infinity: one test on the common path.
      if (x - x === 0) continue;
      if (Number.isNaN(x)) {
        dropMissing(r);
        absent++;
      } else if (keep[r]) {
        throw new DidwasmError("NOT_FINITE", `${v.role} "${v.name}" is infinite on ${frame.describeRow(r)}`, { column: v.name, row: r });
      } else absent++; // infinite in a row the subset already dropped: not a usable value either
    }
    if (absent === n0) throw new DidwasmError("ALL_MISSING", `${v.role} "${v.name}" is missing in every row`, { column: v.name });
  }
  for (const v of req.categorical) {
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    const col = frame.column(v.name, v.role);
    if (frame.knownFinite(v.name)) continue;
    let absent = 0;
    if (col.kind === "text") {
      const codes = col.codes;
      for (let r = 0; r < n0; r++) {
        if (codes[r] < 0) {
          dropMissing(r);
          absent++;
        }
      }
    } else {
      const values = col.values;
      for (let r = 0; r < n0; r++) {
        const x = values[r];
        if (x !== x) {
          dropMissing(r);
          absent++;
        }
      }
    }
    if (absent === n0) throw new DidwasmError("ALL_MISSING", `${v.role} "${v.name}" is missing in every row`, { column: v.name });
  }

  let zeroWeight = 0;
  if (req.weights) {
    const w = frame.numeric(req.weights, "weights");
    for (let r = 0; r < n0; r++) {
      if (!keep[r]) continue;
      const x = w[r];
      if (Number.isNaN(x)) dropMissing(r);
      else if (x < 0 || !Number.isFinite(x)) {
        throw new DidwasmError("BAD_WEIGHTS", `weights "${req.weights}" must be finite and non-negative, but ${frame.describeRow(r)} has ${x}`, {
          column: req.weights,
          row: r,
        });
      } else if (x === 0) {
        keep[r] = 0;
        zeroWeight++;
      }
    }
  }

  // Every row cleared above was counted exactly once (each step clears only rows still kept).
  const n = n0 - missing - subsetDropped - zeroWeight;
  if (n === 0) {
    throw new DidwasmError(
      "EMPTY_SAMPLE",
      `no observations left: ${missing} row(s) have missing values in the model's variables` +
        (subsetDropped ? `, the subset removed ${subsetDropped}` : "") +
        (zeroWeight ? `, ${zeroWeight} have zero weight` : ""),
      { missing, subset: subsetDropped, zeroWeight },
    );
  }
  // Every row kept (the common case): the shared 0..n-1 rather than a fresh array, whose first writes cost
  // more than building it (the system maps fresh memory page by page).
  let rows = n === n0 ? everyRow(n0) : new Int32Array(n);
  if (n < n0) for (let r = 0, j = 0; r < n0; r++) if (keep[r]) rows[j++] = r;

  let fixef: FixefEncoding[] = req.fixef.map((f) => {
    let g = groupIds(frame, f.vars[0], rows);
    for (const v of f.vars.slice(1)) g = combineGroups(g, groupIds(frame, v, rows));
    return namedGroups(f.name, g);
  });

  let singletons = 0;
  if (req.fixefRm === "singleton" && fixef.length > 0) {
    for (;;) {
      const drop = new Uint8Array(rows.length);
      let found = 0;
      for (const f of fixef) {
        const counts = groupCounts(f);
        const fIds = f.ids; // once: ids may be read through a getter (model/groups.ts)
        for (let i = 0; i < rows.length; i++) {
          if (counts[fIds[i]] === 1 && !drop[i]) {
            drop[i] = 1;
            found++;
          }
        }
      }
      if (found === 0) break;
      singletons += found;
      if (found === rows.length) {
        throw new DidwasmError("EMPTY_SAMPLE", `no observations left after removing ${singletons} singleton observations`, { singletons });
      }
      const keepRows = drop.map((d) => 1 - d);
      const m = rows.length - found;
      rows = rows.filter((_, i) => keepRows[i] === 1);
      fixef = fixef.map((f) => ({ name: f.name, ...subsetGroups(f, keepRows, m) }));
    }
  }

  let weights: Float64Array | null = null;
  if (req.weights) {
    const w = frame.numeric(req.weights, "weights");
    weights = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) weights[i] = w[rows[i]];
  }
  const slopes = attachSlopes(frame, req.fixef, fixef, rows);
  return {
    rows, fixef: slopes.fixef, weights, dropped: { missing, subset: subsetDropped, zeroWeight, singletons }, ...(slopes.notes.length ? { notes: slopes.notes } : {}),
  };
}

/** Values of a numeric column over the sample rows. When the sample is every row, this is the column's own
 *  array (no copy): callers must not modify the result. */
export function sampleValues(frame: Frame, name: string, rows: Int32Array, role = "column"): Float64Array {
  return gatherRows(frame.numeric(name, role), rows);
}
