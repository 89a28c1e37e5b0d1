// The three GLM families of fepois and feglm, each as fixest 0.12.2 evaluates it (feglm.fit and its C++
// helpers in src/parallel_funs.cpp, or R's own family object where fixest uses that): the inverse link with
// its clamps, d mu / d eta, the variance function, the deviance, the log-likelihood and the starting mean.
// Matching those clamps and formulas is what makes the iterations, the deviance and the log-likelihood
// fixest's own, not merely close.
//
// Whole-array functions rather than per-observation callbacks: the IRLS loop calls each once per
// iteration over a million rows. Elementary functions come from the engine-independent libm.
import { normalCdf, normalQuantile } from "../../stats/distributions.js";
import { exp, expFast, log } from "../../stats/libm.js";
import { logFactorialSums } from "./log-factorial.js";

export type FamilyName = "poisson" | "logit" | "probit";

/** R's .Machine$double.eps: the floor fixest's and R's links clamp fitted means and derivatives to. */
const EPS = 2.220446049250313e-16;
/** fixest's Poisson link: below this linear predictor the mean is taken as EPS (poisson_linkinv). */
const POISSON_ETA_FLOOR = -36;
/** fixest's logit link: beyond +-30 the mean is EPS or 1 - EPS and d mu / d eta is EPS. */
const LOGIT_ETA_CLAMP = 30;
/** R's probit link clamps eta to +-(-qnorm(EPS)) so that pnorm stays inside (0, 1). */
const PROBIT_ETA_CLAMP = 8.125890664701906;
const INV_SQRT_2PI = 0.3989422804014327;

export interface Family {
  readonly name: FamilyName;
  /** As fixest prints it: "Poisson", "Logit", "Probit". */
  readonly label: string;
  /** Fixed-effect groups whose outcome is all 1 are perfect fits too (binary families). */
  readonly binary: boolean;
  /** family$initialize's starting mean: y + 0.1 (Poisson), (w y + 0.5) / (w + 1) (binomial). */
  startMean(y: Float64Array, pw: Float64Array | null): Float64Array;
  linkfun(mu: Float64Array): Float64Array;
  linkinv(eta: Float64Array, out: Float64Array): void;
  /** The IRLS working weights w = pw (d mu/d eta)^2 / V(mu) and working response z = eta - offset +
   *  (y - mu) / (d mu/d eta), written into w and z. */
  working(y: Float64Array, eta: Float64Array, mu: Float64Array, offset: Float64Array | null, pw: Float64Array | null, z: Float64Array, w: Float64Array): void;
  deviance(y: Float64Array, mu: Float64Array, eta: Float64Array, pw: Float64Array | null): number;
  /** family$validmu: every mean finite and inside the family's range. */
  validMu(mu: Float64Array): boolean;
  logLik(y: Float64Array, mu: Float64Array, eta: Float64Array, pw: Float64Array | null): number;
}

const weight = (pw: Float64Array | null, i: number) => (pw === null ? 1 : pw[i]);

/** sum w (y log y - y) over y > 0, per outcome and weights (the IRLS evaluates the deviance a dozen times). */
const poissonConstants = new WeakMap<Float64Array, { pw: Float64Array | null; value: number }>();
function poissonConstant(y: Float64Array, pw: Float64Array | null): number {
  const known = poissonConstants.get(y);
  if (known && known.pw === pw) return known.value;
  let value = 0;
  for (let i = 0; i < y.length; i++) if (y[i] > 0) value += weight(pw, i) * (y[i] * log(y[i]) - y[i]);
  poissonConstants.set(y, { pw, value });
  return value;
}

const poisson: Family = {
  name: "poisson",
  label: "Poisson",
  binary: false,
  startMean: (y) => y.map((v) => v + 0.1),
  linkfun: (mu) => mu.map((m) => log(m)),
  linkinv(eta, out) {
    // expFast: the IRLS calls this for every row at every iteration and halving (within 1 ulp of exp).
    for (let i = 0; i < eta.length; i++) out[i] = eta[i] < POISSON_ETA_FLOOR ? EPS : expFast(eta[i]);
  },
  working(y, eta, mu, offset, pw, z, w) {
    // d mu/d eta = mu = V(mu): w = pw mu, z = eta + (y - mu) / mu.
    for (let i = 0; i < y.length; i++) {
      const m = mu[i];
      z[i] = (offset === null ? eta[i] : eta[i] - offset[i]) + (y[i] - m) / m;
      w[i] = pw === null ? m : pw[i] * m;
    }
  },
  deviance(y, mu, eta, pw) {
    // fixest's form: 2 (sum y log y - y  -  sum y eta  +  sum mu), the first sum over y > 0 and the same at
    // every iteration (computed once per outcome), with eta (not log mu) so that the clamp of tiny means
    // does not enter the y eta term.
    let s = poissonConstant(y, pw);
    for (let i = 0; i < y.length; i++) s += pw === null ? mu[i] - y[i] * eta[i] : pw[i] * (mu[i] - y[i] * eta[i]);
    return 2 * s;
  },
  validMu(mu) {
    for (let i = 0; i < mu.length; i++) if (!(mu[i] > 0 && mu[i] < Infinity)) return false;
    return true;
  },
  logLik(y, mu, eta, pw) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += weight(pw, i) * (y[i] * eta[i] - mu[i]);
    return s - logFactorialSums(y, pw).weighted;
  },
};

