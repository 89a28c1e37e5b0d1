// The family's passes over the rows as the IRLS (irls.ts) calls them, bound to one fit's outcome, weights
// and offset: for Poisson the backend's kernels (assembly/poisson.ts, the same bits as family.ts's
// TypeScript, which they mirror), for the binomial families family.ts itself.
//
// WHY. fepois on a gravity model (38,000 rows, six iterations) in a fresh process (the CLI) spent most of
// its time in these loops before V8 had optimised them; a kernel runs compiled from its first call. The
// IRLS keeps its vectors as ordinary arrays, so each call copies its inputs into the fit's arena and its
// outputs back (a memory copy, about 2 ms per million rows, next to the arithmetic it replaces).
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import { FAMILIES, type Family } from "./family.js";
import { logFactorialSums } from "./log-factorial.js";

export interface FamilyOps {
  /** The starting linear predictor linkfun(startMean(y)). */
  startEta(): Float64Array;
  /** mu = linkinv(eta); the deviance at (eta, mu) and whether every mean is valid (family$validmu). */
  evaluate(eta: Float64Array, mu: Float64Array): { deviance: number; valid: boolean };
  /** The working response (without offset) and weights at (eta, mu); false when every weight is 0. */
  working(eta: Float64Array, mu: Float64Array, z: Float64Array, w: Float64Array): boolean;
  /** Frees the kernels' buffers (the IRLS's results are its own arrays). */
  release(): void;
}

export interface FamilyData {
  readonly y: Float64Array;
  readonly pw: Float64Array | null;
  readonly offset: Float64Array | null;
}

/** The kernels mirror family.ts's own Poisson family; any other family object (the binomial ones, a test's
 *  variant of Poisson) runs its own functions. */
export function familyOps(backend: Backend, family: Family, data: FamilyData): FamilyOps {
  return family === FAMILIES.poisson ? poissonOps(backend, data) : plainOps(family, data);
}

/** family.ts's functions, as they are. */
function plainOps(family: Family, { y, pw, offset }: FamilyData): FamilyOps {
  return {
    startEta: () => family.linkfun(family.startMean(y, pw)),
    evaluate(eta, mu) {
      family.linkinv(eta, mu);
      return { deviance: family.deviance(y, mu, eta, pw), valid: family.validMu(mu) };
    },
    working(eta, mu, z, w) {
      family.working(y, eta, mu, offset, pw, z, w);
      return w.some((v) => v !== 0);
    },
    release() {},
  };
}

function poissonOps(backend: Backend, { y, pw, offset }: FamilyData): FamilyOps {
  const n = y.length;
  const arena: Arena = backend.arena();
  const yB = arena.f64From(y);
  const pwB = pw === null ? null : arena.f64From(pw);
  const offB = offset === null ? null : arena.f64From(offset);
  // Two n-long buffers of scratch: the working response and weights are written over eta and mu (the
  // kernel reads a row's eta and mu before it writes that row's z and w), so the heap holds 3 n doubles
  // here (with weights or an offset, one n more each), beside the demeaning's.
  const etaB = arena.f64(n, false);
  const muB = arena.f64(n, false);
  // 2 (sum pw (y log y - y) - sum pw (y eta) + sum pw mu), the first sum the same at every iteration.
  const constant = backend.poissonConstant(n, yB, pwB);
  const into = (b: F64Buffer, v: Float64Array) => b.view.set(v);
  return {
    startEta() {
      backend.poissonStart(n, yB, etaB);
      return etaB.view.slice();
    },
    evaluate(eta, mu) {
      into(etaB, eta);
      const invalid = backend.poissonMeans(n, etaB, muB);
      mu.set(muB.view);
      return { deviance: 2 * backend.poissonDevianceSum(n, yB, pwB, etaB, muB, constant), valid: invalid === 0 };
    },
    working(eta, mu, z, w) {
      into(etaB, eta);
      into(muB, mu);
      const informative = backend.poissonWorking(n, yB, etaB, muB, offB, pwB, etaB, muB);
      z.set(etaB.view);
      w.set(muB.view);
      return informative > 0;
    },
    release: () => arena.release(),
  };
}

/** The family's log-likelihood at the fit (family.logLik), for Poisson on the backend's kernels. */
export function familyLogLik(backend: Backend, family: Family, y: Float64Array, mu: Float64Array, eta: Float64Array, pw: Float64Array | null): number {
  if (family !== FAMILIES.poisson) return family.logLik(y, mu, eta, pw);
  const arena = backend.arena();
  try {
    const s = backend.poissonLogLikSum(y.length, arena.f64From(y), pw === null ? null : arena.f64From(pw), arena.f64From(eta), arena.f64From(mu));
    return s - logFactorialSums(y, pw, backend).weighted;
  } finally {
    arena.release();
  }
}
