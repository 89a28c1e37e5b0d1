// Variance estimators by name (DESIGN.md), in fixest's vocabulary:
//   iid, hetero (HC1), cluster:VAR, cluster:A+B (CRV1, multiway by inclusion-exclusion), cluster:a^b (the
//   groups of a combination), also written as fixest's formula "~VAR" / "~A+B";
//   twoway (threeway, fourway): clustered by the first two (three, four) fixed effects;
//   NW(L) panel Newey-West (Bartlett weights over L lags within each unit), NW(L):unit+time, NW(L):time
//   (a time series); DK(L) Driscoll-Kraay, DK(L):time; conley(cutoff) spatial (Conley 1999, uniform
//   kernel within `cutoff` km, fixest's "triangular" distance unless conley(cutoff, spherical)),
//   conley(cutoff):lat+lon.
// The variables may follow ":" or, as in fixest's formula, "~" (NW(2) ~ unit + year). Where they are left
// out, model/vcov-complete.ts says where they come from. Small-sample corrections mirror fixest's ssc().
// Stata's spellings (cluster city, vce(cluster city), cluster(city)) are refused with the spelling to use.
import { DidwasmError } from "../errors.js";
import { abbreviates } from "./formula-hints.js";
import { argument, callArgs, splitCall, type VcovCall } from "./vcov-call.js";

// The small-sample corrections live in ssc.ts; re-exported where callers have always found them.
export { DEFAULT_SSC, resolveSsc, type Ssc } from "./ssc.js";

export type VcovSpec =
  | { readonly type: "iid" }
  | { readonly type: "hetero" }
  /** Each variable a column or a combination a^b of columns. */
  | { readonly type: "cluster"; readonly vars: readonly string[] }
  /** Clustered by the first `ways` fixed effects (fixest's twoway, threeway, fourway). */
  | { readonly type: "fixefCluster"; readonly ways: 2 | 3 | 4 }
  /** vars: [unit, time], [time] (a time series) or null (--panel-id, else the first two fixed effects);
   *  lag null: fixest's rule of thumb floor(T^(1/4)) (panels only). */
  | { readonly type: "nw"; readonly lag: number | null; readonly vars: readonly string[] | null }
  /** vars: [time] or null (--panel-id's time, else the second fixed effect). */
  | { readonly type: "dk"; readonly lag: number | null; readonly vars: readonly string[] | null }
  /** vars: [lat, lon] (degrees) or null (--lat and --lon). */
  | {
      readonly type: "conley"; readonly cutoffKm: number; readonly cutoffText: string; readonly distance: "triangular" | "spherical";
      readonly vars: readonly string[] | null;
    };

type Kind = "iid" | "hetero" | "cluster" | "twoway" | "threeway" | "fourway" | "nw" | "dk" | "conley";

/** Every name fixest gives a variance type (compared in lower case), and didwasm's synonyms. */
const NAMES: Readonly<Record<string, Kind>> = {
  iid: "iid", standard: "iid", normal: "iid",
  hetero: "hetero", hc1: "hetero", robust: "hetero", white: "hetero",
  cluster: "cluster", cl: "cluster",
  twoway: "twoway", threeway: "threeway", fourway: "fourway",
  nw: "nw", newey_west: "nw",
  dk: "dk", driscoll_kraay: "dk",
  conley: "conley",
};

const USAGE = "use iid, hetero, cluster:VAR, cluster:A+B, cluster:a^b, twoway, NW(L), DK(L) or conley(km)";

export function parseVcov(text: string | VcovSpec): VcovSpec {
  if (typeof text !== "string") return text;
  const t = text.trim();
  // fixest's vcov = ~city is clustering by city (and ~a + b two-way).
  if (t.startsWith("~")) return { type: "cluster", vars: variableList(t.slice(1), text, "cluster variable") };
  const call = splitCall(t, text);
  const kind = call ? NAMES[call.name.toLowerCase()] : undefined;
  // cluster(city) is Stata's spelling: it gets the hint below.
  if (call && kind && !(kind === "cluster" && call.args !== null)) {
    const vars = /^[:=~]\s*(.*)$/s.exec(call.rest);
    const what = kind === "cluster" ? "cluster variable" : "variable";
    if (call.rest === "" || vars) return specOf(kind, call, vars ? variableList(vars[1], text, what) : null, text);
  }
  const stata = stataVcovHint(t);
  throw new DidwasmError("BAD_OPTION", `unknown vcov "${text}": ${stata ? stata + "; " : ""}${USAGE}`, { vcov: text });
}

