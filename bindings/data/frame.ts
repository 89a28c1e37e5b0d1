// A Frame is a set of equally long columns. Numeric columns are Float64Array with NaN for missing; text
// columns are dictionary-encoded (Int32Array codes, -1 for missing, and the distinct strings). Where a
// row came from (a CSV line, an array index) is kept so errors can point at it.
import { DidwasmError, nearestName } from "../errors.js";
import { excerpt, quoted } from "./excerpt.js";

/** Column names listed in an unknown-column error: enough to spot a typo, not a whole wide file's header. */
const LISTED_NAMES = 30;

export interface NumericColumn {
  readonly kind: "numeric";
  readonly name: string;
  /** One value per row; NaN = missing. +-Infinity only when the source said Inf. */
  readonly values: Float64Array;
  /** True when the reader saw every value and none was missing or infinite (lets the estimation sample
   *  skip its scan of the column); absent when unknown. Frames are immutable: values must not change. */
  readonly allFinite?: boolean;
}

export interface TextColumn {
  readonly kind: "text";
  readonly name: string;
  /** Index into levels per row; -1 = missing. */
  readonly codes: Int32Array;
  readonly levels: readonly string[];
  /** The first row whose cell is not a number (why this column is text), for error messages. */
  readonly firstText: { readonly row: number; readonly text: string } | null;
  /** For value-labelled numbers (Stata .dta): the stored numbers, used where a number is needed, so a
   *  labelled dummy ("treated"/"control") can still be a regressor. */
  readonly numbers?: Float64Array;
}

export type Column = NumericColumn | TextColumn;

export class Frame {
  private readonly byName: Map<string, Column>;
  constructor(
    readonly nrow: number,
    readonly columns: readonly Column[],
    /** Human description of row r, e.g. "line 18" for CSV (header is line 1) or "row 17". */
    private readonly rowLabel: (row: number) => string = (r) => `row ${r + 1}`,
    /** What the reader suspects went wrong in reading (e.g. the wrong delimiter), said with unknown-column
     *  errors, which is how such a mistake shows; "" when nothing. */
    private readonly readHint = "",
  ) {
    this.byName = new Map();
    for (const c of columns) {
      if (this.byName.has(c.name)) {
        throw new DidwasmError("DUPLICATE_COLUMN", `duplicate column name ${quoted(c.name)}`, { column: c.name });
      }
      this.byName.set(c.name, c);
    }
  }

  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The column, or a DidwasmError naming the nearest existing column. `role` says where it was asked for. */
  column(name: string, role = "column"): Column {
    const c = this.byName.get(name);
    if (c) return c;
    const names = this.names;
    const near = nearestName(name, names);
    const listed = names.slice(0, LISTED_NAMES).map((n) => excerpt(n));
    if (names.length > LISTED_NAMES) listed.push(`and ${names.length - LISTED_NAMES} more`);
    throw new DidwasmError(
      "UNKNOWN_COLUMN",
      `unknown ${role} ${quoted(name)}` +
        (near ? ` (did you mean ${quoted(near)}?)` : "") +
        `; the data has: ${listed.join(", ")}` +
        (this.readHint ? `; ${this.readHint}` : ""),
      { column: name, suggestion: near },
    );
  }

  /** The column's values as numbers, or a DidwasmError naming the first non-numeric cell. */
  numeric(name: string, role = "column"): Float64Array {
    const c = this.column(name, role);
    if (c.kind === "numeric") return c.values;
    if (c.numbers) return c.numbers;
    const where = c.firstText ? `${this.describeRow(c.firstText.row)} has ${quoted(c.firstText.text)}` : "it holds text";
    throw new DidwasmError("NOT_NUMERIC", `${role} ${quoted(name)} must be numeric, but ${where}`, {
      column: name,
      row: c.firstText?.row,
    });
  }

  /** Whether the column is numeric and known to hold only finite values (see NumericColumn.allFinite). */
  knownFinite(name: string): boolean {
    const c = this.byName.get(name);
    return c !== undefined && c.kind === "numeric" && c.allFinite === true;
  }

  describeRow(row: number): string {
    return this.rowLabel(row);
  }

  /** A new frame with the same rows and one more (or a replaced) column. */
  withColumn(col: Column): Frame {
    if (col.kind === "numeric" ? col.values.length !== this.nrow : col.codes.length !== this.nrow) {
      throw new DidwasmError("BAD_DATA", `column "${col.name}" has the wrong length`);
    }
    return new Frame(this.nrow, [...this.columns.filter((c) => c.name !== col.name), col], this.rowLabel, this.readHint);
  }

  /** Text of a cell, for display and grouping keys. */
  cellText(name: string, row: number): string {
    const c = this.column(name);
    if (c.kind === "numeric") return Number.isNaN(c.values[row]) ? "" : String(c.values[row]);
    return c.codes[row] < 0 ? "" : c.levels[c.codes[row]];
  }
}
