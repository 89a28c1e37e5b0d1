// Option values as fixest and Stata users write them: --vcov "~city" is fixest's clustering formula;
// Stata's "cluster city" / "vce(cluster a b)" / "vce(robust)" and a subset with a single = are refused
// with the spelling to use instead.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { compileSubset } from "../../bindings/model/subset.js";
import { parseVcov } from "../../bindings/model/vcov-spec.js";
import { errorOf } from "../helpers/frames.js";

describe("vcov spellings", () => {
  it("accepts fixest's formula form ~VAR and ~A + B as clustering", () => {
    expect(parseVcov("~city")).toEqual({ type: "cluster", vars: ["city"] });
    expect(parseVcov(" ~ firm + year ")).toEqual({ type: "cluster", vars: ["firm", "year"] });
    expect(parseVcov("~`ln gdp`")).toEqual({ type: "cluster", vars: ["ln gdp"] });
    expect(parseVcov("cluster:city")).toEqual({ type: "cluster", vars: ["city"] });
    expect(parseVcov("robust")).toEqual({ type: "hetero" });
    expect(errorOf(() => parseVcov("~")).message).toContain("a cluster variable name is empty");
    expect(errorOf(() => parseVcov("~a + a")).message).toContain("repeated");
  });

  it("points Stata spellings to the right one", () => {
    const msg = (v: string) => {
      const e = errorOf(() => parseVcov(v));
      expect(e.code).toBe("BAD_OPTION");
      return e.message;
    };
    expect(msg("cluster city")).toContain("Stata's cluster city is written cluster:city here");
    expect(msg("vce(cluster firm year)")).toContain("cluster:firm+year");
    expect(msg("cl(city)")).toContain("cluster:city");
    expect(msg("vce(robust)")).toContain("is written hetero here");
    expect(msg("vce(r)")).toContain("is written hetero here");
    expect(msg("vce(rob)")).toContain("is written hetero here");
    expect(msg("vce(robustly)")).not.toContain("hetero here");
    expect(msg("vce(ols)")).toContain("is written iid here");
    expect(msg("foo")).not.toContain("Stata");
  });
});

describe("subset with a single =", () => {
  const frame = parseCsv("east,year\n1,2008\n0,2009\n");
  it("suggests == with the corrected expression", () => {
    const e = errorOf(() => compileSubset("east = 1 & year > 2008", frame));
    expect(e.code).toBe("SUBSET_SYNTAX");
    expect(e.message).toContain("use == to compare");
    expect(e.message).toContain("east == 1 & year > 2008");
    expect(e.message).toContain("position 6");
  });
});
