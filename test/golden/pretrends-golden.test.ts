// didwasm pretrends against (1) the numbers the pretrends package's README prints for He and Wang (2017)
// and (2) golden numbers from test/golden/pretrends/pretrends.R (the package's formulas in R with mvtnorm's
// deterministic Miwa integration; Tallis's formula for the mean after pre-testing).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pretrends } from "../../bindings/estimators/did/pretrends.js";

const here = import.meta.dirname;
const hw = JSON.parse(readFileSync(join(here, "data", "he-wang-2017-event-study.json"), "utf8")) as { t: number[]; beta: number[]; sigma: number[][]; reference_period: number };
const gold = JSON.parse(readFileSync(join(here, "pretrends", "pretrends.json"), "utf8"));

const close = (got: number, want: number, tol: number) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThan(tol);
const input = { betahat: hw.beta, sigma: hw.sigma, eventTimes: hw.t, reference: hw.reference_period };

describe("pretrends: the package README's He and Wang (2017) example", () => {
  // The README's numbers come from mvtnorm's default randomised integration (absolute error about 1e-3)
  // and uniroot's default tolerance (1.2e-4 on the slope), hence the looser tolerance for them.
  const linear = pretrends(input);
  it("slope for 50% power 0.05205871 and the power, Bayes factor and likelihood ratio at it", () => {
    close(linear.slopes_for_power[0].slope, 0.05205871, 5e-5);
    close(linear.power, 0.4999776, 1e-3);
    close(linear.bayes_factor, 0.56901, 1e-3);
    close(linear.likelihood_ratio, 0.1057627, 5e-4);
  });
  it("meanAfterPretesting of the linear trend", () => {
    const printed = [-0.09230764, -0.05555285, -0.0279095, 0.06490184, 0.12084694, 0.16946498, 0.22453827];
    linear.rows.forEach((r, i) => close(r.mean_after_pretesting!, printed[i], 5e-4));
    expect(linear.rows.map((r) => r.delta)).toEqual(hw.t.map((t) => linear.slopes_for_power[0].slope * (t + 1)));
  });
  it("the quadratic trend 0.024 (t - ref)^2: power 0.6624282, Bayes factor 0.3841516, likelihood ratio 0.4332635", () => {
    const q = pretrends({ ...input, delta: hw.t.map((t) => 0.024 * (t + 1) ** 2) });
    close(q.power, 0.6624282, 1e-3);
    close(q.bayes_factor, 0.3841516, 1e-3);
    close(q.likelihood_ratio, 0.4332635, 1e-6);
  });
});

describe("pretrends: golden numbers (deterministic integration in R)", () => {
  const check = (r: ReturnType<typeof pretrends>, g: { power: number; bayes_factor: number; likelihood_ratio: number; mean_after_pretesting: number[] }, tol: number) => {
    close(r.power, g.power, tol);
    close(r.bayes_factor, g.bayes_factor, tol);
    close(r.likelihood_ratio, g.likelihood_ratio, 1e-7);
    r.rows.forEach((row, i) => close(row.mean_after_pretesting!, g.mean_after_pretesting[i], tol));
  };
  it("He and Wang: slopes for 50% and 80% power, the linear and the quadratic trend", () => {
    const r = pretrends(input);
    close(r.slopes_for_power[0].slope, gold.he_wang.slope50, 1e-8);
    close(r.slopes_for_power[1].slope, gold.he_wang.slope80, 1e-8);
    check(r, gold.he_wang.linear, 1e-7);
    expect(r.power_error).toBeLessThan(1e-4); // the half-resolution rule's error: a conservative bound
    check(pretrends({ ...input, delta: hw.t.map((t) => 0.024 * (t + 1) ** 2) }), gold.he_wang.quadratic, 1e-7);
  });
  for (const [name, tol] of [["two_pre", 1e-7], ["five_pre", 5e-4]] as const) {
    it(`generated event study, ${name.replace("_", " ")}-periods (a given delta vector)`, () => {
      const g = gold.generated[name];
      const r = pretrends({ betahat: g.beta, sigma: g.sigma, eventTimes: g.t, reference: -1, delta: g.delta });
      check(r, g, tol);
      close(r.slopes_for_power[0].slope, g.slope50, tol);
      close(r.slopes_for_power[1].slope, g.slope80, tol);
    });
  }
});
