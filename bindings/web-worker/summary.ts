// What a page shows about a data set before any analysis: per-column type and summary statistics, and
// the first rows as text.
import type { Frame } from "../data/frame.js";
import type { ColumnSummary } from "./protocol.js";

/** Distinct values are counted up to this many (enough to tell ids and categories from measurements). */
export const DISTINCT_CAP = 100_000;
/** Levels of a text column sent along for display. */
const LEVELS_SHOWN = 8;

export function summarizeColumns(frame: Frame): ColumnSummary[] {
  return frame.columns.map((c) => {
    if (c.kind === "text") {
      let missing = 0;
      for (let i = 0; i < c.codes.length; i++) if (c.codes[i] < 0) missing++;
      return {
        name: c.name, kind: "text", missing, distinct: c.levels.length, distinctCapped: false, integer: false, binary: false,
        min: null, max: null, mean: null, levels: c.levels.slice(0, LEVELS_SHOWN),
      };
    }
    const v = c.values;
    let missing = 0, min = Infinity, max = -Infinity, sum = 0, n = 0, integer = true, binary = true;
    const seen = new Set<number>();
    let capped = false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (Number.isNaN(x)) {
        missing++;
        continue;
      }
      n++;
      if (x < min) min = x;
      if (x > max) max = x;
      sum += x;
      if (integer && !Number.isInteger(x)) integer = false;
      if (binary && x !== 0 && x !== 1) binary = false;
      if (!capped) {
        seen.add(x);
        if (seen.size >= DISTINCT_CAP) capped = true;
      }
    }
    return {
      name: c.name, kind: "numeric", missing, distinct: seen.size, distinctCapped: capped, integer: n > 0 && integer, binary: n > 0 && binary,
      min: n ? min : null, max: n ? max : null, mean: n ? sum / n : null,
    };
  });
}

/** The first `rows` rows as text (missing cells empty). */
export function previewRows(frame: Frame, rows: number): string[][] {
  const n = Math.min(rows, frame.nrow);
  const out: string[][] = [];
  for (let r = 0; r < n; r++) {
    out.push(frame.columns.map((c) => frame.cellText(c.name, r)));
  }
  return out;
}
