import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { callawaySantAnna } from "../../bindings/estimators/did/callaway-santanna.js";
import { conformanceDir } from "../helpers/conformance.js";

const mpdta = () => readCsvFile(`${conformanceDir}/data/mpdta.csv`);

describe("Callaway-Sant'Anna on mpdta (the did package's published results)", () => {
  const r = callawaySantAnna(mpdta(), { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat" });
  it("reproduces ATT(2004, 2006) = -0.1373 and the overall dynamic and group effects", () => {
    const c = r.attGt.find((x) => x.group === 2004 && x.time === 2006)!;
    expect(c.att).toBeCloseTo(-0.1373, 4);
    expect(r.overall.dynamic.att).toBeCloseTo(-0.0772, 4);
    expect(r.overall.group.att).toBeCloseTo(-0.031, 4);
  });
  it("has 12 group-time cells (3 cohorts x 4 periods) and event times -3..3", () => {
    expect(r.attGt.length).toBe(12);
    expect(r.dynamic.map((d) => d.e)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });
});
