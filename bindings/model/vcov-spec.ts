// Variance estimators by name (DESIGN.md): "iid", "hetero" (HC1), "cluster:VAR" and "cluster:A+B" (CRV1,
// multiway by inclusion-exclusion), also written as fixest's formula "~VAR" / "~A+B"; and the
// small-sample correction object mirroring fixest's ssc(). Stata's spellings (cluster city,
// vce(cluster city), cluster(city)) are refused with the spelling to use instead.
import { DidwasmError } from "../errors.js";
import { abbreviates } from "./formula-hints.js";

export type VcovSpec =
  | { readonly type: "iid" }
  | { readonly type: "hetero" }
  | { readonly type: "cluster"; readonly vars: readonly string[] };

export function parseVcov(text: string | VcovSpec): VcovSpec {
  if (typeof text !== "string") return text;
  const t = text.trim();
  if (t === "iid" || t === "standard") return { type: "iid" };
  if (t === "hetero" || t === "HC1" || t === "hc1" || t === "robust") return { type: "hetero" };
  // fixest's vcov = ~city is clustering by city (and ~a + b two-way).
  const m = /^(?:cluster|CL)\s*[:=]\s*(.+)$/.exec(t) ?? /^~\s*(.*)$/.exec(t);
  if (m) {
    const vars = m[1].split(/[+,]/).map((s) => unquote(s.trim()));
    if (vars.some((v) => v === "")) throw new DidwasmError("BAD_OPTION", `vcov "${text}": a cluster variable name is empty`);
    if (new Set(vars).size !== vars.length) throw new DidwasmError("BAD_OPTION", `vcov "${text}": a cluster variable is repeated`);
    return { type: "cluster", vars };
  }
  const stata = stataVcovHint(t);
  throw new DidwasmError("BAD_OPTION", `unknown vcov "${text}": ${stata ? stata + "; " : ""}use iid, hetero, cluster:VAR or cluster:A+B`, { vcov: text });
}

/** `ln gdp` -> ln gdp: a cluster variable may be written in backticks, as in a formula. */
function unquote(name: string): string {
  return /^`.+`$/.test(name) ? name.slice(1, -1).replace(/\\(.)/g, "$1") : name;
}

/** The spelling to use for a Stata variance option (cluster city, vce(cluster a b), cluster(a), vce(robust)). */
function stataVcovHint(t: string): string | null {
  const vce = /^vce\s*\(\s*(.*?)\s*\)$/.exec(t);
  const inner = vce ? vce[1] : t;
  const cl = /^cl(?:u(?:s(?:t(?:e(?:r)?)?)?)?)?\s*(?:\(\s*(.*?)\s*\)|\s+(.+))$/.exec(inner);
  if (cl) {
    const vars = (cl[1] ?? cl[2]).split(/[\s,]+/).filter((v) => v !== "");
    if (vars.length > 0) return `Stata's ${t} is written cluster:${vars.join("+")} here`;
  }
  if (vce && abbreviates(inner, "robust", 1)) return `Stata's ${t} is written hetero here (HC1, as reghdfe's)`;
  if (inner === "ols" || inner === "unadjusted") return `Stata's ${t} is written iid here`;
  return null;
}

export function vcovLabel(v: VcovSpec): string {
  return v.type === "cluster" ? `cluster:${v.vars.join("+")}` : v.type;
}

/** Small-sample corrections, as fixest's ssc(); defaults are fixest 0.12's. */
export interface Ssc {
  /** Multiply by (n - 1) / (n - K), K the number of parameters. */
  readonly adj: boolean;
  /** Which fixed-effect parameters count in K: none, all, or those not nested in a cluster variable. */
  readonly fixefK: "none" | "nested" | "full";
  /** Multiply clustered variances by G / (G - 1). */
  readonly clusterAdj: boolean;
  /** Multiway: one G_min / (G_min - 1) for every term ("min") or each term's own ("conventional"). */
  readonly clusterDf: "min" | "conventional";
  /** Degrees of freedom of clustered t tests: min(G) - 1 ("min") or n - K ("conventional"). */
  readonly tDf: "min" | "conventional";
}

export const DEFAULT_SSC: Ssc = { adj: true, fixefK: "nested", clusterAdj: true, clusterDf: "min", tDf: "min" };

export function resolveSsc(s: Partial<Ssc> | undefined): Ssc {
  const out = { ...DEFAULT_SSC, ...(s ?? {}) };
  if (!["none", "nested", "full"].includes(out.fixefK)) throw new DidwasmError("BAD_OPTION", `ssc fixefK must be none, nested or full`);
  if (!["min", "conventional"].includes(out.clusterDf)) throw new DidwasmError("BAD_OPTION", `ssc clusterDf must be min or conventional`);
  if (!["min", "conventional"].includes(out.tDf)) throw new DidwasmError("BAD_OPTION", `ssc tDf must be min or conventional`);
  return out;
}
