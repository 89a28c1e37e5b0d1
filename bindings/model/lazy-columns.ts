// Design columns made only when read. A fit writes its regressors into one buffer of its backend (wasm
// memory for the wasm backend) and never needs them as separate arrays: on a million rows, making an
// event study's 14 relative-time dummies and its gathered controls as arrays first would allocate and
// touch well over 100 MB only to copy it. A lazy column carries a writer that puts it straight into the
// fit's buffer (bindings/estimators/ols-core.ts); anything else (resampling, variances, messages) reads the
// column as usual and gets it made, once.
//
// Lazy columns live in an ordinary array as accessor properties, so code that indexes the array works
// unchanged; but spreading or mapping such an array reads (makes) every column: build designs by index.
import { gatherRows } from "./rows.js";

/** Writes a column's values into out[offset .. offset + n). */
export type ColumnWriter = (out: Float64Array, offset: number) => void;

export interface LazyColumn {
  readonly make: () => Float64Array;
  readonly write: ColumnWriter;
}

const writersOf = new WeakMap<readonly Float64Array[], Map<number, ColumnWriter>>();

/** An array of design columns: plain arrays as given, lazy ones made on first read. */
export function designColumns(parts: ReadonlyArray<Float64Array | LazyColumn>): Float64Array[] {
  const columns: Float64Array[] = new Array(parts.length);
  const writers = new Map<number, ColumnWriter>();
  parts.forEach((part, j) => {
    if (part instanceof Float64Array) {
      columns[j] = part;
      return;
    }
    let made: Float64Array | null = null;
    Object.defineProperty(columns, j, { enumerable: true, get: () => (made ??= part.make()) });
    writers.set(j, part.write);
  });
  if (writers.size) writersOf.set(columns, writers);
  return columns;
}

/** The writer of column j when it is lazy (and so far unread or not), else null. */
export function columnWriter(columns: readonly Float64Array[], j: number): ColumnWriter | null {
  return writersOf.get(columns)?.get(j) ?? null;
}

/** Column j of a one-hot block given by its codes (row i is 1 in column code[i]; -1: none). */
export function indicatorColumn(code: Int32Array, j: number): LazyColumn {
  return {
    make: () => {
      const out = new Float64Array(code.length);
      indicatorInto(code, j, out, 0);
      return out;
    },
    write: (out, offset) => {
      out.fill(0, offset, offset + code.length);
      indicatorInto(code, j, out, offset);
    },
  };
}

function indicatorInto(code: Int32Array, j: number, out: Float64Array, offset: number): void {
  for (let i = 0; i < code.length; i++) if (code[i] === j) out[offset + i] = 1;
}

/** values[rows[i]] for every i: a column of the frame over the estimation sample. */
export function gatheredColumn(values: Float64Array, rows: Int32Array): LazyColumn {
  return { make: () => gatherRows(values, rows), write: (out, offset) => void gatherRows(values, rows, out, offset) };
}
