// What the golden tests against fixest share: the data sets read once per file, and the comparison of a
// coefficient row with the bounds (estimates 1e-8 relative, standard errors 1e-6).
import { expect } from "vitest";
import type { Frame } from "../../bindings/data/frame.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { join } from "node:path";

/** A reader of the CSV files in `dir`, each read once. */
export function csvFrames(dir: string): (file: string) => Frame {
  const frames = new Map<string, Frame>();
  return (file) => {
    let f = frames.get(file);
    if (!f) frames.set(file, (f = readCsvFile(join(dir, file))));
    return f;
  };
}

export interface GoldenRow {
  term: string;
  estimate: number;
  std_error: number;
}

/** The bounds: the same least-squares problems give estimates equal to rounding; standard errors
 *  go through more steps. */
export const COEF_REL = 1e-8;
/** Estimates closer to zero than this are compared absolutely (a relative error of ~0 is meaningless). */
export const COEF_ABS = 1e-10;
export const SE_REL = 1e-6;

export function expectRowClose(got: GoldenRow, want: GoldenRow, at: string): void {
  expect(got.term, at).toBe(want.term);
  const dEst = Math.abs(got.estimate - want.estimate);
  expect(dEst, `${at} estimate ${got.estimate} vs ${want.estimate}`).toBeLessThanOrEqual(Math.max(COEF_REL * Math.abs(want.estimate), COEF_ABS));
  const dSe = Math.abs(got.std_error - want.std_error) / want.std_error;
  expect(dSe, `${at} std_error ${got.std_error} vs ${want.std_error}`).toBeLessThanOrEqual(SE_REL);
}
