// Frames as plain, structured-cloneable data for posting to workers (typed arrays are copied once per
// worker; row labels for messages are not needed there because the main thread validates first).
import { Frame, type Column } from "../../data/frame.js";

export interface FrameData {
  readonly nrow: number;
  readonly columns: readonly Column[];
}

export function frameToData(f: Frame): FrameData {
  return { nrow: f.nrow, columns: f.columns.map((c) => ({ ...c })) };
}

export function frameFromData(d: FrameData): Frame {
  return new Frame(d.nrow, d.columns);
}
