// Reading command options given as CLI strings or as JavaScript values (from run()): each reader accepts
// both and names the flag in its error.
import { DidwasmError } from "../errors.js";

export const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function bad(key: string, expected: string, got: unknown): never {
  throw new DidwasmError("BAD_OPTION", `${flag(key)} must be ${expected}, got ${JSON.stringify(got)}`, { option: flag(key) });
}

export function str(o: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") bad(key, "text", v);
  return v;
}

export function need(o: Readonly<Record<string, unknown>>, key: string): string {
  const v = str(o, key);
  if (v === undefined || v === "") throw new DidwasmError("BAD_OPTION", `${flag(key)} is required`, { option: flag(key) });
  return v;
}

export function num(o: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === "") return undefined;
  const x = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  if (!Number.isFinite(x)) bad(key, "a number", v);
  return x;
}

export function int(o: Readonly<Record<string, unknown>>, key: string, min = -Infinity): number | undefined {
  const x = num(o, key);
  if (x === undefined) return undefined;
  if (!Number.isInteger(x) || x < min) bad(key, min === 1 ? "a positive whole number" : "a whole number", o[key]);
  return x;
}

export function bool(o: Readonly<Record<string, unknown>>, key: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return bad(key, "true or false", v);
}

export function list(o: Readonly<Record<string, unknown>>, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.filter((x) => x.length > 0);
  if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  return bad(key, "a list of names", v);
}

export function oneOf<T extends string>(o: Readonly<Record<string, unknown>>, key: string, values: readonly T[]): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  if (!values.includes(s as T)) bad(key, `one of ${values.join(", ")}`, v);
  return s as T;
}

/** "lo:hi" or [lo, hi] with whole numbers. */
export function range(o: Readonly<Record<string, unknown>>, key: string): [number, number] | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger)) return [v[0], v[1]];
  const m = typeof v === "string" ? /^\s*(-?\d+)\s*:\s*(-?\d+)\s*$/.exec(v) : null;
  if (!m) return bad(key, "lo:hi, e.g. -7:7", v);
  return [Number(m[1]), Number(m[2])];
}

export function intList(o: Readonly<Record<string, unknown>>, key: string): number[] | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === "") return undefined;
  const items = Array.isArray(v) ? v : String(v).split(",");
  return items.map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n)) bad(key, "whole numbers", v);
    return n;
  });
}

/** Options every estimator shares. */
export function common(o: Readonly<Record<string, unknown>>) {
  return {
    vcov: str(o, "vcov"),
    weights: str(o, "weights"),
    subset: str(o, "subset"),
    backend: oneOf(o, "backend", ["wasm", "reference"] as const),
    tol: num(o, "tol"),
    maxIter: int(o, "maxIter", 1),
  };
}

export function seedOf(o: Readonly<Record<string, unknown>>, pick: () => number): number {
  const s = num(o, "seed");
  if (s === undefined) return pick();
  if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) bad("seed", "an integer in [0, 4294967295]", o.seed);
  return s;
}
