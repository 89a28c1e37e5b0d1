// Where the variables of a variance come from when its text leaves them out:
//   - twoway / threeway / fourway: the first two / three / four fixed effects (fixest);
//   - NW(L), DK(L): --panel-id unit,time when given, else the first two fixed effects, taken as unit and
//     time (fixest needs panel.id; didwasm also reads `| unit + year` as the panel, and says so in the
//     variance's label);
//   - conley(cutoff): --lat and --lon (fixest guesses columns named like lat/lon; didwasm asks for them).
// Also the columns a variance reads, so that the estimation sample leaves out rows where one is missing
// (as fixest does with a vcov given at estimation time).
import { DidwasmError } from "../errors.js";
import type { VariableUse } from "./sample.js";
import { vcovLabel, type VcovSpec } from "./vcov-spec.js";

/** The columns given by options rather than in the variance's text (the fit command's --panel-id, --lat,
 *  --lon; the library's panelId, lat, lon). */
export interface VcovColumns {
  readonly panelId?: readonly string[] | string | null;
  readonly lat?: string | null;
  readonly lon?: string | null;
}

/** `spec` with the columns of options filled in; an option the variance does not use is refused. */
export function withVcovColumns(spec: VcovSpec, o: VcovColumns): VcovSpec {
  const panelId = typeof o.panelId === "string" ? o.panelId.split(",").map((s) => s.trim()) : o.panelId ?? null;
  const label = vcovLabel(spec);
  if (panelId) {
    if (panelId.length !== 2 || panelId.some((v) => v === "")) {
      throw new DidwasmError("BAD_OPTION", `panelId must be two columns, unit,time (e.g. firm,year), got "${panelId.join(",")}"`, { option: "panelId" });
    }
    if ((spec.type !== "nw" && spec.type !== "dk") || spec.vars) {
      throw new DidwasmError("BAD_OPTION", `panelId applies only to NW(L) and DK(L) written without variables (the vcov is ${label})`, { option: "panelId" });
    }
    spec = { ...spec, vars: spec.type === "nw" ? [...panelId] : [panelId[1]] };
  }
  const lat = o.lat ?? null;
  const lon = o.lon ?? null;
  if (lat !== null || lon !== null) {
    const given = lat !== null ? "lat" : "lon";
    if (spec.type !== "conley" || spec.vars) {
      throw new DidwasmError("BAD_OPTION", `${given} applies only to conley(cutoff) written without variables (the vcov is ${label})`, { option: given });
    }
    if (lat === null || lon === null) {
      throw new DidwasmError("BAD_OPTION", `conley needs both coordinates: ${lat === null ? "the latitude (lat, --lat)" : "the longitude (lon, --lon)"} is missing`, {
        option: lat === null ? "lat" : "lon",
      });
    }
    spec = { ...spec, vars: [lat, lon] };
  }
  return spec;
}

/** `spec` with every variable explicit, given the names of the model's fixed effects (in formula order). */
export function completeVcov(spec: VcovSpec, fixef: readonly string[]): VcovSpec {
  const label = vcovLabel(spec);
  switch (spec.type) {
    case "fixefCluster": {
      if (fixef.length < spec.ways) {
        throw new DidwasmError("BAD_OPTION", `vcov ${label} clusters by the first ${spec.ways} fixed effects, but the model has ${fixef.length}`, { vcov: label });
      }
      return { type: "cluster", vars: fixef.slice(0, spec.ways) };
    }
    case "nw":
    case "dk": {
      if (spec.vars) return spec;
      const plain = fixef.slice(0, 2).every((f) => !f.includes("^"));
      if (fixef.length < 2 || !plain) {
        const example = spec.type === "nw" ? `${label}:unit+year` : `${label}:year`;
        throw new DidwasmError(
          "BAD_OPTION",
          `vcov ${label} needs the panel's unit and time: write ${example}, or give panelId (--panel-id unit,year); ` +
            `without them they are taken from the first two fixed effects, which this model ${fixef.length < 2 ? "does not have" : "writes as combinations a^b"}`,
          { vcov: label },
        );
      }
      return { ...spec, vars: spec.type === "nw" ? fixef.slice(0, 2) : [fixef[1]] };
    }
    case "conley":
      if (spec.vars) return spec;
      throw new DidwasmError(
        "BAD_OPTION",
        `vcov ${label} needs coordinates: give lat and lon (--lat LATITUDE_COLUMN --lon LONGITUDE_COLUMN), or write ${label}:lat+lon`,
        { vcov: label, option: "lat" },
      );
    default:
      return spec;
  }
}

/** The columns a variance reads, with their role in messages. */
export function vcovVariables(spec: VcovSpec, fixef: readonly string[]): { numeric: VariableUse[]; categorical: VariableUse[] } {
  const s = completeVcov(spec, fixef);
  switch (s.type) {
    case "cluster":
      return { numeric: [], categorical: s.vars.flatMap((v) => v.split("^")).map((name) => ({ name, role: "cluster variable" })) };
    case "nw": {
      const [unit, time] = s.vars!.length === 2 ? s.vars! : [null, s.vars![0]];
      return {
        numeric: [{ name: time, role: "time variable of the Newey-West variance" }],
        categorical: unit === null ? [] : [{ name: unit, role: "unit variable of the Newey-West variance" }],
      };
    }
    case "dk":
      return { numeric: [{ name: s.vars![0], role: "time variable of the Driscoll-Kraay variance" }], categorical: [] };
    case "conley":
      return { numeric: [{ name: s.vars![0], role: "latitude" }, { name: s.vars![1], role: "longitude" }], categorical: [] };
    default:
      return { numeric: [], categorical: [] };
  }
}
