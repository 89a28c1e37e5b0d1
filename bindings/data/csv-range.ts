// What one thread's parse of a byte range of a CSV file gives: its own columns, before the ranges are merged
// into the frame (csv-merge.ts). A file of its own so that the merge and its slot moves share the type
// without importing each other.
import type { Column } from "./frame.js";

export interface CsvRange {
  readonly nrow: number;
  readonly columns: readonly Column[];
  /** Each row's line counted from 0 at the range's start, when rows are not one line each. */
  readonly rowLine: Int32Array | null;
  /** Lines the range spans (record ends and line feeds inside quotes). */
  readonly lines: number;
}
