// Properties the sensitivity analysis must have whatever the data (Rambachan and Roth 2023): the original
// interval is l'beta_post +- z se; under smoothness with M = 0 and an exactly linear pre-trend the bias is
// the extrapolated line, so the identified set is one point and the FLCI is centred on it; Mbar = 0 under
// relative magnitudes allows no post-period violation, giving (up to the grid) the original interval;
// the sets widen as the bound grows; the breakdown value is the first bound whose set contains 0.
import { describe, expect, it } from "vitest";
import { eventStudyOf } from "../../bindings/estimators/honestdid/event-study-input.js";
import { smoothnessIdentifiedSet } from "../../bindings/estimators/honestdid/delta-sd.js";
import { FlciSolver } from "../../bindings/estimators/honestdid/flci.js";
import { loadHighs } from "../../bindings/estimators/honestdid/highs-solver.js";
import { breakdownOf, honestSensitivity, type RobustInterval } from "../../bindings/estimators/honestdid/sensitivity.js";
import { isDidwasmError } from "../../bindings/errors.js";

/** An AR(1)-like covariance: correlated coefficients, positive definite. */
const covariance = (n: number, s = 0.01, rho = 0.5) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => s * s * rho ** Math.abs(i - j)));

// Event times -3, -2, -1 (ref 0), 1, 2: a linear pre-trend of slope 0.02 and a post-period effect 0.1 on
// top of the line's continuation.
const slope = 0.02;
const tau = [0.1, 0.15];
const times = [-3, -2, -1, 1, 2];
const betahat = times.map((t, i) => slope * t + (t > 0 ? tau[i - 3] : 0));
const sigma = covariance(5);

describe("identities", () => {
  it("original interval = l'beta_post +- z(1 - alpha/2) se", async () => {
    const { es } = eventStudyOf({ betahat, sigma, numPre: 3, numPost: 2, l: [0.5, 0.5] });
    const r = await honestSensitivity(es, { delta: "rm", m: [1], alpha: 0.1 });
    const est = 0.5 * betahat[3] + 0.5 * betahat[4];
    const se = Math.sqrt(0.25 * (sigma[3][3] + 2 * sigma[3][4] + sigma[4][4]));
    expect(r.original.estimate).toBeCloseTo(est, 14);
    expect(r.original.std_error).toBeCloseTo(se, 14);
    expect(r.original.lb).toBeCloseTo(est - 1.6448536269514722 * se, 12);
    expect(r.original.ub).toBeCloseTo(est + 1.6448536269514722 * se, 12);
  });

  it("SD, M = 0, linear pre-trend: the identified set is the point tau, and the FLCI is centred on it", async () => {
    const highs = await loadHighs();
    for (const l of [[1, 0], [0, 1], [0.5, 0.5]]) {
      const { es } = eventStudyOf({ betahat, sigma, numPre: 3, numPost: 2, l });
      const truth = l[0] * tau[0] + l[1] * tau[1];
      const id = smoothnessIdentifiedSet(highs, es, 0, es.betahat);
      expect(id.lb).toBeCloseTo(truth, 10);
      expect(id.ub).toBeCloseTo(truth, 10);
      const flci = new FlciSolver(highs, es, 0.05);
      const f = flci.at(0);
      flci.dispose();
      expect(f.estimate).toBeCloseTo(truth, 10); // unbiased for a linear trend
      expect(f.maxBias).toBe(0);
      expect(f.lb).toBeLessThan(truth);
      expect(f.ub).toBeGreaterThan(truth);
      // M > 0 widens the identified set around the same point.
      const wider = smoothnessIdentifiedSet(highs, es, 0.01, es.betahat);
      expect(wider.lb).toBeLessThan(truth - 1e-6);
      expect(wider.ub).toBeGreaterThan(truth + 1e-6);
    }
  });

  it("RM, Mbar = 0: the original interval, up to the grid's spacing", async () => {
    for (const numPost of [1, 2]) {
      const b = betahat.slice(0, 3 + numPost);
      const { es } = eventStudyOf({ betahat: b, sigma: covariance(3 + numPost), numPre: 3, numPost });
      const r = await honestSensitivity(es, { delta: "rm", m: [0] });
      const step = (40 * r.original.std_error) / 999; // the 1,000-point grid over +-20 se
      expect(Math.abs(r.robust[0].lb! - r.original.lb)).toBeLessThan(2 * step);
      expect(Math.abs(r.robust[0].ub! - r.original.ub)).toBeLessThan(2 * step);
    }
  });

  it("the sets widen monotonically in M (RM C-LF and ARP, SD FLCI and C-LF)", async () => {
    const { es } = eventStudyOf({ betahat, sigma, numPre: 3, numPost: 2 });
    const runs = [
      await honestSensitivity(es, { delta: "rm", m: [0, 0.5, 1, 2, 4] }),
      await honestSensitivity(es, { delta: "rm", method: "arp", m: [0, 0.5, 1, 2] }),
      await honestSensitivity(es, { delta: "sd", m: [0, 0.005, 0.01, 0.02, 0.05] }),
      await honestSensitivity(es, { delta: "sd", method: "c-lf", m: [0, 0.01, 0.03], gridPoints: 200 }),
    ];
    for (const r of runs) {
      for (let i = 1; i < r.robust.length; i++) {
        const step = (40 * r.original.std_error) / 999;
        expect(r.robust[i].lb!).toBeLessThanOrEqual(r.robust[i - 1].lb! + step);
        expect(r.robust[i].ub!).toBeGreaterThanOrEqual(r.robust[i - 1].ub! - step);
      }
      const last = r.robust[r.robust.length - 1];
      expect(last.ub! - last.lb!).toBeGreaterThan(r.robust[0].ub! - r.robust[0].lb!);
    }
  });

  it("breakdown: the first bound (in increasing order) whose set contains 0", () => {
    const row = (m: number, lb: number | null, ub: number | null): RobustInterval => ({ delta: "RM", m, lb, ub, method: "C-LF" });
    expect(breakdownOf([row(2, -0.1, 1), row(0.5, 0.2, 0.8), row(1, 0.1, 0.9), row(1.5, 0, 0.95)])).toEqual({ m: 1.5, significant_up_to: 1 });
    expect(breakdownOf([row(0.5, 0.2, 0.8), row(1, 0.1, 0.9)])).toEqual({ m: null, significant_up_to: 1 });
    expect(breakdownOf([row(0, -0.2, 0.8)])).toEqual({ m: 0, significant_up_to: null });
  });

  it("refuses an event study without pre-periods and a covariance that is not positive semidefinite", () => {
    const refused = (f: () => unknown, message: RegExp) => {
      let e: unknown = null;
      try {
        f();
      } catch (err) {
        e = err;
      }
      expect(isDidwasmError(e)).toBe(true);
      expect((e as Error).message).toMatch(message);
    };
    refused(() => eventStudyOf({ betahat: [0.1, 0.2], sigma: covariance(2), numPre: 0, numPost: 2 }), /no pre-period coefficient/);
    const indefinite = covariance(3);
    indefinite[0][2] = indefinite[2][0] = 2e-4; // |rho| > 1 between coefficients 1 and 3
    refused(() => eventStudyOf({ betahat: [0, 0.1, 0.2], sigma: indefinite, numPre: 1, numPost: 2 }), /not positive semidefinite/);
    refused(() => eventStudyOf({ betahat: [0, 0.1, 0.2], sigma: covariance(3), numPre: 1, numPost: 2, l: [1] }), /l-vec has 1 weight/);
  });
});
