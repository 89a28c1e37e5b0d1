// The IRLS's reuse of work across iterations (bindings/estimators/glm/irls.ts, wls-step.ts): a step
// demeaned from the previous step's fixed-effect parts (warm start) gives the cold start's estimates, and a
// divergence that falls back to the last accepted iteration (whose buffers the failed step overwrote)
// recomputes that iteration's estimates.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { FAMILIES, type Family } from "../../bindings/estimators/glm/family.js";
import { runIrls } from "../../bindings/estimators/glm/irls.js";
import { coldStart, wlsStep, type WlsProblem } from "../../bindings/estimators/glm/wls-step.js";
import type { Groups } from "../../bindings/model/groups.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

const poisson = FAMILIES.poisson;

/** An unbalanced Poisson panel: units x periods with a fifth of the cells missing, two regressors. */
function panel(units: number, periods: number, seed: number) {
  const g = new Xoshiro128(seed);
  const unit: number[] = [];
  const period: number[] = [];
  for (let u = 0; u < units; u++) for (let t = 0; t < periods; t++) if (g.uniform() > 0.2) (unit.push(u), period.push(t));
  const n = unit.length;
  const ue = Array.from({ length: units }, () => g.normal());
  const X = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i] = g.normal() + 0.5 * ue[unit[i]];
    X[n + i] = g.uniform();
    // A Poisson draw (Knuth's product of uniforms).
    const mean = Math.min(30, Math.max(0.05, Math.exp(0.3 * ue[unit[i]] + 0.3 * X[i] - 0.2 * X[n + i] + 0.05 * period[i])));
    const floor = Math.exp(-mean);
    let k = 0;
    for (let prod = g.uniform(); prod > floor; prod *= g.uniform()) k++;
    y[i] = k;
  }
  const fixef: Groups[] = [{ ids: Int32Array.from(unit), G: units }, { ids: Int32Array.from(period), G: periods }];
  return { n, X, y, fixef };
}

function problemOf(b: Backend, p: ReturnType<typeof panel>): WlsProblem {
  return { backend: b, n: p.n, X: p.X, K: 2, fixef: p.fixef, tol: 1e-8, maxIter: 10_000 };
}

const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]) / Math.max(1e-300, Math.abs(b[i]))));
const absDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe.each(backendNames)("IRLS work reuse (%s)", (name) => {
  const b = freshBackend(name);
  const p = panel(150, 12, 7);

  it("a warm-started step gives the cold start's estimates to 1e-8", () => {
    const problem = problemOf(b, p);
    const { n, y } = p;
    const mu = poisson.startMean(y, null);
    let eta = poisson.linkfun(mu);
    poisson.linkinv(eta, mu);
    const z = new Float64Array(n);
    const w = new Float64Array(n);
    const warm = coldStart();
    for (let iter = 1; iter <= 3; iter++) {
      poisson.working(y, eta, mu, null, null, z, w);
      const cold = wlsStep(problem, z, w, coldStart());
      const warmed = wlsStep(problem, z, w, warm);
      if (iter > 1) expect(warm.zPart, "the warm start has z's part").not.toBeNull();
      expect(relDiff(warmed.coef, cold.coef)).toBeLessThan(1e-8);
      expect(absDiff(warmed.resid, cold.resid)).toBeLessThan(1e-7);
      expect(absDiff(warmed.Xd, cold.Xd)).toBeLessThan(1e-7);
      eta = Float64Array.from(warmed.fitted);
      poisson.linkinv(eta, mu);
    }
  });

  it("a divergence reports the last accepted iteration, recomputed", () => {
    const job = { backend: b, y: p.y, X: p.X, K: 2, offset: null, pw: null, fixef: p.fixef, glmTol: 1e-8, tol: 1e-8, maxIter: 10_000 };
    // Poisson whose deviance is not finite from the third iteration on: step halving cannot repair it.
    let workingCalls = 0;
    const failing: Family = {
      ...poisson,
      working: (...a) => {
        workingCalls++;
        poisson.working(...a);
      },
      deviance: (...a) => (workingCalls >= 3 ? Infinity : poisson.deviance(...a)),
    };
    const diverged = runIrls({ ...job, family: failing, glmIter: 25 });
    const two = runIrls({ ...job, family: poisson, glmIter: 2 });
    expect(diverged.divergence).toMatch(/divergence at iteration 3: non-finite deviance/);
    expect(diverged.iterations).toBe(3);
    expect(two.iterations).toBe(2);
    expect(diverged.deviance).toBe(two.deviance);
    expect(Array.from(diverged.eta)).toEqual(Array.from(two.eta));
    expect(Array.from(diverged.w)).toEqual(Array.from(two.w));
    expect(relDiff(diverged.step.coef, two.step.coef)).toBeLessThan(1e-8);
    expect(absDiff(diverged.step.resid, two.step.resid)).toBeLessThan(1e-7);
    expect(absDiff(diverged.step.Xd, two.step.Xd)).toBeLessThan(1e-7);
    expect(absDiff(diverged.step.fitted, two.step.fitted)).toBe(0);
  });
});
