// pretrends against a seeded simulation of the pre-test: draw event studies betahat ~ N(delta, Sigma)
// under the hypothesised trend, run the pre-test on each (any |t| > 1.96 among the pre-periods), and
// compare the share rejected with the computed power and the mean of the passing draws with the mean after
// pre-testing; and the identities that hold by construction (power at the slope for 50% power, Bayes
// factor 1 and power = size under parallel trends).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pretrends } from "../../bindings/estimators/did/pretrends.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const hw = JSON.parse(readFileSync(join(import.meta.dirname, "..", "golden", "data", "he-wang-2017-event-study.json"), "utf8")) as { t: number[]; beta: number[]; sigma: number[][] };
const input = { betahat: hw.beta, sigma: hw.sigma, eventTimes: hw.t, reference: -1 };

function cholesky(s: number[][]): number[][] {
  const n = s.length;
  const L = s.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = s[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] ** 2;
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let v = s[i][j];
      for (let k = 0; k < j; k++) v -= L[i][k] * L[j][k];
      L[i][j] = v / L[j][j];
    }
  }
  return L;
}

describe("pretrends", () => {
  it("simulated pre-tests: rejection share = power, mean of passing draws = mean after pre-testing", () => {
    const delta = hw.t.map((t) => 0.04 * (t + 1));
    const r = pretrends({ ...input, slope: 0.04 });
    const L = cholesky(hw.sigma);
    const se = hw.sigma.map((row, i) => Math.sqrt(row[i]));
    const rng = new Xoshiro128(2022, 0);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
    const draws = 40_000;
    let rejected = 0;
    const sums = new Array<number>(hw.t.length).fill(0);
    for (let d = 0; d < draws; d++) {
      const z = hw.t.map(() => normal());
      const b = delta.map((m, i) => m + L[i].reduce((s, l, k) => s + l * z[k], 0));
      if (hw.t.some((t, i) => t < -1 && Math.abs(b[i] / se[i]) > 1.96)) rejected++;
      else b.forEach((v, i) => (sums[i] += v));
    }
    const power = rejected / draws;
    // 4 simulation standard errors of a share and of a mean
    expect(Math.abs(power - r.power)).toBeLessThan(4 * Math.sqrt((r.power * (1 - r.power)) / draws));
    const passed = draws - rejected;
    r.rows.forEach((row, i) => expect(Math.abs(sums[i] / passed - row.mean_after_pretesting!), `t = ${row.t}`).toBeLessThan(4 * (se[i] / Math.sqrt(passed))));
  });

  it("identities: power at the slope for 50% power is 0.5; under parallel trends power = size and the Bayes factor is 1", () => {
    const r = pretrends({ ...input, powers: [0.5, 0.8] });
    const [s50, s80] = r.slopes_for_power;
    expect(pretrends({ ...input, slope: s50.slope }).power).toBeCloseTo(0.5, 8);
    expect(pretrends({ ...input, slope: s80.slope }).power).toBeCloseTo(0.8, 8);
    const flat = pretrends({ ...input, slope: 0 });
    expect(flat.bayes_factor).toBeCloseTo(1, 12);
    expect(flat.power).toBeGreaterThan(0.05); // three tests at 5% each: more than 5%, less than 15%
    expect(flat.power).toBeLessThan(0.15);
    // With no trend and a box symmetric around 0, the pre-period means after pre-testing stay at 0.
    flat.rows.forEach((row) => expect(Math.abs(row.mean_after_pretesting!)).toBeLessThan(1e-9));
  });

  it("refuses inputs it cannot use, naming what to fix", () => {
    expect(() => pretrends({ ...input, reference: 0 })).toThrow(/reference period 0 is one of the coefficients' event times/);
    expect(() => pretrends({ ...input, reference: -10 })).toThrow(/no pre-period coefficients/);
    expect(() => pretrends({ ...input, delta: [1, 2] })).toThrow(/delta has 2 entries; the event study has 7 coefficients/);
    expect(() => pretrends({ ...input, powers: [1.2] })).toThrow(/strictly between 0 and 1/);
    expect(() => pretrends({ ...input, sigma: hw.sigma.map((r) => r.map(() => 0.01)) })).toThrow(/not positive definite/);
  });
});
