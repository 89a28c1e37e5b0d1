// The types bacon.ts and bacon-controlled.ts share: a 2x2 comparison and the balanced panel both
// decompose (in their own file so that the two modules do not import each other).
import type { Frame } from "../../data/frame.js";

export type BaconType =
  | "Treated vs Untreated"
  | "Earlier vs Later Treated"
  | "Later vs Earlier Treated"
  | "Later vs Always Treated"
  | "Both Treated";

export interface BaconPair {
  readonly treated: number;
  /** Cohort of the control group; null for the never-treated. */
  readonly untreated: number | null;
  readonly type: BaconType;
  readonly weight: number;
  readonly estimate: number;
}

/** The panel as the decomposition sees it: balanced, one row per unit and period. */
export interface BaconPanel {
  readonly frame: Frame;
  readonly rows: Int32Array;
  readonly y: Float64Array;
  readonly d: Float64Array;
  readonly time: Float64Array;
  /** First treated period of the row's unit, Infinity if never. */
  readonly group: Float64Array;
  readonly unit: { readonly ids: Int32Array; readonly G: number; readonly name: string };
  readonly period: { readonly ids: Int32Array; readonly G: number; readonly name: string };
  readonly firstPeriod: number;
}
