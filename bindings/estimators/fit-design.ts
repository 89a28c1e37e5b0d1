// Fits outcomes on a design over a prepared sample and wraps each result in a Fit. feols builds the design
// from a formula; the DID estimators build theirs programmatically (relative-time dummies, cohort
// interactions) and come through here too, so every regression shares one numerical path.
import type { Frame } from "../data/frame.js";
import { info, warning, type Note } from "../notes.js";
import { DidwasmError } from "../errors.js";
import type { Design } from "../model/design.js";
import type { Groups } from "../model/groups.js";
import type { Sample } from "../model/sample.js";
import type { ResolvedCommon } from "./common-options.js";
import { Fit, clusterEncoder, numericEncoder, type DemeaningReport } from "./fit.js";
import { runOls, type Absorber, type AbsorbedColumns } from "./ols-core.js";
import { fixefParameters } from "./vcov/params.js";

export interface DesignFit {
  readonly frame: Frame;
  /** Shown in results, e.g. the formula or a description of the model. */
  readonly label: string;
  readonly outcomes: ReadonlyArray<{ readonly name: string; readonly values: Float64Array }>;
  readonly sample: Sample;
  readonly design: Design;
  readonly common: ResolvedCommon;
  /** Columns already demeaned over this sample (several models sharing it; see OlsJob.absorbed). */
  readonly absorbed?: AbsorbedColumns | null;
  /** Absorbs the fixed effects in place of absorb() (see OlsJob.absorber). */
  readonly absorber?: Absorber | null;
  /** Cluster encodings the caller already has over the sample (null for a name it has none of): spares
   *  encoding a column of the frame again. */
  readonly clusterGroups?: ((name: string) => Groups | null) | null;
}

/** What building the sample dropped, as notes of the fit. */
export function sampleNotes(sample: Sample): Note[] {
  const notes: Note[] = [];
  if (sample.dropped.missing) notes.push(info("missing_dropped", `${sample.dropped.missing} observation(s) removed because of missing values`));
  if (sample.dropped.zeroWeight) notes.push(info("zero_weight_dropped", `${sample.dropped.zeroWeight} observation(s) with zero weight removed`));
  if (sample.dropped.singletons) notes.push(info("singletons_dropped", `${sample.dropped.singletons} singleton observation(s) removed`));
  return notes;
}

function knownClustersFirst(known: ((name: string) => Groups | null) | null, encode: (name: string) => Groups): (name: string) => Groups {
  return known ? (name) => known(name) ?? encode(name) : encode;
}

export function fitDesign(req: DesignFit): Fit[] {
  const { sample, design, common } = req;
  const nFixef = fixefParameters(sample.fixef);
  const nParams = design.columns.length + nFixef;
  if (sample.rows.length <= nParams) {
    throw new DidwasmError(
      "TOO_FEW_ROWS",
      `${sample.rows.length} observation(s) for ${nParams} parameters (${design.columns.length} coefficient(s)` +
        (sample.fixef.length ? ` and ${nFixef} fixed-effect levels` : "") +
        "): more observations than parameters are needed",
      { nobs: sample.rows.length, parameters: nParams },
    );
  }
  const res = runOls({
    backend: common.engine.backend, outcomes: req.outcomes, design, weights: sample.weights, fixef: sample.fixef,
    tol: common.tol, maxIter: common.maxIter, vcov: common.vcov, ssc: common.ssc, clusterGroups: knownClustersFirst(req.clusterGroups ?? null, clusterEncoder(req.frame, sample.rows, sample.fixef)),
    sampleNumeric: numericEncoder(req.frame, sample.rows),
    absorbed: req.absorbed ?? null,
    absorber: req.absorber ?? null,
    // A Fit reads its residuals only when asked (withVcov, resid, predict, fixef).
    residualsOnDemand: true,
  });
  const notes: Note[] = sampleNotes(sample);
  notes.push(...(sample.notes ?? []), ...common.threadNotes);
  if (res.removed.length) notes.push(warning("collinear_removed", `collinear regressor(s) removed: ${res.removed.join(", ")}`));
  notes.push(...res.precisionNotes);
  if (!res.converged) {
    notes.push(warning("not_converged", `demeaning did not converge within ${common.maxIter} sweeps (tol ${common.tol}) for: ${res.notConverged.join(", ")}`));
  }
  const fixefSizes: Record<string, number> = {};
  sample.fixef.forEach((fe) => (fixefSizes[fe.name] = fe.G));
  return res.outcomes.map(
    (o, l) =>
      new Fit({
        formula: req.label,
        outcome: o.name,
        coefNames: res.keptNames,
        coef: o.coef,
        vcovSpec: common.vcov,
        ssc: common.ssc,
        variance: o.vcov,
        nobs: res.n,
        rss: o.rss,
        tss: o.tss,
        tssWithin: sample.fixef.length > 0 ? o.tssWithin : null,
        constant: o.constant,
        intercept: design.intercept,
        removed: res.removed,
        nobsMissing: sample.dropped.missing,
        singletonsRemoved: sample.dropped.singletons,
        fixefSizes,
        fixefParameters: nFixef,
        iterations: Math.max(0, ...res.iterations),
        converged: res.converged,
        demeaning: demeaningReport(res, common.threads),
        notes,
        weights: common.weights,
        internals: {
          frame: req.frame, rows: sample.rows, X: res.X, demeanedX: res.demeanedX, weights: sample.weights, bread: res.bread, fixef: sample.fixef,
          // Read through: a large fit's residuals are recomputed when first read (OlsJob.residualsOnDemand).
          get resid() {
            return o.resid;
          },
          engine: common.engineGiven ? common.engine : null, backendName: common.engine.backend.name, varianceUnits: o.varianceUnits,
          // For fitted values and fixed-effect values (fit-results.ts): y and the regressors before demeaning.
          y: req.outcomes[l].values, design,
        },
      }),
  );
}

/** Each demeaned column's iterations and convergence (ols-core marks a column that did not converge). */
function demeaningReport(res: { readonly iterations: readonly number[]; readonly notConverged: readonly string[]; readonly columnNames: readonly string[] }, threads: number): DemeaningReport {
  const columns: Record<string, { iterations: number; converged: boolean }> = {};
  res.columnNames.forEach((name, c) => (columns[name] = { iterations: res.iterations[c] ?? 0, converged: !res.notConverged.includes(name) }));
  return { threads, columns };
}
