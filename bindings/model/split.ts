// fixest's split = ~g and fsplit = ~g: the same model on the rows of each value of g (fsplit: on the full
// sample first). As in fixest, rows where g is missing enter no model, not even the full sample; values
// come in increasing order for a numeric g and in code-point order for text (R sorts text by its locale,
// as i() does: see design.ts).
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import { compileSubset } from "./subset.js";

/** Which sample a model of a split ran on: value null is fsplit's full sample. */
export interface SampleLabel {
  readonly var: string;
  readonly value: number | string | null;
}

export interface SplitSample {
  readonly label: SampleLabel;
  /** Rows that may enter (1), on top of the caller's own filter: made when asked, one sample at a time
   *  (a filter per value of a g with many values would take values x rows bytes). */
  filter(): Uint8Array;
}

export interface SplitRequest {
  readonly split?: string | null;
  readonly fsplit?: string | null;
  /** The model's subset and row filter: values seen only in rows they drop give no model. */
  readonly subset?: string | null;
  readonly rowFilter?: Uint8Array | null;
}

/** The samples a split asks for, in fixest's order; null without split or fsplit. */
export function splitSamples(frame: Frame, req: SplitRequest): SplitSample[] | null {
  if (req.split && req.fsplit) {
    throw new DidwasmError("BAD_OPTION", `split and fsplit cannot both be given (fixest's rule): fsplit = ${req.fsplit} already has split's models after the full sample`, {
      option: "fsplit",
    });
  }
  const name = req.split || req.fsplit;
  if (!name) return null;
  const col = frame.column(name, req.split ? "split variable" : "fsplit variable");
  const n = frame.nrow;
  const enters = new Uint8Array(n).fill(1);
  if (req.subset) compileSubset(req.subset, frame).evaluate().forEach((ok, r) => void (ok || (enters[r] = 0)));
  if (req.rowFilter) req.rowFilter.forEach((ok, r) => void (ok || (enters[r] = 0)));

  // A value index per row (-1: missing, or not entering), and the values in order.
  const index = new Int32Array(n).fill(-1);
  let values: Array<number | string>;
  if (col.kind === "numeric") {
    const distinct = new Set<number>();
    for (let r = 0; r < n; r++) if (enters[r] && !Number.isNaN(col.values[r])) distinct.add(col.values[r]);
    values = [...distinct].sort((a, b) => a - b);
    const pos = new Map(values.map((v, i) => [v as number, i]));
    for (let r = 0; r < n; r++) if (enters[r] && !Number.isNaN(col.values[r])) index[r] = pos.get(col.values[r])!;
  } else {
    const used = new Set<number>();
    for (let r = 0; r < n; r++) if (enters[r] && col.codes[r] >= 0) used.add(col.codes[r]);
    values = [...used].map((c) => col.levels[c]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const pos = new Map(values.map((v, i) => [v as string, i]));
    const byCode = new Int32Array(col.levels.length).fill(-1);
    for (const c of used) byCode[c] = pos.get(col.levels[c])!;
    for (let r = 0; r < n; r++) if (enters[r] && col.codes[r] >= 0) index[r] = byCode[col.codes[r]];
  }
  if (values.length === 0) throw new DidwasmError("ALL_MISSING", `split variable "${name}" is missing in every row of the sample`, { column: name });

  const samples: SplitSample[] = values.map((value, k) => ({ label: { var: name, value }, filter: () => Uint8Array.from(index, (i) => (i === k ? 1 : 0)) }));
  if (req.fsplit) samples.unshift({ label: { var: name, value: null }, filter: () => Uint8Array.from(index, (i) => (i >= 0 ? 1 : 0)) });
  return samples;
}

/** How a sample is named in tables: "Full sample" or the value. */
export function sampleText(s: SampleLabel): string {
  return s.value === null ? "Full sample" : String(s.value);
}
