// The event study a sensitivity analysis starts from: the coefficients beta = (beta_pre, beta_post) in
// time order without the reference period, their covariance Sigma, how many are pre-periods, and the
// target's weights l over the post-periods. Checked here once, with messages that say what to fix: the
// shapes (HonestDiD's .stopIfNotConformable), at least one pre-period, and Sigma symmetric and positive
// semidefinite (HonestDiD only warns; a clearly indefinite Sigma gives negative variances, so it is
// refused, while rounding-size negative eigenvalues are a note).
import { DidwasmError } from "../../errors.js";
import { symmetricEigen } from "../../linalg/small.js";
import { info, warning, type Note } from "../../notes.js";
import { mat, principal, type Mat } from "./dense.js";
import type { EventStudy } from "./test-inversion.js";

export interface EventStudyData {
  readonly betahat: readonly number[];
  readonly sigma: ReadonlyArray<readonly number[]>;
  readonly numPre: number;
  readonly numPost: number;
  /** Weights over the post-periods (default: the first post-period, HonestDiD's default). */
  readonly l?: readonly number[] | null;
  /** Where the numbers came from, for messages ("the event study"). */
  readonly source?: string;
}

/** Eigenvalues below -this x the largest make Sigma indefinite beyond rounding. */
const PSD_TOL = 1e-8;
/** Entries of Sigma and Sigma' differing by more than this x the largest entry: not a covariance. */
const SYMMETRY_TOL = 1e-8;

export function eventStudyOf(d: EventStudyData): { es: EventStudy; notes: Note[] } {
  const notes: Note[] = [];
  const n = d.betahat.length;
  const what = d.source ?? "betahat";
  if (n === 0) throw new DidwasmError("BAD_DATA", `${what}: no event-study coefficients`);
  d.betahat.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new DidwasmError("BAD_DATA", `${what}: coefficient ${i + 1} is ${v}, not a finite number`);
  });
  if (!Number.isInteger(d.numPre) || d.numPre < 1) {
    throw new DidwasmError("BAD_DATA", `the event study has no pre-period coefficient (num-pre is ${d.numPre}): a sensitivity analysis bounds post-period violations of parallel trends by the pre-periods', so it needs at least one`);
  }
  if (!Number.isInteger(d.numPost) || d.numPost < 1) throw new DidwasmError("BAD_DATA", `the event study has no post-period coefficient (num-post is ${d.numPost})`);
  if (d.numPre + d.numPost !== n) {
    throw new DidwasmError("BAD_OPTION", `num-pre ${d.numPre} + num-post ${d.numPost} = ${d.numPre + d.numPost} coefficients, but ${what} has ${n}: give num-pre and num-post that add up to ${n}`, { option: "numPre" });
  }
  if (d.sigma.length !== n || d.sigma.some((r) => r.length !== n)) {
    throw new DidwasmError("BAD_DATA", `sigma must be ${n} x ${n} (one row and column per coefficient), got ${d.sigma.length} x ${d.sigma[0]?.length ?? 0}`);
  }
  const S = mat(n, n);
  let scale = 0;
  d.sigma.forEach((r, i) =>
    r.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new DidwasmError("BAD_DATA", `sigma[${i + 1}][${j + 1}] is ${v}, not a finite number`);
      S.data[i * n + j] = v;
      scale = Math.max(scale, Math.abs(v));
    }),
  );
  let asym = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) asym = Math.max(asym, Math.abs(S.data[i * n + j] - S.data[j * n + i]));
  if (asym > SYMMETRY_TOL * scale) throw new DidwasmError("BAD_DATA", `sigma is not symmetric (largest difference between sigma[i][j] and sigma[j][i]: ${asym.toPrecision(3)}): it is not a covariance matrix`);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) S.data[i * n + j] = S.data[j * n + i] = (S.data[i * n + j] + S.data[j * n + i]) / 2;
  for (let i = 0; i < n; i++) {
    if (!(S.data[i * n + i] > 0)) throw new DidwasmError("BAD_DATA", `sigma's variance of coefficient ${i + 1} is ${S.data[i * n + i]}: every coefficient needs a positive variance`);
  }
  const { values } = symmetricEigen(S.data, n);
  const top = Math.max(...values);
  const bottom = Math.min(...values);
  if (bottom < -PSD_TOL * top) {
    throw new DidwasmError("BAD_DATA", `sigma is not positive semidefinite (smallest eigenvalue ${bottom.toPrecision(3)}, largest ${top.toPrecision(3)}): it is not a covariance matrix, and the tests would use negative variances`);
  }
  if (bottom < 0) notes.push(info("precision_loss", `sigma has an eigenvalue of ${bottom.toPrecision(3)} (rounding: largest ${top.toPrecision(3)}); used as given, as HonestDiD does`));
  const l = d.l ?? Array.from({ length: d.numPost }, (_, i) => (i === 0 ? 1 : 0));
  if (l.length !== d.numPost) {
    throw new DidwasmError("BAD_OPTION", `l-vec has ${l.length} weight(s) but there are ${d.numPost} post-period coefficients: give one weight per post-period (e.g. ${Array(d.numPost).fill((1 / d.numPost).toFixed(3)).join(",")} for their average)`, { option: "lVec" });
  }
  if (l.some((v) => !Number.isFinite(v))) throw new DidwasmError("BAD_OPTION", "l-vec holds a value that is not a finite number", { option: "lVec" });
  if (l.every((v) => v === 0)) throw new DidwasmError("BAD_OPTION", "l-vec is all zeros: the target l'tau would be 0 whatever the data", { option: "lVec" });
  if (l.some((v) => v < 0)) notes.push(warning("method", "l-vec has negative weights; HonestDiD's identified-set formulas assume nonnegative weights"));
  return { es: { betahat: Float64Array.from(d.betahat), sigma: S, numPre: d.numPre, numPost: d.numPost, l: Float64Array.from(l) }, notes };
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** Sigma's post-period block. */
export const postCovariance = (es: EventStudy): Mat => principal(es.sigma, range(es.numPre, es.numPost));
/** Sigma's pre-period block. */
export const preCovariance = (es: EventStudy): Mat => principal(es.sigma, range(0, es.numPre));
