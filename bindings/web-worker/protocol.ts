// Messages between a page and the computation worker (web-worker/worker.ts). All plain, structured-cloneable
// data. Every request carries an id; the worker answers it with exactly one "loaded", "result", "dropped" or "error"
// message, possibly preceded by "progress" messages with the same id.
import type { Options } from "../commands/types.js";

/** A data set kept in the worker under a name (loaded once, used by many runs). */
export interface DatasetRef {
  readonly dataset: string;
}

/** What a run reads: CSV text, CSV bytes, or a loaded data set. */
export type RunData = string | Uint8Array | DatasetRef;

/** A file's contents (CSV; also Stata .dta and Parquet, recognised by their first bytes or the name's
 *  extension), or the bundled demo panel generated in the worker. */
export type DataSource =
  | { readonly kind: "file"; readonly bytes: Uint8Array | string; readonly name: string; readonly delimiter?: string }
  | { readonly kind: "demo"; readonly seed?: number };

export type ToCompute =
  | { readonly type: "load"; readonly id: number; readonly dataset: string; readonly source: DataSource; readonly previewRows?: number }
  | { readonly type: "run"; readonly id: number; readonly command: string; readonly data: RunData; readonly options: Options; readonly workers?: number }
  | { readonly type: "drop"; readonly id: number; readonly dataset: string };

export interface ColumnSummary {
  readonly name: string;
  readonly kind: "numeric" | "text";
  readonly missing: number;
  /** Distinct non-missing values (counted up to DISTINCT_CAP; `distinctCapped` says when it stopped). */
  readonly distinct: number;
  readonly distinctCapped: boolean;
  /** Numeric columns: every value a whole number / only 0 and 1. */
  readonly integer: boolean;
  readonly binary: boolean;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Text columns: the first few levels. */
  readonly levels?: readonly string[];
}

export interface DatasetSummary {
  readonly name: string;
  readonly nrow: number;
  readonly columns: readonly ColumnSummary[];
  /** The first rows as displayed text (missing = ""). */
  readonly preview: readonly (readonly string[])[];
  readonly readMs: number;
}

/** A run's full output: the JSON `didwasm <command> --json` prints, the readable table, the figure. */
export interface DetailedResult {
  readonly command: string;
  readonly json: Record<string, unknown>;
  readonly text: string;
  readonly svg: string | null;
  readonly warnings: readonly string[];
}

export type FromCompute =
  | { readonly type: "ready"; readonly simd: boolean; readonly version: string; readonly commands: readonly string[] }
  | { readonly type: "progress"; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: "loaded"; readonly id: number; readonly summary: DatasetSummary }
  | { readonly type: "result"; readonly id: number; readonly result: DetailedResult }
  | { readonly type: "dropped"; readonly id: number }
  | {
      readonly type: "error";
      readonly id: number;
      /** DidwasmError code (the user's mistake: show the message) or null (a bug or a crash). */
      readonly code: string | null;
      readonly message: string;
      readonly details?: Readonly<Record<string, unknown>>;
    };
