// logit: golden numbers from R's glm (see golden/README.md), a hand-worked closed form, collinearity,
// separation (single variable, quasi-complete, and a combination of variables) and a constant outcome.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { DidwasmError } from "../../bindings/errors.js";
import { logit } from "../../bindings/estimators/logit.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const here = dirname(fileURLToPath(import.meta.url));
const expected = JSON.parse(readFileSync(join(here, "golden", "expected.json"), "utf8")) as {
  logit_models: Array<{
    id: string;
    data: string;
    formula: string;
    subset: string | null;
    weights: string | null;
    expect: {
      nobs: number;
      coefficients: Array<{ term: string; estimate: number; std_error: number; statistic: number; p_value: number }>;
      deviance: number;
      null_deviance: number;
    };
  }>;
};

/** glm runs to epsilon 1e-14, didwasm to 1e-10 on the relative deviance change: coefficients agree to
 *  ~1e-12; standard errors (inverse information, ill-conditioned by a common size factor) to ~1e-10. */
const COEF_REL = 1e-9;
const SE_REL = 1e-7;
const DEV_REL = 1e-11;

const engines = { wasm: createEngine({ backend: "wasm" }), reference: createEngine({ backend: "reference" }) };
const SEEDS: Record<string, number | undefined> = { "smart-city.csv": undefined, "smart-city-seed7.csv": 7 };

function expectError(f: () => unknown, code: string, ...fragments: RegExp[]): DidwasmError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DidwasmError);
    const err = e as DidwasmError;
    expect(err.code).toBe(code);
    for (const re of fragments) expect(err.message).toMatch(re);
    return err;
  }
  throw new Error("expected a DidwasmError");
}

