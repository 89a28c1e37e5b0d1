// The group x period cells each dCDH horizon uses (dcdh.ts): their count is each estimate's nobs, and the
// cells used by any effect are the average total effect's.
import { freshU8 } from "../../engine/fresh-arrays.js";

/** Which cells each horizon used: a bit per horizon, eight horizons to a byte (run r: bit r % 8 of plane
 *  floor(r / 8)), a byte per cell rather than an array per horizon (fresh memory costs more to map than to
 *  fill). */
export class UsedCells {
  private readonly planes: Uint8Array[];
  constructor(private readonly cells: number, runs: number) {
    this.planes = Array.from({ length: Math.ceil(runs / 8) }, () => freshU8(cells));
  }
  /** The array run `run` marks its cells in, with bit(run). */
  plane(run: number): Uint8Array {
    return this.planes[run >> 3];
  }
  static bit(run: number): number {
    return 1 << (run & 7);
  }
  /** 1 for the cells some of runs 0 .. runs - 1 used. */
  byAnyOf(runs: number): Uint8Array {
    const out = new Uint8Array(this.cells);
    for (let p = 0; p * 8 < runs; p++) {
      const mask = runs - p * 8 >= 8 ? 0xff : (1 << (runs - p * 8)) - 1;
      const plane = this.planes[p];
      for (let k = 0; k < out.length; k++) if (plane[k] & mask) out[k] = 1;
    }
    return out;
  }
}
