// Sun and Abraham (2021) interaction-weighted estimator, as fixest's sunab(): one dummy per treated cohort
// and relative period (the reference period, default -1, omitted for every cohort), never-treated units as
// controls, unit and time fixed effects. Results are aggregated per relative period and into one ATT over
// the post periods (e >= 0), weighting each cohort-period coefficient by its share of the estimation
// sample: its number of observations, or with regression weights its sum of weights, as fixest's
// aggregate() / summary(agg = "ATT") does (colSums(weights * sign(model.matrix)) in its R/did.R);
// standard errors by the delta method. Always-treated units are dropped.
import { toFrame, type DataInput } from "../../data/columns.js";
import { duplicateRowsNote } from "./duplicates.js";
import { info, type Note } from "../../notes.js";
import { DidwasmError } from "../../errors.js";
import type { Design } from "../../model/design.js";
import { quoteName } from "../../model/formula.js";
import { designColumns, gatheredColumn, indicatorColumn } from "../../model/lazy-columns.js";
import { sampleValues } from "../../model/sample.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import type { Fit, TidyRow } from "../fit.js";
import { fitDesign } from "../fit-design.js";
import { combine } from "./aggregate.js";
import { eventVcovOfCombinations } from "./event-vcov.js";
import { timingFromCohort, unitTimeSample } from "./cohorts.js";
import type { EventCoefficient } from "./event-study.js";

export interface SunAbrahamOptions extends CommonFitOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  readonly controls?: readonly string[];
  readonly ref?: number;
  readonly never?: number | string | null;
}

export interface SunAbrahamResult {
  /** The regression with every cohort x relative-period coefficient. */
  readonly fit: Fit;
  readonly controls: readonly TidyRow[];
  /** Aggregated per relative period. */
  readonly periods: readonly EventCoefficient[];
  readonly att: TidyRow;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

const cellTerm = (cohort: number, e: number) => `cohort::${cohort}:rel::${e}`;

export function sunAbraham(data: DataInput, o: SunAbrahamOptions): SunAbrahamResult {
  const frame = toFrame(data);
  const common = resolveCommon(o, { type: "cluster", vars: [o.unit] }, frame.nrow);
  const ref = o.ref ?? -1;
  const timing = timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
  if (timing.cohorts.length === 0) throw new DidwasmError("BAD_DATA", `no treated units: cohort variable "${o.cohort}" marks every unit as never treated`);
  if (timing.neverTreatedUnits === 0) {
    throw new DidwasmError("BAD_DATA", "no never-treated units: Sun-Abraham needs never-treated units as the control cohort");
  }
  const time = frame.numeric(o.time, "time variable");
  const notes: Note[] = [];
  const keep = new Uint8Array(frame.nrow).fill(1);
  for (let r = 0; r < frame.nrow; r++) {
    const g = timing.cohortOfRow[r];
    if (Number.isFinite(g) && g <= timing.firstPeriod) keep[r] = 0;
  }
  if (timing.alwaysTreatedUnits) notes.push(info("data", `${timing.alwaysTreatedUnits} always-treated unit(s) dropped: they have no pre-period`));

  const controls = o.controls ?? [];
  const sample = unitTimeSample(frame, o.y, o.unit, o.time, controls, common, keep);
  const rows = sample.rows;

  // Cells (cohort, e) with their observation counts, or sums of weights (the aggregation shares).
  const counts = new Map<string, { cohort: number; e: number; n: number }>();
  const rowWeight = sample.weights;
  for (const [i, r] of rows.entries()) {
    const g = timing.cohortOfRow[r];
    if (!Number.isFinite(g)) continue;
    const e = time[r] - g;
    if (e === ref) continue;
    const key = cellTerm(g, e);
    const n = rowWeight ? rowWeight[i] : 1;
    const c = counts.get(key);
    if (c) c.n += n;
    else counts.set(key, { cohort: g, e, n });
  }
  const cells = [...counts.values()].sort((a, b) => a.cohort - b.cohort || a.e - b.e);
  const names: string[] = [...controls, ...cells.map((c) => cellTerm(c.cohort, c.e))];
  const position = new Map<string, number>(cells.map((c, j) => [cellTerm(c.cohort, c.e), j]));
  const code = new Int32Array(rows.length).fill(-1);
  rows.forEach((r, i) => {
    const g = timing.cohortOfRow[r];
    if (!Number.isFinite(g)) return;
    const j = position.get(cellTerm(g, time[r] - g));
    if (j !== undefined) code[i] = j;
  });
  // The cells are an indicator block: the fit writes them from `code` (see lazy-columns.ts).
  const columns = designColumns([
    ...controls.map((c) => gatheredColumn(frame.numeric(c, "control"), rows)),
    ...cells.map((_, j) => indicatorColumn(code, j)),
  ]);
  const design: Design = { names, columns, intercept: false, indicators: [{ start: controls.length, count: cells.length, code }] };
  const q = quoteName;
  const label = `${q(o.y)} ~ ${[...controls.map(q), `sunab(${q(o.cohort)}, ${q(o.time)})`].join(" + ")} | ${q(o.unit)} + ${q(o.time)}`;
  const [fit] = fitDesign({ frame, label, outcomes: [{ name: o.y, values: sampleValues(frame, o.y, rows, "outcome") }], sample, design, common });

  const kept = new Set(fit.coefNames);
  const keptCells = cells.filter((c) => kept.has(cellTerm(c.cohort, c.e)));
  const es = [...new Set(keptCells.map((c) => c.e))].sort((a, b) => a - b);
  const periodWeights = es.map((e) => {
    const inPeriod = keptCells.filter((c) => c.e === e);
    const total = inPeriod.reduce((s, c) => s + c.n, 0);
    return new Map(inPeriod.map((c) => [cellTerm(c.cohort, c.e), c.n / total]));
  });
  const periods: EventCoefficient[] = es.map((e, k) => ({ ...combine(fit, `rel::${e}`, periodWeights[k]), rel_time: e }));
  const post = keptCells.filter((c) => c.e >= 0);
  if (post.length === 0) throw new DidwasmError("BAD_DATA", "no post-treatment cohort-period cell could be estimated");
  const totalPost = post.reduce((s, c) => s + c.n, 0);
  const att = combine(fit, "ATT", new Map(post.map((c) => [cellTerm(c.cohort, c.e), c.n / totalPost])));
  const controlRows = fit.tidy().filter((r) => !r.term.startsWith("cohort::"));
  const duplicates = duplicateRowsNote(frame, o.unit, o.time, rows);
  const allNotes = [...notes, ...(duplicates ? [duplicates] : []), ...fit.notes];
  return {
    fit, controls: controlRows, periods, att, notes: allNotes,
    toJSON() {
      return {
        ...fit.toJSON(),
        coefficients: [...controlRows, ...periods, att],
        cells: fit.tidy().filter((r) => r.term.startsWith("cohort::")),
        event_vcov: eventVcovOfCombinations(fit, periods.map((p, k) => ({ ...p, weights: periodWeights[k] }))),
        notes: allNotes,
      };
    },
  };
}