function binomialStart(y: Float64Array, pw: Float64Array | null): Float64Array {
  return y.map((v, i) => (weight(pw, i) * v + 0.5) / (weight(pw, i) + 1));
}

function binomialValidMu(mu: Float64Array): boolean {
  for (let i = 0; i < mu.length; i++) if (!(mu[i] > 0 && mu[i] < 1)) return false;
  return true;
}

/** binomial()$dev.resids for a 0/1 outcome: -2 log of the probability of the observed value. */
function binomialDeviance(y: Float64Array, mu: Float64Array, pw: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += weight(pw, i) * (y[i] === 1 ? -2 * log(mu[i]) : -2 * log(1 - mu[i]));
  return s;
}

/** R's round(): to the nearest whole number, halves to even (0.5 -> 0, 1.5 -> 2, 2.5 -> 2). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** binomial()$aic / -2, which fixest reports as the log-likelihood: the prior weights enter rounded to whole
 *  numbers (R's dbinom(round(w y), round(w), mu)), so non-integer weights count as R counts them. */
function binomialLogLik(y: Float64Array, mu: Float64Array, pw: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pw === null ? 1 : roundHalfEven(pw[i])) * (y[i] === 1 ? log(mu[i]) : log(1 - mu[i]));
  return s;
}

const logit: Family = {
  name: "logit",
  label: "Logit",
  binary: true,
  startMean: binomialStart,
  linkfun: (mu) => mu.map((m) => log(m) - log(1 - m)),
  linkinv(eta, out) {
    for (let i = 0; i < eta.length; i++) {
      const e = eta[i];
      out[i] = e < -LOGIT_ETA_CLAMP ? EPS : e > LOGIT_ETA_CLAMP ? 1 - EPS : 1 / (1 + 1 / exp(e));
    }
  },
  working(y, eta, mu, offset, pw, z, w) {
    for (let i = 0; i < y.length; i++) {
      const e = eta[i];
      let d = EPS;
      if (Math.abs(e) <= LOGIT_ETA_CLAMP) {
        const ex = exp(e);
        d = 1 / ((1 + 1 / ex) * (1 + ex));
      }
      const m = mu[i];
      z[i] = (offset === null ? e : e - offset[i]) + (y[i] - m) / d;
      w[i] = (weight(pw, i) * d * d) / (m * (1 - m));
    }
  },
  deviance: (y, mu, _eta, pw) => binomialDeviance(y, mu, pw),
  validMu: binomialValidMu,
  logLik: (y, mu, _eta, pw) => binomialLogLik(y, mu, pw),
};

const probit: Family = {
  name: "probit",
  label: "Probit",
  binary: true,
  startMean: binomialStart,
  linkfun: (mu) => mu.map((m) => normalQuantile(m)),
  linkinv(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = normalCdf(Math.min(Math.max(eta[i], -PROBIT_ETA_CLAMP), PROBIT_ETA_CLAMP));
  },
  working(y, eta, mu, offset, pw, z, w) {
    for (let i = 0; i < y.length; i++) {
      const e = eta[i];
      // R's probit mu.eta: the density at the unclamped eta, floored at EPS.
      const d = Math.max(INV_SQRT_2PI * exp(-0.5 * e * e), EPS);
      const m = mu[i];
      z[i] = (offset === null ? e : e - offset[i]) + (y[i] - m) / d;
      w[i] = (weight(pw, i) * d * d) / (m * (1 - m));
    }
  },
  deviance: (y, mu, _eta, pw) => binomialDeviance(y, mu, pw),
  validMu: binomialValidMu,
  logLik: (y, mu, _eta, pw) => binomialLogLik(y, mu, pw),
};

export const FAMILIES: Readonly<Record<FamilyName, Family>> = { poisson, logit, probit };
