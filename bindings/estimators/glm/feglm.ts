// fepois and feglm: Poisson, logit and probit regressions with any number of absorbed fixed effects, in
// fixest's formula syntax and with fixest 0.12.2's numbers (the estimation as its feglm.fit, irls.ts; the
// sample as its defaults, perfect-fit.ts; the variance as vcov.fixest, glm-variance.ts).
//
// Order of work: the sample (subset, complete cases over the outcome, regressors, fixed effects, weights
// and offset); the outcome checked for the family (a row that breaks it is named); fixed-effect groups
// that fit the outcome perfectly removed (fixest's fixef.rm = "perfect"); the IRLS; for Poisson, when the
// fit shows separation by the regressors, the separated rows found by ppmlhdfe's iterative rectifier,
// removed, and the model fitted again (separation.ts; fixest 0.12.2 does not do this); the null model,
// the fit statistics and the variance.
import { toFrame, type DataInput } from "../../data/columns.js";
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { info, warning, type Note } from "../../notes.js";
import { buildDesign, designVariables, type Design } from "../../model/design.js";
import { parseFormula, type Formula } from "../../model/formula.js";
import { subsetGroups } from "../../model/groups.js";
import { withDerivedColumns } from "../../model/transform-columns.js";
import { vcovVariables } from "../../model/vcov-complete.js";
import { columnWriter } from "../../model/lazy-columns.js";
import { buildSample, sampleValues, type FixefEncoding, type VariableUse } from "../../model/sample.js";
import type { VcovSpec } from "../../model/vcov-spec.js";
import { fmtInt } from "../../present/format.js";
import { resolveCommon, type CommonFitOptions, type ResolvedCommon } from "../common-options.js";
import { clusterEncoder, numericEncoder } from "../fit.js";
import { fixefParameters } from "../vcov/params.js";
import { FAMILIES, type Family, type FamilyName } from "./family.js";
import { familyLogLik } from "./family-ops.js";
import { GlmFit } from "./glm-fit.js";
import { glmVariance } from "./glm-variance.js";
import { runIrls, type IrlsResult } from "./irls.js";
import { nullLogLik } from "./null-model.js";
import { perfectFitRemoval, type PerfectGroups } from "./perfect-fit.js";
import { divergingRegressors, perfectlyPredicted, poissonSuspect, rectifier } from "./separation.js";

/** fixest's glm.tol: the IRLS stops when |dev - dev_old| / (0.1 + |dev|) falls below it. */
export const GLM_TOL = 1e-8;
/** fixest's glm.iter: IRLS iterations at most. */
export const GLM_ITER = 25;

export interface FeglmOptions extends CommonFitOptions {
  /** Column added to the linear predictor with coefficient 1 (e.g. log exposure). */
  readonly offset?: string | null;
  /** "perfect" (fixest's default): remove fixed-effect groups whose outcome is all 0 (or, binary, all 1),
   *  and for Poisson the rows separated by the regressors; "none": remove nothing (fixest's fixef.rm =
   *  "none"; separation is then only reported, the estimates along it diverge). */
  readonly fixefRm?: "perfect" | "none";
  readonly glmTol?: number;
  readonly glmIter?: number;
  /** Rows a caller excludes programmatically (1 = may enter), on top of `subset`. */
  readonly rowFilter?: Uint8Array | null;
}

function checkOptions(o: FeglmOptions): void {
  if (o.glmTol !== undefined && !(o.glmTol > 0 && o.glmTol < 1)) throw new DidwasmError("BAD_OPTION", `glmTol must be in (0, 1), got ${o.glmTol}`);
  if (o.glmIter !== undefined && !(Number.isInteger(o.glmIter) && o.glmIter >= 1)) throw new DidwasmError("BAD_OPTION", `glmIter must be a positive integer, got ${o.glmIter}`);
  if (o.fixefRm !== undefined && o.fixefRm !== "perfect" && o.fixefRm !== "none") {
    throw new DidwasmError("BAD_OPTION", `fixefRm must be "perfect" or "none", got "${o.fixefRm}"`);
  }
}

/** fixest's default variance: clustered by the first fixed effect when there is one, otherwise iid. */
function defaultVcov(f: Formula): VcovSpec {
  return f.fixef.length > 0 ? { type: "cluster", vars: [...f.fixef[0].vars] } : { type: "iid" };
}

/** fixest refuses a negative Poisson outcome and R's binomial family one outside [0, 1]; here a binary
 *  outcome must be 0 or 1. The first offending row is named. */
