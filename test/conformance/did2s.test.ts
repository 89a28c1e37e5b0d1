// Every `did2s` case of ../shared/conformance/cases.json through the public API, on both backends.
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { twoStage } from "../../bindings/estimators/did/two-stage.js";
import { compareRegressionJson, dataPath, loadCases } from "../helpers/conformance.js";

const cases = loadCases("did2s");

describe.each(["wasm", "reference"] as const)("conformance did2s cases (%s)", (backend) => {
  it("has cases to run", () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.id, () => {
      const frame = readCsvFile(dataPath(c));
      const r = twoStage(frame, {
        y: c.y, unit: c.unit, time: c.time, treat: c.treat, controls: c.controls, event: c.event, cohort: c.cohort, cluster: c.cluster, backend,
      });
      // The static effect is named after the treatment variable (the R package calls it treat::1).
      const json = r.toJSON() as any;
      const expect_ = { ...c.expect, coefficients: c.expect.coefficients.map((w: any) => ({ ...w, term: c.event ? w.term : c.treat })) };
      expect(compareRegressionJson(json, expect_)).toEqual([]);
    });
  }
});
