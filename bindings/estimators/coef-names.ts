// Coefficients by name, for the fit classes (Fit, GlmFit): a name's position, values keyed by name, and a
// K x K row-major matrix as rows.
import { DidwasmError } from "../errors.js";

export function coefIndex(names: readonly string[], name: string): number {
  const i = names.indexOf(name);
  if (i < 0) {
    throw new DidwasmError("UNKNOWN_COEFFICIENT", `no coefficient "${name}" in the model (it has: ${names.join(", ")})`, { coefficient: name });
  }
  return i;
}

export function namedValues(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((n, i) => (out[n] = values[i]));
  return out;
}

export function matrixRows(v: ArrayLike<number>, K: number): number[][] {
  return Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => v[i * K + j]));
}
