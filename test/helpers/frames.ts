// Comparing frames read from different file formats: column by column, cell by cell, numbers bit for bit.
import { expect } from "vitest";
import type { Frame } from "../../bindings/data/frame.js";
import { DidwasmError } from "../../bindings/errors.js";

/** A column's cells: numbers (NaN for missing) for numeric columns, strings (null for missing) for text. */
export function cells(frame: Frame, name: string): Array<number | string | null> {
  const c = frame.column(name);
  if (c.kind === "numeric") return Array.from(c.values);
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
}

/** Same names, kinds and cells (Object.is for numbers: NaN equals NaN, 0 and -0 differ). */
export function expectSameFrame(actual: Frame, expected: Frame, skip: readonly string[] = []): void {
  expect(actual.names).toEqual(expected.names);
  expect(actual.nrow).toBe(expected.nrow);
  for (const name of expected.names) {
    if (skip.includes(name)) continue;
    expect(actual.column(name).kind, name).toBe(expected.column(name).kind);
    const a = cells(actual, name);
    const e = cells(expected, name);
    const firstDiff = a.findIndex((x, r) => !Object.is(x, e[r]));
    expect(firstDiff, `${name}: row ${firstDiff} is ${a[firstDiff]}, expected ${e[firstDiff]}`).toBe(-1);
  }
}

export async function errorOfAsync(f: () => unknown): Promise<DidwasmError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof DidwasmError) return e;
    throw e;
  }
  throw new Error("expected a DidwasmError, got a result");
}

export function errorOf(f: () => unknown): DidwasmError {
  try {
    f();
  } catch (e) {
    if (e instanceof DidwasmError) return e;
    throw e;
  }
  throw new Error("expected a DidwasmError, got a result");
}
