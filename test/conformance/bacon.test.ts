// Every `bacon` case of ../shared/conformance/cases.json through the public API, on both backends.
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { bacon } from "../../bindings/estimators/did/bacon.js";
import { dataPath, loadCases } from "../helpers/conformance.js";

const cases = loadCases("bacon");
const close = (got: number, want: number) => Math.abs(got - want) <= 1e-9 + 1e-6 * Math.abs(want);
const never = (v: unknown) => (v === null || v === "Inf" || v === 0 ? Infinity : Number(v));

describe.each(["wasm", "reference"] as const)("conformance bacon cases (%s)", (backend) => {
  it("has cases to run", () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.id, () => {
      const r = bacon(readCsvFile(dataPath(c)), { y: c.y, unit: c.unit, time: c.time, treat: c.treat, controls: c.controls, backend });
      const e = c.expect;
      expect(close(r.twfe, e.twfe)).toBe(true);
      for (const w of e.pairs ?? []) {
        const g = r.pairs.find((p) => never(p.treated) === never(w.treated) && never(p.untreated) === never(w.untreated));
        expect(g, `pair ${w.treated}/${w.untreated}`).toBeDefined();
        expect(g!.type).toBe(w.type);
        expect(close(g!.weight, w.weight), `weight ${w.treated}/${w.untreated}: ${g!.weight} vs ${w.weight}`).toBe(true);
        expect(close(g!.estimate, w.estimate), `estimate ${w.treated}/${w.untreated}: ${g!.estimate} vs ${w.estimate}`).toBe(true);
      }
      if (e.Omega === undefined) {
        for (const w of e.by_type) {
          const g = r.byType.find((x) => x.type === w.type)!;
          expect(close(g.weight, w.weight)).toBe(true);
          expect(close(g.estimate, w.estimate)).toBe(true);
        }
      } else {
        expect(close(r.omega!, e.Omega)).toBe(true);
        expect(close(r.betaWithin!, e.beta_hat_w)).toBe(true);
      }
    });
  }
});