function specOf(kind: Kind, call: VcovCall, vars: string[] | null, whole: string): VcovSpec {
  const noArgs = () => {
    if (call.args !== null) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": ${call.name} takes no arguments in parentheses`, { vcov: whole });
  };
  const count = (allowed: readonly number[], what: string) => {
    if (vars && !allowed.includes(vars.length)) {
      throw new DidwasmError("BAD_OPTION", `vcov "${whole}": ${call.name} takes ${what}, got ${vars.length} variable(s)`, { vcov: whole });
    }
    if (vars?.some((v) => v.includes("^"))) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": ${call.name} takes columns, not combinations a^b`, { vcov: whole });
  };
  switch (kind) {
    case "iid":
    case "hetero":
    case "twoway":
    case "threeway":
    case "fourway":
      noArgs();
      if (vars) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": ${call.name} takes no variables`, { vcov: whole });
      return kind === "iid" || kind === "hetero" ? { type: kind } : { type: "fixefCluster", ways: kind === "twoway" ? 2 : kind === "threeway" ? 3 : 4 };
    case "cluster":
      noArgs();
      if (!vars) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": name the cluster variable(s), e.g. cluster:state or cluster:state+year`, { vcov: whole });
      return { type: "cluster", vars };
    case "nw":
      count([1, 2], "unit+time or time");
      return { type: "nw", lag: lagOf(call, whole), vars };
    case "dk":
      count([1], "the time variable");
      return { type: "dk", lag: lagOf(call, whole), vars };
    case "conley":
      count([2], "lat+lon");
      return { type: "conley", ...conleyArgs(call, whole), vars };
  }
}

function lagOf(call: VcovCall, whole: string): number | null {
  const a = callArgs(call.args, ["lag"], call.name, whole);
  const lag = argument(a, "lag", 0, whole);
  if (lag === undefined) return null;
  if (!/^\d+$/.test(lag)) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": the lag of ${call.name} must be a whole number >= 0, got "${lag}"`, { vcov: whole });
  return Number(lag);
}

/** One mile in km, as fixest converts a cutoff given in miles. */
const KM_PER_MILE = 1.60934;

function conleyArgs(call: VcovCall, whole: string): { cutoffKm: number; cutoffText: string; distance: "triangular" | "spherical" } {
  if (call.args !== null && /\bpixel\s*=/.test(call.args)) {
    throw new DidwasmError("BAD_OPTION", `vcov "${whole}": conley's pixel (pooling coordinates into squares) is not implemented; leave it out (pixel = 0)`, { vcov: whole });
  }
  const a = callArgs(call.args, ["cutoff", "distance"], "conley", whole);
  const cutoff = argument(a, "cutoff", 0, whole);
  if (cutoff === undefined) {
    throw new DidwasmError(
      "BAD_OPTION",
      `vcov "${whole}": give the distance cutoff in km, e.g. conley(100) (or in miles, conley(60mi)); fixest's guessed cutoff is not implemented`,
      { vcov: whole },
    );
  }
  const m = /^(\d+(?:\.\d*)?|\.\d+)\s*(k|km|m|mi|mil|mile|miles)?$/.exec(cutoff);
  if (!m) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": the conley cutoff must be a distance in km (100) or miles (60mi), got "${cutoff}"`, { vcov: whole });
  const miles = m[2] !== undefined && m[2].startsWith("m");
  const distance = argument(a, "distance", 1, whole) ?? "triangular";
  if (distance !== "triangular" && distance !== "spherical") {
    throw new DidwasmError("BAD_OPTION", `vcov "${whole}": conley's distance must be triangular (fixest's default) or spherical, got "${distance}"`, { vcov: whole });
  }
  return { cutoffKm: miles ? Number(m[1]) * KM_PER_MILE : Number(m[1]), cutoffText: miles ? `${m[1]}mi` : m[1], distance };
}

/** "a + b^c, `ln gdp`" -> ["a", "b^c", "ln gdp"]: variables separated by + or commas, each a column or a
 *  combination of columns with ^. */
function variableList(text: string, whole: string, what: string): string[] {
  const vars = text.split(/[+,]/).map((s) =>
    s
      .split("^")
      .map((p) => unquote(p.trim()))
      .join("^"),
  );
  if (vars.some((v) => v === "" || v.split("^").some((p) => p === ""))) {
    throw new DidwasmError("BAD_OPTION", `vcov "${whole}": a ${what} name is empty`, { vcov: whole });
  }
  if (new Set(vars).size !== vars.length) throw new DidwasmError("BAD_OPTION", `vcov "${whole}": a ${what} is repeated`, { vcov: whole });
  return vars;
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

/** The variance as written back in this syntax (variables shown when they are known). */
export function vcovLabel(v: VcovSpec): string {
  const vars = "vars" in v && v.vars ? `:${v.vars.join("+")}` : "";
  switch (v.type) {
    case "iid":
    case "hetero":
      return v.type;
    case "cluster":
      return `cluster${vars}`;
    case "fixefCluster":
      return v.ways === 2 ? "twoway" : v.ways === 3 ? "threeway" : "fourway";
    case "nw":
      return `NW(${v.lag ?? ""})${vars}`;
    case "dk":
      return `DK(${v.lag ?? ""})${vars}`;
    case "conley":
      return `conley(${v.cutoffText}${v.distance === "spherical" ? ", spherical" : ""})${vars}`;
  }
}
