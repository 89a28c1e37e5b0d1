// What every front end does to a result before it is JSON: non-finite numbers become null (JSON has no
// NaN or Infinity), timings are rounded to microseconds.

/** JSON.stringify replacer: NaN and +-Infinity as null. */
export const nonFiniteAsNull = (_key: string, v: unknown): unknown => (typeof v === "number" && !Number.isFinite(v) ? null : v);

/** A result as run() returns it: a plain copy, non-finite numbers as null. */
export function plainJson(o: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o, nonFiniteAsNull));
}

/** Milliseconds to three decimals. */
export const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The `timing_ms` every front end adds to a command's JSON: reading, and the estimation phase ("fit" for
 *  estimators, "run" for resampling). */
export const timingMs = (phase: string, readMs: number, phaseMs: number) => ({ timing_ms: { read: round3(readMs), [phase]: round3(phaseMs) } });
