// Reads a command's options against its schema: unknown keys are refused (with a "did you mean"), each value
// is parsed by its kind from CLI text or a JavaScript value, range-checked, defaulted, and an option that does
// not apply with the others given (or that the command cannot honour) is refused. Errors name the option the
// way the caller's front end spells it: --max-iter on the CLI, maxIter in run(), a spec path in reports.
import { DidwasmError, nearestName } from "../../errors.js";
import type { OptionDef, Parsed, ParsedValues, Schema } from "./types.js";

/** How a front end spells an option key. */
export type Naming = (key: string) => string;

/** CLI spelling: maxIter -> --max-iter. */
export const flagName: Naming = (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
/** run() spelling: the key itself. */
export const keyName: Naming = (key) => key;

/** Integers everywhere are kept within what every kernel takes as a 32-bit count. */
const INT_LIMIT = 2 ** 31 - 1;

export interface OptionProblem {
  readonly key: string;
  readonly message: string;
}

class ValueError extends Error {}

const fail = (expected: string): never => {
  throw new ValueError(expected);
};

function textOf(v: unknown, what = "text", verbatim = false): string {
  if (typeof v !== "string") fail(`must be ${what}`);
  if (verbatim) {
    if (v === "") fail(`must not be empty (give ${what})`);
    return v as string;
  }
  const s = (v as string).trim();
  if (s === "") fail(`must not be empty (give ${what})`);
  return s;
}

function listOf(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") {
    if (v.trim() === "") fail(`must not be empty (give ${what})`);
    return v.split(",").map((s) => s.trim());
  }
  return fail(`must be ${what}`);
}

function numberOf(v: unknown, def: OptionDef, integer: boolean): number {
  const what = integer ? "a whole number" : "a number";
  let x: number;
  if (typeof v === "number") x = v;
  else if (typeof v === "string" && v.trim() !== "" && /^[\s+\-.\deE]+$|^\s*[+-]?(Infinity)\s*$/.test(v)) x = Number(v);
  else return fail(`must be ${what}`);
  if (!Number.isFinite(x)) fail(`must be ${what}`);
  if (integer && !Number.isInteger(x)) fail(`must be a whole number`);
  const min = def.min ?? (integer ? -INT_LIMIT : -Infinity);
  const max = def.max ?? (integer ? INT_LIMIT : Infinity);
  const lowOk = def.minExclusive ? x > min : x >= min;
  const highOk = def.maxExclusive ? x < max : x <= max;
  if (!lowOk || !highOk) {
    const lo = def.min === undefined && !integer ? "" : `${def.minExclusive ? "greater than" : "at least"} ${min}`;
    const hi = def.max === undefined && !integer ? "" : `${def.maxExclusive ? "less than" : "at most"} ${max.toLocaleString("en-US")}`;
    fail(`must be ${what} ${[lo, hi].filter(Boolean).join(" and ")}`);
  }
  return x;
}

/** One number of a list: a value that is not a number at all is named as the list's problem. */
function itemOf(x: unknown, def: OptionDef, integer: boolean): number {
  const plural = integer ? "whole numbers" : "numbers";
  if (!(typeof x === "number" || (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))))) {
    return fail(`must be ${plural} separated by commas (${JSON.stringify(x)} is not a number)`);
  }
  return numberOf(x, def, integer);
}

