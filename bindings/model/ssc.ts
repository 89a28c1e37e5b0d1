// Small-sample corrections, as fixest's ssc(): the settings, fixest 0.12's defaults, and the text form for
// the command line, "adj=false,fixef.K=full,t.df=min". Keys and values are fixest 0.12's (ssc(adj, fixef.K,
// cluster.adj, cluster.df, t.df, fixef.force_exact)); an unknown key or value is an error that lists the
// accepted ones. "ssc(...)" around the list is accepted too.
import { DidwasmError } from "../errors.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BOOLEAN: Readonly<Record<string, boolean>> = { true: true, t: true, false: false, f: false };

/** fixest's key, the library's field, and how its value is read. */
const KEYS: ReadonlyArray<{ readonly key: string; readonly read: (v: string, s: Mutable<Partial<Ssc>>) => string | null }> = [
  { key: "adj", read: (v, s) => bool(v, (b) => (s.adj = b)) },
  { key: "fixef.K", read: (v, s) => oneOf(v, ["none", "full", "nested"] as const, (c) => (s.fixefK = c)) },
  { key: "cluster.adj", read: (v, s) => bool(v, (b) => (s.clusterAdj = b)) },
  { key: "cluster.df", read: (v, s) => oneOf(v, ["conventional", "min"] as const, (c) => (s.clusterDf = c)) },
  {
    key: "t.df",
    read: (v, s) => {
      if (/^\d+$/.test(v) && Number(v) > 0) {
        s.tDf = Number(v);
        return null;
      }
      return oneOf(v, ["conventional", "min"] as const, (c) => (s.tDf = c)) && "conventional, min or a whole number above 0";
    },
  },
  { key: "fixef.force_exact", read: (v, s) => bool(v, (b) => (s.fixefForceExact = b)) },
];

function bool(v: string, set: (b: boolean) => void): string | null {
  const b = BOOLEAN[v.toLowerCase()];
  if (b === undefined) return "true or false";
  set(b);
  return null;
}

function oneOf<V extends string>(v: string, choices: readonly V[], set: (c: V) => void): string | null {
  if (!(choices as readonly string[]).includes(v)) return choices.join(", ");
  set(v as V);
  return null;
}

/** Reads "key=value,key=value" into the corrections it changes (the others keep fixest's defaults). */
export function parseSscText(text: string): Partial<Ssc> {
  let t = text.trim();
  const call = /^ssc\s*\((.*)\)$/s.exec(t);
  if (call) t = call[1].trim();
  const out: Mutable<Partial<Ssc>> = {};
  if (t === "") return out;
  const seen = new Set<string>();
  for (const part of t.split(",")) {
    const m = /^\s*([A-Za-z_.]+)\s*=\s*(.*?)\s*$/.exec(part);
    if (!m) throw new DidwasmError("BAD_OPTION", `ssc "${text}": "${part.trim()}" is not key=value (keys: ${KEYS.map((k) => k.key).join(", ")})`, { option: "ssc" });
    const spec = KEYS.find((k) => k.key === m[1]);
    if (!spec) throw new DidwasmError("BAD_OPTION", `ssc "${text}": unknown key "${m[1]}" (fixest's keys: ${KEYS.map((k) => k.key).join(", ")})`, { option: "ssc" });
    if (seen.has(spec.key)) throw new DidwasmError("BAD_OPTION", `ssc "${text}": ${spec.key} is given twice`, { option: "ssc" });
    seen.add(spec.key);
    const value = m[2].replace(/^(["'])(.*)\1$/, "$2");
    const expected = spec.read(value, out);
    if (expected) throw new DidwasmError("BAD_OPTION", `ssc "${text}": ${spec.key} must be ${expected}, got "${value}"`, { option: "ssc" });
  }
  return out;
}

/** Small-sample corrections, as fixest's ssc(); defaults are fixest 0.12's. */
export interface Ssc {
  /** Multiply by (n - 1) / (n - K), K the number of parameters. */
  readonly adj: boolean;
  /** Which fixed-effect parameters count in K: none, all, or those not nested in a cluster variable. */
  readonly fixefK: "none" | "nested" | "full";
  /** Multiply clustered variances by G / (G - 1) (Newey-West and Driscoll-Kraay: T / (T - 1)). */
  readonly clusterAdj: boolean;
  /** Multiway: one G_min / (G_min - 1) for every term ("min") or each term's own ("conventional"). */
  readonly clusterDf: "min" | "conventional";
  /** Degrees of freedom of t tests: min(G) - 1 for clustered, Newey-West and Driscoll-Kraay variances
   *  ("min"), n - K ("conventional", and every other variance), or the number given. */
  readonly tDf: "min" | "conventional" | number;
  /** Count the fixed-effect parameters exactly, one reference per connected component (fixef()'s rule),
   *  instead of one per fixed effect after the first. */
  readonly fixefForceExact: boolean;
}

export const DEFAULT_SSC: Ssc = { adj: true, fixefK: "nested", clusterAdj: true, clusterDf: "min", tDf: "min", fixefForceExact: false };

/** The corrections to use: fixest's defaults, changed by an object or by fixest's text (parseSscText above). */
export function resolveSsc(s: string | Partial<Ssc> | undefined): Ssc {
  const out = { ...DEFAULT_SSC, ...(typeof s === "string" ? parseSscText(s) : (s ?? {})) };
  if (!["none", "nested", "full"].includes(out.fixefK)) throw new DidwasmError("BAD_OPTION", `ssc fixefK must be none, nested or full`);
  if (!["min", "conventional"].includes(out.clusterDf)) throw new DidwasmError("BAD_OPTION", `ssc clusterDf must be min or conventional`);
  if (!(out.tDf === "min" || out.tDf === "conventional" || (Number.isInteger(out.tDf) && out.tDf > 0))) {
    throw new DidwasmError("BAD_OPTION", `ssc tDf must be min, conventional or a whole number above 0`);
  }
  for (const key of ["adj", "clusterAdj", "fixefForceExact"] as const) {
    if (typeof out[key] !== "boolean") throw new DidwasmError("BAD_OPTION", `ssc ${key} must be true or false`);
  }
  return out;
}
