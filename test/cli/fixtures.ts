// Small deterministic panels for the CLI tests, written as CSV text. Generated with the project's PRNG so
// the numbers never change between runs.
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

export interface PanelOptions {
  units?: number;
  periods?: number;
  seed?: number;
  /** Share of (unit, period) cells dropped at random, making the panel unbalanced. */
  dropShare?: number;
  /** Text label per unit; "comma" puts a comma inside it (so the field must be quoted). */
  label?: "plain" | "comma";
}

/** Columns: unit, year, x1, x2, y, grp (unit mod 4), w (positive weights), name (quoted text label). */
export function panelCsv(o: PanelOptions = {}): string {
  const units = o.units ?? 20;
  const periods = o.periods ?? 6;
  const rng = new Xoshiro128(o.seed ?? 7);
  const lines = ["unit,year,x1,x2,y,grp,w,name"];
  for (let u = 1; u <= units; u++) {
    const alpha = rng.normal();
    for (let t = 0; t < periods; t++) {
      const keep = rng.uniform() >= (o.dropShare ?? 0);
      const x1 = rng.normal();
      const x2 = 1 + rng.uniform() * 2;
      const y = 0.5 * x1 - 0.3 * x2 + alpha + 0.05 * t + 0.1 * rng.normal();
      const w = 0.5 + rng.uniform();
      const label = o.label === "comma" ? `city, ${u}` : `city ${u}`;
      if (keep) lines.push(`${u},${2000 + t},${x1.toFixed(6)},${x2.toFixed(6)},${y.toFixed(6)},${u % 4},${w.toFixed(4)},"${label}"`);
    }
  }
  return lines.join("\n") + "\n";
}

/** A stack-trace line ("    at fn (file:1:2)"). */
export const STACK_LINE = /^\s+at /m;
