// Every `sunab` case of ../shared/conformance/cases.json through the public API, on both backends.
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { sunAbraham } from "../../bindings/estimators/did/sun-abraham.js";
import { compareRegressionJson, dataPath, loadCases } from "../helpers/conformance.js";

const cases = loadCases("sunab");

describe.each(["wasm", "reference"] as const)("conformance sunab cases (%s)", (backend) => {
  it("has cases to run", () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.id, () => {
      const frame = readCsvFile(dataPath(c));
      const sa = sunAbraham(frame, { y: c.y, unit: c.unit, time: c.time, cohort: c.cohort, controls: c.controls, vcov: c.vcov, backend });
      expect(compareRegressionJson(sa.toJSON(), c.expect)).toEqual([]);
    });
  }
});