function checkOutcome(frame: Frame, family: Family, name: string, y: Float64Array, rows: Int32Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (family.binary ? v !== 0 && v !== 1 : v < 0) {
      const need = family.binary ? `0 or 1 for a ${family.label.toLowerCase()}` : "non-negative for a Poisson regression (any non-negative number, as fixest)";
      throw new DidwasmError("BAD_DATA", `outcome "${name}" must be ${need}, but ${frame.describeRow(rows[i])} has ${v}`, { column: name, row: rows[i], value: v });
    }
  }
  let i = 1;
  while (i < y.length && y[i] === y[0]) i++;
  if (i === y.length) throw new DidwasmError("NO_VARIANCE", `outcome "${name}" is ${y[0]} in every observation of the sample: there is nothing to estimate`, { column: name });
}

/** The rows and their values kept by `keep` (1 = kept). */
function keepRows<T extends Float64Array | Int32Array>(v: T, keep: Uint8Array): T {
  return v.filter((_, i) => keep[i] === 1) as T;
}

interface Working {
  rows: Int32Array;
  fixef: FixefEncoding[];
  y: Float64Array;
  weights: Float64Array | null;
  offset: Float64Array | null;
}

function shrink(s: Working, keep: Uint8Array): Working {
  const m = keep.reduce((a, k) => a + k, 0);
  return {
    rows: keepRows(s.rows, keep),
    // Varying slopes (fe[x]) keep their values on the kept rows.
    fixef: s.fixef.map((f) => ({
      name: f.name, ...subsetGroups(f, keep, m), ...(f.slopes ? { slopes: { ...f.slopes, values: f.slopes.values.map((v) => keepRows(v, keep)) } } : {}),
    })),
    y: keepRows(s.y, keep),
    weights: s.weights ? keepRows(s.weights, keep) : null,
    offset: s.offset ? keepRows(s.offset, keep) : null,
  };
}

/** The design's regressors as one n x K column-major array. */
function designMatrix(design: Design, n: number): Float64Array {
  const K = design.columns.length;
  const X = new Float64Array(K * n);
  for (let j = 0; j < K; j++) {
    const write = columnWriter(design.columns, j);
    if (write) write(X, j * n);
    else X.set(design.columns[j], j * n);
  }
  return X;
}

/** Levels of the first few groups of a fixed effect, for notes ("Origin: FR, DE"). */
function groupLabels(frame: Frame, f: Formula, s: Working, g: PerfectGroups): string {
  const term = f.fixef.find((t) => t.name === g.name)!;
  const labels = g.examples.map((i) => term.vars.map((v) => frame.cellText(v, s.rows[i])).join("_"));
  return `${g.name} ${fmtInt(g.groups)} (e.g. ${labels.join(", ")}${g.groups > labels.length ? ", ..." : ""})`;
}

function sqCorrelation(y: Float64Array, mu: Float64Array): number | null {
  const n = y.length;
  let my = 0;
  let mm = 0;
  for (let i = 0; i < n; i++) {
    my += y[i];
    mm += mu[i];
  }
  my /= n;
  mm /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = y[i] - my;
    const b = mu[i] - mm;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return syy > 0 ? (sxy * sxy) / (sxx * syy) : null;
}

interface Fitted {
  readonly design: Design;
  readonly X: Float64Array;
  readonly irls: IrlsResult;
}

function fitOnce(frame: Frame, f: Formula, family: Family, s: Working, common: ResolvedCommon, glmTol: number, glmIter: number): Fitted {
  const design = buildDesign(frame, f, s.rows, f.fixef.length > 0);
  if (design.columns.length === 0) throw new DidwasmError("NO_REGRESSORS", "the formula has no regressor to estimate");
  const n = s.rows.length;
  const nParams = design.columns.length + fixefParameters(s.fixef);
  if (n <= nParams) {
    throw new DidwasmError("TOO_FEW_ROWS", `${n} observation(s) for ${nParams} parameters: more observations than parameters are needed`, { nobs: n, parameters: nParams });
  }
  const X = designMatrix(design, n);
  const irls = runIrls({
    backend: common.engine.backend, family, y: s.y, X, K: design.columns.length, offset: s.offset, pw: s.weights, fixef: s.fixef,
    glmTol, glmIter, tol: common.tol, maxIter: common.maxIter,
  });
  if (irls.step.keptIdx.length === 0) {
    throw new DidwasmError("ALL_COLLINEAR", `every regressor is collinear${s.fixef.length ? " with the fixed effects" : ""} or has no variation: ${design.names.join(", ")}`);
  }
  return { design, X, irls };
}

