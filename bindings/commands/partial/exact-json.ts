// Numbers through JSON without loss: a finite double prints as the shortest decimal that reads back to the
// same 64 bits, so only what JSON cannot say needs a form of its own: NaN, +-Infinity and -0 are written as
// {"$f64": "NaN" | "Infinity" | "-Infinity" | "-0"}. Partial results (partial.ts) store their draws and
// state this way, so merged parts reproduce one run's numbers bit for bit.

const TAG = "$f64";

function encodeNumber(x: number): unknown {
  if (Number.isFinite(x) && !Object.is(x, -0)) return x;
  return { [TAG]: Object.is(x, -0) ? "-0" : String(x) };
}

/** Plain JSON of `value`: typed arrays as arrays, non-finite numbers and -0 tagged, undefined left out. */
export function toExactJson(value: unknown): unknown {
  if (typeof value === "number") return encodeNumber(value);
  if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array) return Array.from(value, encodeNumber);
  if (Array.isArray(value)) return value.map(toExactJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== "function") out[k] = toExactJson(v);
    return out;
  }
  return value;
}

/** A tagged number's value, or undefined when `v` is not one. */
function taggedNumber(v: unknown): number | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== TAG) return undefined;
  const t = (v as Record<string, unknown>)[TAG];
  return t === "NaN" ? NaN : t === "Infinity" ? Infinity : t === "-Infinity" ? -Infinity : t === "-0" ? -0 : undefined;
}

/** The inverse of toExactJson (typed arrays come back as arrays; see numbersOf). */
export function fromExactJson(value: unknown): unknown {
  const tagged = taggedNumber(value);
  if (tagged !== undefined) return tagged;
  if (Array.isArray(value)) return value.map(fromExactJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromExactJson(v)]));
  }
  return value;
}

/** An array of exact-JSON numbers as a Float64Array, or null when an item is not a number. */
export function numbersOf(value: unknown): Float64Array | null {
  if (!Array.isArray(value)) return null;
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const x = typeof v === "number" ? v : taggedNumber(v);
    if (x === undefined) return null;
    out[i] = x;
  }
  return out;
}
