// Every `eventstudy` case of ../shared/conformance/cases.json through the public API, on both backends.
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { eventStudy } from "../../bindings/estimators/did/event-study.js";
import { compareRegressionJson, dataPath, loadCases } from "../helpers/conformance.js";

const cases = loadCases("eventstudy");

describe.each(["wasm", "reference"] as const)("conformance eventstudy cases (%s)", (backend) => {
  it("has cases to run", () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.id, () => {
      const frame = readCsvFile(dataPath(c));
      const es = eventStudy(frame, {
        y: c.y, unit: c.unit, time: c.time, cohort: c.cohort, controls: c.controls, bin: c.bin, ref: c.ref, vcov: c.vcov, backend,
      });
      expect(compareRegressionJson(es.toJSON(), c.expect)).toEqual([]);
    });
  }
});
