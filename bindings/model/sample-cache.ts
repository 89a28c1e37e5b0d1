// Estimation samples shared between the models of one multiple estimation (multi-fit.ts). Each model keeps
// its own sample, as fixest does, but two models whose requests differ only in variables that are never
// missing (the steps of csw(x1, x2, x3) with complete controls) have the same rows: the sample is then
// built once - the complete-case scan, the fixed effects' encoding, the singleton rounds - not per model.
// Their columns are then gathered over those rows once too (values): with missing rows each gather is a
// fresh n-long array, and on a million rows first touching fresh memory costs more than the least squares.
import type { Column, Frame } from "../data/frame.js";
import { gatherRows } from "./rows.js";
import { buildSample, type Sample, type SampleRequest } from "./sample.js";

export class SampleCache {
  private readonly samples = new Map<string, Sample>();
  /** Whether a column has a value in every row (finite, for numbers), per column object: frames derived
   *  for transforms share their base columns. */
  private readonly complete = new WeakMap<Column, boolean>();
  private readonly filterIds = new WeakMap<Uint8Array, number>();
  /** Gathered columns by sample rows, then by the frame's array (frames derived for transforms share it). */
  private readonly gathered = new WeakMap<Int32Array, WeakMap<Float64Array, Float64Array>>();

  /** buildSample, or the sample already built for an equivalent request. */
  readonly build = (frame: Frame, req: SampleRequest): Sample => {
    const key = this.keyOf(frame, req);
    let s = this.samples.get(key);
    if (!s) this.samples.set(key, (s = buildSample(frame, req)));
    return s;
  };

  /** sampleValues, gathered once per column and rows for every model that asks (read only, as sampleValues'
   *  result). Errors (unknown or text column) are frame.numeric's, named with the caller's role. */
  readonly values = (frame: Frame, name: string, rows: Int32Array, role: string): Float64Array => {
    const all = frame.numeric(name, role);
    let byColumn = this.gathered.get(rows);
    if (!byColumn) this.gathered.set(rows, (byColumn = new WeakMap()));
    let v = byColumn.get(all);
    if (!v) byColumn.set(all, (v = gatherRows(all, rows)));
    return v;
  };

  /** What decides the rows: the variables that can be missing (an unknown or incomplete column stays in
   *  the key, so that buildSample reports it), the fixed effects, weights, subset and row filter. */
  private keyOf(frame: Frame, req: SampleRequest): string {
    const canMiss = (names: readonly string[]) => [...new Set(names)].filter((v) => !this.isComplete(frame, v)).sort();
    let filter = -1;
    if (req.rowFilter) {
      if (!this.filterIds.has(req.rowFilter)) this.filterIds.set(req.rowFilter, nextFilterId++);
      filter = this.filterIds.get(req.rowFilter)!;
    }
    return JSON.stringify([
      canMiss(req.numeric.map((v) => v.name)), canMiss(req.categorical.map((v) => v.name)), req.fixef.map((f) => [f.name, f.vars, f.slopes ?? null]),
      req.weights ?? null, req.subset ?? null, filter, req.fixefRm,
    ]);
  }

  private isComplete(frame: Frame, name: string): boolean {
    if (!frame.has(name)) return false;
    const col = frame.column(name);
    let known = this.complete.get(col);
    if (known === undefined) {
      known = col.kind === "numeric" ? col.allFinite === true || col.values.every(Number.isFinite) : col.codes.every((c) => c >= 0);
      this.complete.set(col, known);
    }
    return known;
  }
}

let nextFilterId = 0;
