// The report spec's "csdid" analysis with covariates: `controls: true` takes the roles' controls (none by
// default, as the did package), any command option may be added (estMethod), and the result is the one the
// library gives for the same options.
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { inlineEnv } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { callawaySantAnna } from "../../bindings/estimators/did/callaway-santanna.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec } from "../../bindings/report/spec.js";

const root = resolve(__dirname, "../..");
const data = readCsvFile(join(root, "examples", "smart-city.csv"));

it("a csdid analysis with the roles' controls and an estimation method matches the library", async () => {
  const spec = validateSpec({
    title: "csdid", data: "smart-city.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"], cluster: "city" },
    sections: [{ title: "CS", analyses: [{ type: "csdid" }, { type: "csdid", controls: true, estMethod: "ipw" }] }],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "smart-city.csv" });
  expect(r.ok).toBe(true);
  type Out = { controls: string[]; est_method: string; overall: { simple: { att: number; std_error: number } } };
  const [plain, withX] = r.sections[0].analyses.map((a) => a.calls[0].output!.json as unknown as Out);
  expect(plain.controls).toEqual([]);
  expect(withX.controls).toEqual(["lngdp"]);
  expect(withX.est_method).toBe("ipw");
  const lib = callawaySantAnna(data, { y: "ire", unit: "city", time: "year", cohort: "cohort", controls: ["lngdp"], estMethod: "ipw" });
  expect(withX.overall.simple.att).toBeCloseTo(lib.overall.simple.att, 12);
  expect(withX.overall.simple.att).not.toBeCloseTo(plain.overall.simple.att, 6);
}, 120_000);