/** A GLM with absorbed fixed effects (the family given in the options). */
export function feglm(data: DataInput, formula: string, options: FeglmOptions & { readonly family: FamilyName }): GlmFit {
  checkOptions(options);
  const family = FAMILIES[options.family];
  if (!family) throw new DidwasmError("BAD_OPTION", `family must be poisson, logit or probit, got "${options.family}"`);
  const f = parseFormula(formula);
  if (f.outcomes.length !== 1) throw new DidwasmError("MULTIPLE_OUTCOMES", `the formula has ${f.outcomes.length} outcomes (${f.outcomes.join(", ")}); fepois and feglm take one`);
  const input = toFrame(data);
  const common = resolveCommon(options, defaultVcov(f), input.nrow);
  // Transforms (log(x), poly(x, 2)) become columns of the frame, named as the formula names them.
  const { frame, notes: transformNotes } = withDerivedColumns(input, f, { subset: common.subset, rowFilter: options.rowFilter ?? null });
  const glmTol = options.glmTol ?? GLM_TOL;
  const glmIter = options.glmIter ?? GLM_ITER;
  const outcome = f.outcomes[0];
  const offsetName = options.offset ?? null;
  const rhs = designVariables(f);
  // The variance's columns (clusters, panel, coordinates): rows missing one are left out, as in fixest.
  const vcovUses = vcovVariables(common.vcov, f.fixef.map((fe) => fe.name));
  const categorical: VariableUse[] = [
    ...rhs.categorical,
    ...f.fixef.flatMap((fe) => fe.vars.map((v) => ({ name: v, role: "fixed effect" }))),
    ...vcovUses.categorical,
  ];
  const sample = buildSample(frame, {
    numeric: [{ name: outcome, role: "outcome" }, ...rhs.numeric, ...(offsetName ? [{ name: offsetName, role: "offset" }] : []), ...vcovUses.numeric],
    categorical, weights: common.weights, subset: common.subset, rowFilter: options.rowFilter ?? null, fixef: f.fixef, fixefRm: "none",
  });
  let s: Working = {
    rows: sample.rows, fixef: [...sample.fixef], y: sampleValues(frame, outcome, sample.rows, "outcome"), weights: sample.weights,
    offset: offsetName ? sampleValues(frame, offsetName, sample.rows, "offset") : null,
  };
  checkOutcome(frame, family, outcome, s.y, s.rows);
  const notes: Note[] = [];
  if (sample.dropped.missing) notes.push(info("missing_dropped", `${sample.dropped.missing} observation(s) removed because of missing values`));
  if (sample.dropped.zeroWeight) notes.push(info("zero_weight_dropped", `${sample.dropped.zeroWeight} observation(s) with zero weight removed`));
  notes.push(...transformNotes, ...(sample.notes ?? []), ...common.threadNotes);

  const what = family.binary ? "only 0 (or only 1) outcomes" : "only 0 outcomes";
  const perfectFitGroups: Record<string, number> = {};
  let perfectFitRows = 0;
  const removeRows = (options.fixefRm ?? "perfect") === "perfect";
  if (removeRows && s.fixef.length > 0) {
    const r = perfectFitRemoval(s.y, s.fixef, family.binary, `outcome "${outcome}"`, common.engine.backend);
    if (r.keep) {
      r.removed.forEach((g) => (perfectFitGroups[g.name] = g.groups));
      perfectFitRows = r.removedRows;
      notes.push(info("perfect_fit", `fixed-effect groups with ${what} removed (as fixest): ${r.removed.map((g) => groupLabels(frame, f, s, g)).join("; ")}, ${fmtInt(r.removedRows)} observation(s)`));
      if (r.leftPerfect.length) {
        notes.push(warning("perfect_fit", `after that removal, fixed-effect groups with ${what} are left (fixest keeps them too; their fixed effects diverge, the coefficients do not): ${r.leftPerfect.map((g) => groupLabels(frame, f, s, g)).join("; ")}`));
      }
      s = shrink(s, r.keep);
    }
  }

  let fitted = fitOnce(frame, f, family, s, common, glmTol, glmIter);
  let separatedRows = 0;
  if (family.name === "poisson" && poissonSuspect(s.y, fitted.irls.lastEtaChange, fitted.irls.converged)) {
    const keptX = keptColumns(fitted.X, fitted.irls.step.keptIdx, s.y.length);
    const ir = rectifier({ backend: common.engine.backend, y: s.y, X: keptX, K: fitted.irls.step.keptIdx.length, fixef: s.fixef, tol: Math.min(common.tol, 1e-10), maxIter: common.maxIter });
    if (!ir.converged) {
      notes.push(warning("separation", `the fit shows signs of separation, but the iterative rectifier did not settle within ${ir.iterations} iterations: some observations may be separated (their fitted means go to 0)`));
    } else if (ir.count > 0 && !removeRows) {
      notes.push(warning("separation", `${fmtInt(ir.count)} observation(s) with outcome 0 are separated (iterative rectifier) and kept (fixefRm none): estimates along the separating directions diverge`));
    } else if (ir.count > 0) {
      const culprits = divergingRegressors(fitted.irls.step.keptIdx.map((j) => fitted.design.names[j]), fitted.irls.lastCoefChange, keptX, s.y.length);
      separatedRows = ir.count;
      const keep = ir.separated.map((v) => 1 - v);
      s = shrink(s, keep);
      fitted = fitOnce(frame, f, family, s, common, glmTol, glmIter);
      notes.push(
        warning("separation", `${fmtInt(ir.count)} observation(s) with outcome 0 are separated by the regressors${culprits.length ? ` (${culprits.join(", ")})` : ""} and were removed, as ppmlhdfe does (fixest 0.12 keeps them and reports diverging estimates)`),
      );
    }
  }
  const { design, irls } = fitted;
  if (family.binary) {
    const perfect = perfectlyPredicted(family.name, s.y, irls.mu, irls.lastEtaChange);
    if (perfect > 0) {
      const keptX = keptColumns(fitted.X, irls.step.keptIdx, s.y.length);
      const culprits = divergingRegressors(irls.step.keptIdx.map((j) => design.names[j]), irls.lastCoefChange, keptX, s.y.length);
      notes.push(
        warning("separation", `${fmtInt(perfect)} observation(s) are predicted perfectly (fitted probability 0 or 1): the data are separated${culprits.length ? ` along ${culprits.join(", ")}` : ""}, whose estimates diverge (as fixest's do)`),
      );
    }
  }
  const removed = design.names.filter((_, j) => !irls.step.keptIdx.includes(j));
  if (removed.length) notes.push(warning("collinear_removed", `collinear regressor(s) removed: ${removed.join(", ")}`));
  if (irls.divergence) notes.push(warning("not_converged", irls.divergence));
  else if (!irls.converged) notes.push(warning("not_converged", `the IRLS did not converge within ${glmIter} iterations (glm tolerance ${glmTol}); final deviance ${irls.deviance}`));
  if (!irls.demeanConverged) notes.push(warning("not_converged", `demeaning did not converge within ${common.maxIter} sweeps (tol ${common.tol}) in some iteration`));

  const n = s.y.length;
  const K = irls.step.keptIdx.length;
  const logLikNull = nullLogLik({ backend: common.engine.backend, family, y: s.y, pw: s.weights, offset: s.offset, glmTol, glmIter });
  const variance = glmVariance(common.vcov, {
    backend: common.engine.backend, n, K, Xd: irls.step.Xd, resid: irls.step.resid, w: irls.w, bread: irls.step.bread, fixef: s.fixef,
    clusterGroups: clusterEncoder(frame, s.rows, s.fixef), sampleNumeric: numericEncoder(frame, s.rows), ssc: common.ssc,
  });
  const fixefSizes: Record<string, number> = {};
  s.fixef.forEach((fe) => (fixefSizes[fe.name] = fe.G));
  return new GlmFit({
    family: family.name, formula, outcome, coefNames: irls.step.keptIdx.map((j) => design.names[j]), coef: irls.step.coef, vcovSpec: common.vcov, ssc: common.ssc, variance,
    nobs: n, nparams: K + fixefParameters(s.fixef), deviance: irls.deviance, logLik: familyLogLik(common.engine.backend, family, s.y, irls.mu, irls.eta, s.weights), logLikNull,
    sqCor: sqCorrelation(s.y, irls.mu), removed, removals: { perfectFitGroups, perfectFitRows, separatedRows }, nobsMissing: sample.dropped.missing,
    fixefSizes, iterations: irls.iterations, converged: irls.converged, threads: common.threads, notes, weights: common.weights, offset: offsetName,
    internals: {
      frame, rows: s.rows, Xd: irls.step.Xd, resid: irls.step.resid, w: irls.w, bread: irls.step.bread, fixef: s.fixef,
      y: s.y, mu: irls.mu, eta: irls.eta, offset: s.offset, design,
      engine: common.engineGiven ? common.engine : null, backendName: common.engine.backend.name,
    },
  });
}

function keptColumns(X: Float64Array, keptIdx: readonly number[], n: number): Float64Array {
  const out = new Float64Array(keptIdx.length * n);
  keptIdx.forEach((j, k) => out.set(X.subarray(j * n, (j + 1) * n), k * n));
  return out;
}

/** Poisson pseudo-maximum likelihood with absorbed fixed effects (fixest's fepois). */
export function fepois(data: DataInput, formula: string, options: FeglmOptions = {}): GlmFit {
  return feglm(data, formula, { ...options, family: "poisson" });
}
