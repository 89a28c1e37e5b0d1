// The variance language beyond iid / hetero / cluster: twoway, a^b, NW(L), DK(L), conley(km), with their
// variables after ":" or fixest's "~", where the left-out variables come from, and fixest's ssc() as text.
// Each refusal names what to write instead.
import { describe, expect, it } from "vitest";
import { parseSscText } from "../../bindings/model/ssc.js";
import { completeVcov, vcovVariables, withVcovColumns } from "../../bindings/model/vcov-complete.js";
import { DEFAULT_SSC, parseVcov, resolveSsc, vcovLabel } from "../../bindings/model/vcov-spec.js";
import { errorOf } from "../helpers/frames.js";

const message = (f: () => unknown) => errorOf(f).message;

describe("parseVcov", () => {
  it("reads fixest's names, arguments and variables", () => {
    expect(parseVcov("twoway")).toEqual({ type: "fixefCluster", ways: 2 });
    expect(parseVcov("threeway")).toEqual({ type: "fixefCluster", ways: 3 });
    expect(parseVcov("cluster:sector^year")).toEqual({ type: "cluster", vars: ["sector^year"] });
    expect(parseVcov("~ firm + sector ^ year")).toEqual({ type: "cluster", vars: ["firm", "sector^year"] });
    expect(parseVcov("NW")).toEqual({ type: "nw", lag: null, vars: null });
    expect(parseVcov("NW(2):firm+year")).toEqual({ type: "nw", lag: 2, vars: ["firm", "year"] });
    expect(parseVcov("newey_west(lag = 3) ~ year")).toEqual({ type: "nw", lag: 3, vars: ["year"] });
    expect(parseVcov("DK(1) ~ year")).toEqual({ type: "dk", lag: 1, vars: ["year"] });
    expect(parseVcov("conley(100)")).toEqual({ type: "conley", cutoffKm: 100, cutoffText: "100", distance: "triangular", vars: null });
    expect(parseVcov('conley("60mi", "spherical"):lat+long')).toEqual({
      type: "conley", cutoffKm: 60 * 1.60934, cutoffText: "60mi", distance: "spherical", vars: ["lat", "long"],
    });
    expect(parseVcov("conley(cutoff = 25.5, distance = triangular)")).toMatchObject({ cutoffKm: 25.5, distance: "triangular" });
  });

  it("writes each variance back in the same syntax", () => {
    for (const v of ["twoway", "cluster:a+b^c", "NW(2):u+t", "NW()", "DK(1):t", "conley(60mi, spherical):la+lo", "conley(100)"]) {
      expect(vcovLabel(parseVcov(v))).toBe(v);
    }
  });

  it("refuses what it cannot read, naming the problem", () => {
    expect(message(() => parseVcov("NW(-1)"))).toMatch(/lag of NW must be a whole number >= 0, got "-1"/);
    expect(message(() => parseVcov("NW(2):a+b+c"))).toMatch(/NW takes unit\+time or time, got 3 variable/);
    expect(message(() => parseVcov("DK(2):a+b"))).toMatch(/DK takes the time variable/);
    expect(message(() => parseVcov("NW(2):a^b+t"))).toMatch(/takes columns, not combinations a\^b/);
    expect(message(() => parseVcov("conley"))).toMatch(/give the distance cutoff in km, e.g. conley\(100\)/);
    expect(message(() => parseVcov("conley(100, flat)"))).toMatch(/distance must be triangular .* or spherical, got "flat"/);
    expect(message(() => parseVcov("conley(100km, pixel = 2)"))).toMatch(/pixel .* is not implemented/);
    expect(message(() => parseVcov("conley(near)"))).toMatch(/cutoff must be a distance in km \(100\) or miles \(60mi\)/);
    expect(message(() => parseVcov("conley(100, spherical, 3)"))).toMatch(/at most 2 argument/);
    expect(message(() => parseVcov("NW(2"))).toMatch(/the "\(" after NW has no "\)"/);
    expect(message(() => parseVcov("twoway:a"))).toMatch(/twoway takes no variables/);
    expect(message(() => parseVcov("hetero(1)"))).toMatch(/hetero takes no arguments/);
    expect(message(() => parseVcov("cluster:a^"))).toMatch(/a cluster variable name is empty/);
  });
});

