// Frames from plain column objects: { y: [1, 2, null], id: ["a", "b", "c"], w: Float64Array }.
// Arrays of numbers (null, undefined and NaN = missing, booleans as 0/1) become numeric columns; arrays
// holding any string become text columns.
import { DidwasmError } from "../errors.js";
import { Frame, type Column } from "./frame.js";

export type ColumnValues = ArrayLike<number | string | boolean | null | undefined>;
export type ColumnData = Readonly<Record<string, ColumnValues>>;
export type DataInput = Frame | ColumnData;

function toColumn(name: string, values: ColumnValues): Column {
  if (values instanceof Float64Array) return { kind: "numeric", name, values };
  const n = values.length;
  let firstText = -1;
  for (let i = 0; i < n; i++) {
    if (typeof values[i] === "string") {
      firstText = i;
      break;
    }
  }
  if (firstText < 0) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i] = v === null || v === undefined ? NaN : typeof v === "boolean" ? (v ? 1 : 0) : (v as number);
    }
    return { kind: "numeric", name, values: out };
  }
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) || v === "") {
      codes[i] = -1;
      continue;
    }
    const s = String(v);
    let id = index.get(s);
    if (id === undefined) {
      id = levels.length;
      levels.push(s);
      index.set(s, id);
    }
    codes[i] = id;
  }
  return { kind: "text", name, codes, levels, firstText: { row: firstText, text: String(values[firstText]) } };
}

export function fromColumns(data: ColumnData): Frame {
  const names = Object.keys(data);
  if (names.length === 0) throw new DidwasmError("EMPTY_FILE", "the data has no columns");
  const n = data[names[0]].length;
  for (const name of names) {
    if (data[name].length !== n) {
      throw new DidwasmError("BAD_DATA", `column "${name}" has ${data[name].length} values but "${names[0]}" has ${n}`, { column: name });
    }
  }
  if (n === 0) throw new DidwasmError("NO_DATA_ROWS", "the data has no rows");
  return new Frame(n, names.map((nm) => toColumn(nm, data[nm])));
}

export function toFrame(data: DataInput): Frame {
  return data instanceof Frame ? data : fromColumns(data);
}
