// Every `fit` case of ../shared/conformance/cases.json through the public API, on both backends.
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { feols } from "../../bindings/estimators/feols.js";
import { compareRegressionJson, dataPath, loadCases } from "../helpers/conformance.js";

const cases = loadCases("fit");

describe.each(["wasm", "reference"] as const)("conformance fit cases (%s)", (backend) => {
  it("has cases to run", () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.id, () => {
      const frame = readCsvFile(dataPath(c));
      const fit = feols(frame, c.formula, { vcov: c.vcov, fixefRm: c.fixef_rm, subset: c.subset, backend });
      expect(compareRegressionJson(fit.toJSON(), c.expect)).toEqual([]);
    });
  }
});
