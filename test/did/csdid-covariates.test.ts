// Callaway-Sant'Anna with covariates, library level: the identities the estimators must satisfy, the
// bias a covariate-driven trend causes without covariates and its removal with them, and the coverage of the
// analytic 95% intervals in a seeded Monte Carlo with a known effect.
import { describe, expect, it } from "vitest";
import { callawaySantAnna, type CallawaySantAnnaOptions } from "../../bindings/estimators/did/callaway-santanna.js";
import type { EstMethod } from "../../bindings/estimators/did/cs-panel-2x2.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const METHODS: EstMethod[] = ["dr", "dr-imp", "ipw", "reg"];

/** A staggered panel (cohorts 3 and 5, never treated) whose outcome trend rises with x and whose treatment
 *  is more likely at high x: leaving x out biases the comparison, conditioning on it removes the bias. The
 *  effect is `effect` in every treated period. Normal draws by Box-Muller from the seeded generator. */
function simulate(units: number, seed: number, effect = 1) {
  const rng = new Xoshiro128(seed, 0);
  const u01 = () => (rng.u32() + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(u01())) * Math.cos(2 * Math.PI * u01());
  const T = 6;
  const cols = { unit: [] as number[], t: [] as number[], g: [] as number[], x: [] as number[], y: [] as number[] };
  for (let i = 0; i < units; i++) {
    const x = normal();
    const p = 1 / (1 + Math.exp(-(x - 0.5)));
    const g = u01() < p ? (u01() < 0.5 ? 3 : 5) : 0;
    const a = normal();
    for (let t = 1; t <= T; t++) {
      cols.unit.push(i);
      cols.t.push(t);
      cols.g.push(g);
      cols.x.push(x);
      cols.y.push(a + 0.5 * t * x + (g && t >= g ? effect : 0) + 0.5 * normal());
    }
  }
  return cols;
}

const OPTS: CallawaySantAnnaOptions = { y: "y", unit: "unit", time: "t", cohort: "g" };

describe("identities", () => {
  const data = simulate(300, 1);
  it("without covariates dr, dr-imp, ipw and reg give today's unconditional estimates (cell means), panel and cross sections", () => {
    for (const panel of [true, false]) {
      const base = callawaySantAnna(data, { ...OPTS, panel });
      for (const m of METHODS) {
        const r = callawaySantAnna(data, { ...OPTS, panel, estMethod: m });
        r.attGt.forEach((c, i) => {
          expect(Math.abs(c.att - base.attGt[i].att)).toBeLessThan(1e-12);
          expect(Math.abs(c.std_error - base.attGt[i].std_error)).toBeLessThan(1e-12);
        });
      }
    }
  });
  it("ATT(3,3) without covariates is the difference of the cohort's and the never-treated's mean change", () => {
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const change = (g: number) => {
      const out: number[] = [];
      for (let k = 0; k < data.y.length; k++) if (data.g[k] === g && data.t[k] === 3) out.push(data.y[k] - data.y[k - 1]);
      return out;
    };
    const r = callawaySantAnna(data, OPTS);
    const cell = r.attGt.find((c) => c.group === 3 && c.time === 3)!;
    expect(cell.att).toBeCloseTo(mean(change(3)) - mean(change(0)), 12);
  });
  it("on a panel, repeated cross sections give the same point estimates without covariates, larger standard errors", () => {
    const p = callawaySantAnna(data, OPTS);
    const rc = callawaySantAnna(data, { ...OPTS, panel: false });
    expect(rc.units).toBe(p.units * 6);
    p.attGt.forEach((c, i) => expect(rc.attGt[i].att).toBeCloseTo(c.att, 10));
    expect(rc.overall.simple.std_error).toBeGreaterThan(p.overall.simple.std_error);
  });
  it("the reference backend gives a panel's numbers bit for bit, and is refused for repeated cross sections (nothing there runs kernels)", () => {
    const controls = ["x"];
    const wasm = callawaySantAnna(data, { ...OPTS, controls }).toJSON();
    const reference = callawaySantAnna(data, { ...OPTS, controls, backend: "reference" }).toJSON();
    expect(reference).toEqual(wasm);
    expect(() => callawaySantAnna(data, { ...OPTS, panel: false, backend: "reference" })).toThrow(/backend applies only to a panel/);
  });
});

describe("covariates remove a covariate-driven trend", () => {
  const data = simulate(4000, 2);
  it("the unconditional estimate is biased; dr, dr-imp, ipw and reg with x are within 4 standard errors of the effect", () => {
    const plain = callawaySantAnna(data, OPTS).overall.simple;
    expect(Math.abs(plain.att - 1) / plain.std_error).toBeGreaterThan(6);
    for (const m of METHODS) {
      const r = callawaySantAnna(data, { ...OPTS, controls: ["x"], estMethod: m }).overall.simple;
      expect(Math.abs(r.att - 1) / r.std_error, m).toBeLessThan(4);
    }
  });
});

describe("Monte Carlo coverage of the analytic 95% intervals (dr with x, 200 panels of 300 units)", () => {
  it("the simple ATT's interval covers the true effect in 90% to 99% of the panels", () => {
    let covered = 0;
    const reps = 200;
    for (let s = 0; s < reps; s++) {
      const r = callawaySantAnna(simulate(300, 1000 + s), { ...OPTS, controls: ["x"] }).overall.simple;
      if (r.conf_low! <= 1 && 1 <= r.conf_high!) covered++;
    }
    // Binomial(200, 0.95) has standard deviation 3.1 draws: 90% and 99% are beyond 3 of them.
    expect(covered / reps).toBeGreaterThanOrEqual(0.9);
    expect(covered / reps).toBeLessThanOrEqual(0.99);
  }, 120_000);
});