describe("where left-out variables come from", () => {
  it("takes twoway and NW/DK's panel from the fixed effects", () => {
    expect(completeVcov(parseVcov("twoway"), ["firm", "year", "state"])).toEqual({ type: "cluster", vars: ["firm", "year"] });
    expect(completeVcov(parseVcov("NW(1)"), ["firm", "year"])).toEqual({ type: "nw", lag: 1, vars: ["firm", "year"] });
    expect(completeVcov(parseVcov("DK(1)"), ["firm", "year"])).toEqual({ type: "dk", lag: 1, vars: ["year"] });
    expect(message(() => completeVcov(parseVcov("fourway"), ["a", "b"]))).toMatch(/first 4 fixed effects, but the model has 2/);
    expect(message(() => completeVcov(parseVcov("NW(1)"), ["firm"]))).toMatch(/NW\(1\) needs the panel's unit and time: write NW\(1\):unit\+year, or give panelId/);
    expect(message(() => completeVcov(parseVcov("DK(1)"), ["firm", "a^b"]))).toMatch(/writes as combinations a\^b/);
    expect(message(() => completeVcov(parseVcov("conley(5)"), []))).toMatch(/needs coordinates: give lat and lon \(--lat/);
  });

  it("fills them from panelId, lat and lon, and refuses those options elsewhere", () => {
    expect(withVcovColumns(parseVcov("NW(1)"), { panelId: "firm, year" })).toMatchObject({ vars: ["firm", "year"] });
    expect(withVcovColumns(parseVcov("DK"), { panelId: ["firm", "year"] })).toMatchObject({ vars: ["year"] });
    expect(withVcovColumns(parseVcov("conley(10)"), { lat: "la", lon: "lo" })).toMatchObject({ vars: ["la", "lo"] });
    expect(message(() => withVcovColumns(parseVcov("NW(1)"), { panelId: "firm" }))).toMatch(/panelId must be two columns/);
    expect(message(() => withVcovColumns(parseVcov("hetero"), { panelId: "a,b" }))).toMatch(/panelId applies only to NW\(L\) and DK\(L\)/);
    expect(message(() => withVcovColumns(parseVcov("conley(1):a+b"), { lat: "x", lon: "y" }))).toMatch(/lat applies only to conley\(cutoff\) written without variables/);
  });

  it("lists the columns the sample must have, with their roles", () => {
    expect(vcovVariables(parseVcov("cluster:a^b+c"), [])).toEqual({
      numeric: [],
      categorical: ["a", "b", "c"].map((name) => ({ name, role: "cluster variable" })),
    });
    expect(vcovVariables(parseVcov("NW(1)"), ["u", "t"]).numeric).toEqual([{ name: "t", role: "time variable of the Newey-West variance" }]);
    expect(vcovVariables(parseVcov("conley(9):la+lo"), []).numeric.map((v) => v.role)).toEqual(["latitude", "longitude"]);
  });
});

describe("ssc as text", () => {
  it("reads every fixest key with fixest's values, the rest keeping fixest's defaults", () => {
    expect(parseSscText("adj=false,fixef.K=full,cluster.adj=T,cluster.df=conventional,t.df=12,fixef.force_exact=TRUE")).toEqual({
      adj: false, fixefK: "full", clusterAdj: true, clusterDf: "conventional", tDf: 12, fixefForceExact: true,
    });
    expect(resolveSsc("ssc(t.df = 'conventional')")).toEqual({ ...DEFAULT_SSC, tDf: "conventional" });
    expect(resolveSsc(undefined)).toEqual(DEFAULT_SSC);
  });

  it("refuses an unknown key or value, listing the accepted ones", () => {
    expect(message(() => parseSscText("adj=no"))).toMatch(/adj must be true or false, got "no"/);
    expect(message(() => parseSscText("t.df=0"))).toMatch(/t\.df must be conventional, min or a whole number above 0/);
    expect(message(() => parseSscText("cluster.df=max"))).toMatch(/cluster\.df must be conventional, min, got "max"/);
    expect(message(() => parseSscText("fixefK=full"))).toMatch(/unknown key "fixefK" \(fixest's keys: adj, fixef\.K, cluster\.adj, cluster\.df, t\.df, fixef\.force_exact\)/);
    expect(message(() => parseSscText("adj"))).toMatch(/"adj" is not key=value/);
    expect(message(() => parseSscText("adj=true,adj=false"))).toMatch(/adj is given twice/);
  });
});
