// Joins Parquet row groups decoded separately (parquet-groups.ts) into exactly the Frame the whole-file
// reader gives (parquet.ts). Numbers are already in place in the shared buffers. A column that holds text
// in any group is text: the whole-file reader turns it to text at its first text value and writes every
// number before and after as its decimal text (String(v)); its levels are the texts in order of first
// sight along the rows. So walking the groups in file order, numbering texts on first sight, and writing
// a numeric group's values as String(v), gives the same levels, codes and first text.
import { Frame, type Column } from "./frame.js";
import type { GroupColumn } from "./parquet-groups.js";

function textColumn(name: string, parts: readonly GroupColumn[], starts: readonly number[], rows: readonly number[], numbers: Float64Array, nrow: number): Column {
  const codes = new Int32Array(new SharedArrayBuffer(nrow * 4));
  const levels: string[] = [];
  const idOf = new Map<string, number>();
  const id = (text: string): number => {
    let g = idOf.get(text);
    if (g === undefined) {
      g = levels.length;
      levels.push(text);
      idOf.set(text, g);
    }
    return g;
  };
  let firstText: { row: number; text: string } | null = null;
  parts.forEach((part, k) => {
    const base = starts[k];
    if (part.kind === "numeric") {
      for (let r = 0; r < rows[k]; r++) {
        const v = numbers[base + r];
        codes[base + r] = Number.isNaN(v) ? -1 : id(String(v));
      }
      return;
    }
    if (firstText === null && part.firstText) firstText = { row: base + part.firstText.row, text: part.firstText.text };
    const map = new Int32Array(part.levels.length).fill(-1);
    for (let r = 0; r < rows[k]; r++) {
      const l = part.codes[r];
      if (l < 0) {
        codes[base + r] = -1;
        continue;
      }
      if (map[l] < 0) map[l] = id(part.levels[l]);
      codes[base + r] = map[l];
    }
  });
  return { kind: "text", name, codes, levels, firstText };
}

/** The Frame of a file from its groups' columns (groups[k][j]: group k, column j), in file order. */
export function mergeParquetGroups(groups: readonly (readonly GroupColumn[])[], names: readonly string[], shared: readonly SharedArrayBuffer[], starts: readonly number[], rows: readonly number[], nrow: number): Frame {
  const columns = names.map((name, j): Column => {
    const parts = groups.map((g) => g[j]);
    const numbers = new Float64Array(shared[j], 0, nrow);
    if (parts.every((p) => p.kind === "numeric")) return { kind: "numeric", name, values: numbers };
    return textColumn(name, parts, starts, rows, numbers, nrow);
  });
  return new Frame(nrow, columns);
}
