// Parsers for option values, with messages that name the option.
import { InvalidArgumentError } from "commander";

export function positiveNumber(flag: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError(`${flag} must be a positive number, got "${v}"`);
    return x;
  };
}

export function positiveInteger(flag: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got "${v}"`);
    return x;
  };
}

export function oneOf<T extends string>(flag: string, values: readonly T[]) {
  return (v: string): T => {
    if (!values.includes(v as T)) throw new InvalidArgumentError(`${flag} must be one of ${values.join(", ")}, got "${v}"`);
    return v as T;
  };
}

export function list(v: string): string[] {
  return v.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

export function integer(flag: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x)) throw new InvalidArgumentError(`${flag} must be a whole number, got "${v}"`);
    return x;
  };
}

/** "lo:hi" with whole numbers, e.g. "-7:7". */
export function range(flag: string) {
  return (v: string): [number, number] => {
    const m = /^\s*(-?\d+)\s*:\s*(-?\d+)\s*$/.exec(v);
    if (!m) throw new InvalidArgumentError(`${flag} must look like -7:7, got "${v}"`);
    return [Number(m[1]), Number(m[2])];
  };
}

/** Help text of every command's data argument (the readers recognise the format by the file's first bytes). */
export const DATA_ARGUMENT_HELP = "data file: CSV, Parquet or Stata .dta";
