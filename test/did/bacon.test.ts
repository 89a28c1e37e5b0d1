import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { bacon } from "../../bindings/estimators/did/bacon.js";
import { feols } from "../../bindings/estimators/feols.js";
import { DidwasmError } from "../../bindings/errors.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { conformanceDir } from "../helpers/conformance.js";

const castle = () => readCsvFile(`${conformanceDir}/data/castle.csv`);

describe("Goodman-Bacon decomposition", () => {
  it("weights sum to one and weighted 2x2 estimates add up to the TWFE estimate (balanced, no controls)", () => {
    const r = bacon(castle(), { y: "l_homicide", unit: "state", time: "year", treat: "post" });
    const sumW = r.pairs.reduce((s, p) => s + p.weight, 0);
    const implied = r.pairs.reduce((s, p) => s + p.weight * p.estimate, 0);
    expect(Math.abs(sumW - 1)).toBeLessThan(1e-12);
    expect(Math.abs(implied - r.twfe)).toBeLessThan(1e-10);
    const twfe = feols(castle(), "l_homicide ~ post | state + year").coef("post");
    expect(Math.abs(twfe - r.twfe)).toBeLessThan(1e-10);
    expect(r.notes).toEqual([]);
  });

  it("with controls: Omega * beta_within + (1 - Omega) * sum(s * beta_between) equals the controlled TWFE", () => {
    const r = bacon(castle(), { y: "l_homicide", unit: "state", time: "year", treat: "post", controls: ["l_pop", "l_income"] });
    expect(r.omega).not.toBeNull();
    expect(r.omega! > 0 && r.omega! < 1).toBe(true);
    const between = r.pairs.reduce((s, p) => s + p.weight * p.estimate, 0);
    const implied = r.omega! * r.betaWithin! + (1 - r.omega!) * between;
    const twfe = feols(castle(), "l_homicide ~ post + l_pop + l_income | state + year").coef("post");
    expect(Math.abs(r.twfe - twfe)).toBeLessThan(1e-10);
    expect(Math.abs(implied - twfe)).toBeLessThan(1e-8);
    expect(new Set(r.pairs.map((p) => p.type))).toEqual(new Set(["Treated vs Untreated", "Both Treated"]));
    expect(Math.abs(r.pairs.reduce((s, p) => s + p.weight, 0) - 1)).toBeLessThan(1e-12);
  });

  it("refuses unbalanced panels", () => {
    const f = castle();
    const cols: Record<string, number[] | string[]> = {};
    for (const n of ["state", "year", "post", "l_homicide"]) {
      cols[n] = Array.from({ length: f.nrow - 1 }, (_, i) => (n === "state" ? f.cellText(n, i + 1) : Number(f.cellText(n, i + 1)))) as any;
    }
    try {
      bacon(fromColumns(cols), { y: "l_homicide", unit: "state", time: "year", treat: "post" });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(DidwasmError);
      expect((e as DidwasmError).message).toContain("unbalanced panel");
    }
  });
});