function parseValue(def: OptionDef, v: unknown): unknown {
  switch (def.kind) {
    case "text":
      return textOf(v, "text", def.verbatim);
    case "formula":
    case "subset":
    case "vcov":
    case "path":
      return textOf(v);
    case "column":
      return textOf(v, "a column name");
    case "columns": {
      if (Array.isArray(v) && v.length === 0) return [];
      const items = listOf(v, "column names separated by commas");
      return items.map((x) => textOf(x, "column names separated by commas"));
    }
    case "number":
      return numberOf(v, def, false);
    case "integer":
      return numberOf(v, def, true);
    case "seed":
      return numberOf(v, { ...def, min: 0, max: 0xffffffff }, true);
    case "flag":
      if (typeof v === "boolean") return v;
      if (v === "true" || v === "1") return true;
      if (v === "false" || v === "0") return false;
      return fail("must be true or false");
    case "choice": {
      const s = typeof v === "number" ? String(v) : v;
      if (typeof s !== "string" || !def.choices!.includes(s)) fail(`must be one of ${def.choices!.join(", ")}`);
      return s;
    }
    case "range": {
      let pair: unknown[];
      if (Array.isArray(v)) pair = v;
      else {
        const m = typeof v === "string" ? /^\s*(-?\d+)\s*:\s*(-?\d+)\s*$/.exec(v) : null;
        if (!m) return fail("must look like lo:hi, e.g. -7:7");
        pair = [m[1], m[2]];
      }
      if (pair.length !== 2) fail("must be two whole numbers lo:hi");
      const [lo, hi] = pair.map((x) => numberOf(x, def, true));
      if (lo > hi) fail("must have lo <= hi");
      return [lo, hi];
    }
    case "integers":
      return listOf(v, "whole numbers separated by commas").map((x) => itemOf(x, def, true));
    case "numbers":
      return listOf(v, "numbers separated by commas").map((x) => itemOf(x, def, false));
    case "labels": {
      if (typeof v === "string") {
        const out: Record<string, string> = {};
        for (const part of v.split(",")) {
          const i = part.indexOf("=");
          if (i <= 0) fail(`must look like "a=label,b=label"`);
          out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
        }
        return out;
      }
      if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")) return { ...(v as Record<string, string>) };
      return fail("must map names to labels (text)");
    }
    case "texts":
      if (typeof v === "string") return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return [...v];
      return fail("must be text");
  }
}

const shown = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Replaces {key} references in an applicability reason with the front end's spelling. */
function spell(reason: string, naming: Naming): string {
  return reason.replace(/\{(\w+)\}/g, (_, k: string) => naming(k));
}

export interface ParseResult<S extends Schema> {
  readonly values: Parsed<S>;
}

/** Parses `raw` against `schema`, collecting every problem. `context`: other options already parsed (a
 *  command's, when these are its output options), which applicability rules may look at. */
export function checkOptions<S extends Schema>(
  schema: S, raw: Readonly<Record<string, unknown>>, naming: Naming, context: ParsedValues = {},
): { result: ParseResult<S> | null; problems: OptionProblem[] } {
  const problems: OptionProblem[] = [];
  const keys = Object.keys(schema);
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || keys.includes(k)) continue;
    const near = nearestName(k, keys);
    problems.push({ key: k, message: `${naming(k)} is not an option of this command${near ? ` (did you mean ${naming(near)}?)` : ""}` });
  }
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [k, def] of Object.entries(schema)) {
    const v = raw[k];
    if (v === undefined || v === null) {
      if (def.required) problems.push({ key: k, message: `${naming(k)} is required (${def.help})` });
      else if (def.requiredUnless && (raw[def.requiredUnless] === undefined || raw[def.requiredUnless] === null)) {
        problems.push({ key: k, message: `${naming(k)} is required, or ${naming(def.requiredUnless)} instead (${def.help})` });
      }
      else if (def.default !== undefined) values[k] = def.default;
      continue;
    }
    if (def.refused) {
      problems.push({ key: k, message: `${naming(k)}: ${spell(def.refused, naming)}` });
      continue;
    }
    try {
      values[k] = parseValue(def, v);
      given.add(k);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      problems.push({ key: k, message: `${naming(k)} ${e.message}, got ${shown(v)}` });
    }
  }
  if (problems.length === 0) {
    for (const k of given) {
      const reason = schema[k].appliesWhen?.({ ...context, ...values });
      if (reason) problems.push({ key: k, message: `${naming(k)} ${spell(reason, naming)}` });
    }
  }
  return { result: problems.length ? null : { values: values as Parsed<S> }, problems };
}

/** Parses `raw` against `schema`; throws one error listing every problem. */
export function parseOptions<S extends Schema>(schema: S, raw: Readonly<Record<string, unknown>>, naming: Naming, context: ParsedValues = {}): ParseResult<S> {
  const { result, problems } = checkOptions(schema, raw, naming, context);
  if (!result) {
    throw new DidwasmError("BAD_OPTION", problems.map((p) => p.message).join("; "), { option: naming(problems[0].key), problems });
  }
  return result;
}