describe.each(Object.keys(engines) as Array<keyof typeof engines>)("logit (%s backend)", (backend) => {
  const engine = engines[backend];

  it.each(expected.logit_models.map((m) => [m.id, m] as const))("matches glm: %s", (_, m) => {
    const frame = parseCsv(toCsv(generateSmartCity(SEEDS[m.data])));
    const r = logit(frame, m.formula, { subset: m.subset, weights: m.weights, engine });
    expect(r.converged).toBe(true);
    expect(r.nobs).toBe(m.expect.nobs);
    const rows = r.tidy();
    for (const w of m.expect.coefficients) {
      const g = rows.find((x) => x.term === w.term)!;
      expect(Math.abs(g.estimate - w.estimate)).toBeLessThanOrEqual(COEF_REL * Math.abs(w.estimate));
      expect(Math.abs(g.std_error - w.std_error)).toBeLessThanOrEqual(SE_REL * w.std_error);
      expect(Math.abs(g.statistic - w.statistic)).toBeLessThanOrEqual(SE_REL * Math.abs(w.statistic));
      // d log p / dz is about -z in the normal tail, so a relative error e in z moves p by about z^2 e.
      expect(Math.abs(g.p_value - w.p_value)).toBeLessThanOrEqual(SE_REL * Math.max(1, w.statistic ** 2) * w.p_value + 1e-300);
    }
    expect(Math.abs(r.deviance - m.expect.deviance)).toBeLessThanOrEqual(DEV_REL * m.expect.deviance);
    expect(Math.abs(r.nullDeviance - m.expect.null_deviance)).toBeLessThanOrEqual(DEV_REL * m.expect.null_deviance);
  });

  it("reproduces the closed form of a logit on one binary regressor", () => {
    // x = 0: 10 units, 3 with y = 1 (p0 = 0.3); x = 1: 8 units, 6 with y = 1 (p1 = 0.75).
    // MLE: intercept = log(0.3/0.7) = -0.8472978603872037, slope = log(0.75/0.25) - log(0.3/0.7)
    //      = 1.0986122886681098 + 0.8472978603872037 = 1.9459101490553135.
    // Information is block-diagonal in the cell means: var(intercept) = 1/(10 * 0.3 * 0.7) = 1/2.1,
    // var(slope) = 1/2.1 + 1/(8 * 0.75 * 0.25) = 1/2.1 + 1/1.5.
    const x = [...Array(10).fill(0), ...Array(8).fill(1)];
    const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0];
    const r = logit({ x, y }, "y ~ x", { engine });
    expect(r.coef("(Intercept)")).toBeCloseTo(-0.8472978603872037, 12);
    expect(r.coef("x")).toBeCloseTo(1.9459101490553135, 12);
    expect(r.se("(Intercept)")).toBeCloseTo(Math.sqrt(1 / 2.1), 10);
    expect(r.se("x")).toBeCloseTo(Math.sqrt(1 / 2.1 + 1 / 1.5), 10);
    // Deviance: -2 sum log-likelihood at the cell means.
    const ll = 3 * Math.log(0.3) + 7 * Math.log(0.7) + 6 * Math.log(0.75) + 2 * Math.log(0.25);
    expect(r.deviance).toBeCloseTo(-2 * ll, 10);
    expect(r.iterations).toBeLessThan(10);
  });

  it("drops a collinear regressor and says so", () => {
    const g = new Xoshiro128(3);
    const x1 = Array.from({ length: 200 }, () => g.normal());
    const y = x1.map((v) => (g.uniform() < 1 / (1 + Math.exp(-v)) ? 1 : 0));
    const r = logit({ y, x1, x2: x1.map((v) => 2 * v), k: x1.map(() => 5) }, "y ~ x1 + x2 + k", { engine });
    expect(r.coefNames).toEqual(["(Intercept)", "x1"]);
    expect(r.removed).toEqual(["x2", "k"]);
    expect(r.notes.map((n) => n.message).join(" ")).toMatch(/collinear regressor\(s\) removed: x2, k/);
  });

  it("refuses complete separation by one variable, naming it", () => {
    const x = [0.1, 0.5, 0.9, 1.2, 2.5, 3, 3.5, 4];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    expectError(() => logit({ x, y, z: [3, 1, 4, 1, 5, 9, 2, 6] }, "y ~ z + x", { engine }), "SEPARATION", /perfect separation/, /"x"/, /x >= 2\.5/);
  });

  it("refuses quasi-complete separation (a shared boundary value)", () => {
    const x = [0, 1, 2, 2, 3, 4];
    const y = [0, 0, 0, 1, 1, 1];
    expectError(() => logit({ x, y }, "y ~ x", { engine }), "SEPARATION", /"x"/);
  });

  it("refuses separation by a combination of variables, naming them, without looping forever", () => {
    const g = new Xoshiro128(11);
    const x1 = Array.from({ length: 300 }, () => g.normal());
    const x2 = Array.from({ length: 300 }, () => g.normal());
    const noise = Array.from({ length: 300 }, () => g.normal());
    const y = x1.map((v, i) => (v + x2[i] > 0 ? 1 : 0));
    const t0 = performance.now();
    const e = expectError(() => logit({ y, x1, x2, noise }, "y ~ x1 + x2 + noise", { engine }), "SEPARATION", /perfect separation/, /"x1"/, /"x2"/);
    expect(e.message).not.toMatch(/"noise"/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("refuses an outcome without variation and a non-binary outcome", () => {
    expectError(() => logit({ y: [1, 1, 1, 1], x: [1, 2, 3, 4] }, "y ~ x", { engine }), "SEPARATION", /1 for all 4 observations/);
    expectError(() => logit({ y: [0, 1, 2, 1], x: [1, 2, 3, 4] }, "y ~ x", { engine }), "BAD_DATA", /must be 0 or 1/, /row 3/);
    expectError(() => logit({ y: [0, 1, 0, 1], x: [1, 2, 3, 4], g: [1, 1, 2, 2] }, "y ~ x | g", { engine }), "BAD_OPTION", /no fixed effects/);
  });
});
