// Event study: two-way fixed effects with relative-time dummies for treated units, never-treated units as
// controls (all their dummies zero), a reference period left out (default -1), optional window and end
// point binning (periods beyond +-bin grouped into -bin and +bin), and a joint Wald test of the
// pre-period coefficients. Always-treated units (cohort at or before the first period) have no pre-period
// to compare and are dropped, with a note.
import { toFrame, type DataInput } from "../../data/columns.js";
import { duplicateRowsNote } from "./duplicates.js";
import type { Note } from "../../notes.js";
import { DidwasmError } from "../../errors.js";
import type { Design } from "../../model/design.js";
import { designColumns, gatheredColumn, indicatorColumn } from "../../model/lazy-columns.js";
import { sampleValues } from "../../model/sample.js";
import { waldTest, type WaldTest } from "../../stats/wald.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import type { Fit, TidyRow } from "../fit.js";
import { fitDesign } from "../fit-design.js";
import { timingFromCohort, timingFromTreatment, unitTimeSample } from "./cohorts.js";
import { relativeDummies, relativeTime } from "./relative-time.js";
import { eventVcovOfTerms } from "./event-vcov.js";

export interface EventStudyOptions extends CommonFitOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** First treated period per unit (0, empty or beyond the panel: never treated). */
  readonly cohort?: string;
  /** Instead of `cohort`: a 0/1 treatment that stays on once it starts; the cohort is its first 1. */
  readonly treat?: string;
  readonly controls?: readonly string[];
  /** Relative periods kept, [lo, hi]; treated observations outside are dropped. Default: all. */
  readonly window?: readonly [number, number] | null;
  /** Group relative periods beyond +-bin into the end points -bin and +bin. */
  readonly bin?: number | null;
  /** The omitted relative period (default -1). */
  readonly ref?: number;
  readonly never?: number | string | null;
}

export interface EventCoefficient extends TidyRow {
  readonly rel_time: number;
}

export interface EventStudyResult {
  readonly fit: Fit;
  readonly ref: number;
  readonly window: readonly [number, number];
  readonly bin: number | null;
  readonly events: readonly EventCoefficient[];
  readonly controls: readonly TidyRow[];
  /** Joint test that every pre-period coefficient is zero (null without pre-periods). */
  readonly pretrend: WaldTest | null;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

export function eventStudy(data: DataInput, o: EventStudyOptions): EventStudyResult {
  const frame = toFrame(data);
  const common = resolveCommon(o, { type: "cluster", vars: [o.unit] }, frame.nrow);
  if ((o.cohort === undefined) === (o.treat === undefined)) {
    throw new DidwasmError("BAD_OPTION", "give the cohort column (first treated period) or the 0/1 treatment column (treat), one of them");
  }
  const timing = o.cohort !== undefined
    ? timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never })
    : timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat! });
  const source = o.cohort !== undefined ? `cohort variable "${o.cohort}"` : `treatment "${o.treat}"`;
  if (timing.cohorts.length === 0) throw new DidwasmError("BAD_DATA", `no treated units: ${source} marks every unit as never treated`);
  if (timing.neverTreatedUnits === 0 && timing.cohorts.filter((c) => c > timing.firstPeriod).length < 2) {
    throw new DidwasmError("BAD_DATA", "no never-treated units and a single treatment cohort: there are no never-treated or not-yet-treated controls");
  }
  const rt = relativeTime(frame, timing, o.time, { window: o.window, bin: o.bin, ref: o.ref ?? -1 });
  const { ref, window, bin } = rt;

  const controls = o.controls ?? [];
  const sample = unitTimeSample(frame, o.y, o.unit, o.time, controls, common, rt.keep);

  const rows = sample.rows;
  const dummies = relativeDummies(rt, rows);
  const names: string[] = [...controls, ...dummies.names];
  const columns = designColumns([
    ...controls.map((c) => gatheredColumn(frame.numeric(c, "control"), rows)),
    ...dummies.names.map((_, j) => indicatorColumn(dummies.code, j)),
  ]);
  const design: Design = { names, columns, intercept: false, indicators: [{ start: controls.length, count: dummies.names.length, code: dummies.code }] };
  const label = `${o.y} ~ ${[...controls, `rel(${o.time} - ${o.cohort ?? `first(${o.treat})`}, ref = ${ref}${bin !== null ? `, bin = ${bin}` : ""})`].join(" + ")} | ${o.unit} + ${o.time}`;
  const [fit] = fitDesign({ frame, label, outcomes: [{ name: o.y, values: sampleValues(frame, o.y, rows, "outcome") }], sample, design, common });

  const tidy = fit.tidy();
  // Each dummy's relative period as the design made it (not parsed back from its name).
  const relTimes = new Map(dummies.names.map((nm, j) => [nm, dummies.periods[j]]));
  const events = tidy.filter((r) => relTimes.has(r.term)).map((r) => ({ ...r, rel_time: relTimes.get(r.term)! }));
  const controlRows = tidy.filter((r) => !relTimes.has(r.term));
  const pre = events.filter((e) => e.rel_time < 0);
  const idx = pre.map((e) => fit.coefNames.indexOf(e.term));
  const V = fit.vcov;
  const pretrend = waldTest(
    pre.map((e) => e.estimate),
    idx.flatMap((i) => idx.map((j) => V[i][j])),
    pre.length,
    fit.dfT,
  );
  const duplicates = duplicateRowsNote(frame, o.unit, o.time, rows);
  const allNotes = [...rt.notes, ...(duplicates ? [duplicates] : []), ...fit.notes];
  return {
    fit, ref, window, bin, events, controls: controlRows, pretrend, notes: allNotes,
    toJSON() {
      const base = fit.toJSON();
      return {
        ...base,
        coefficients: [...controlRows, ...events],
        reference_period: ref,
        window,
        bin,
        pretrend,
        event_vcov: eventVcovOfTerms(fit, events),
        notes: allNotes,
      };
    },
  };
}
