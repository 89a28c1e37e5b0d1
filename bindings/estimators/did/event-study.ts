// Event study: two-way fixed effects with relative-time dummies for treated units, never-treated units as
// controls (all their dummies zero), a reference period left out (default -1), optional window and end
// point binning (periods beyond +-bin grouped into -bin and +bin), and a joint Wald test of the
// pre-period coefficients. Always-treated units (cohort at or before the first period) have no pre-period
// to compare and are dropped, with a note.
import { toFrame, type DataInput } from "../../data/columns.js";
import { DidwasmError } from "../../errors.js";
import type { Design } from "../../model/design.js";
import { buildSample, sampleValues } from "../../model/sample.js";
import { waldTest, type WaldTest } from "../../stats/wald.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import type { Fit, TidyRow } from "../fit.js";
import { fitDesign } from "../fit-design.js";
import { timingFromCohort } from "./cohorts.js";

export interface EventStudyOptions extends CommonFitOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  readonly controls?: readonly string[];
  /** Relative periods kept, [lo, hi]; treated observations outside are dropped. Default: all. */
  readonly window?: readonly [number, number] | null;
  /** Group relative periods beyond +-bin into the end points -bin and +bin. */
  readonly bin?: number | null;
  /** The omitted relative period (default -1). */
  readonly ref?: number;
  readonly never?: number | null;
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
  readonly notes: readonly string[];
  toJSON(): Record<string, unknown>;
}

const term = (k: number) => `rel::${k}`;

export function eventStudy(data: DataInput, o: EventStudyOptions): EventStudyResult {
  const frame = toFrame(data);
  const common = resolveCommon(o, { type: "cluster", vars: [o.unit] });
  const ref = o.ref ?? -1;
  if (!Number.isInteger(ref)) throw new DidwasmError("BAD_OPTION", `ref must be a whole number, got ${ref}`);
  if (o.bin !== undefined && o.bin !== null && !(Number.isInteger(o.bin) && o.bin >= 1)) {
    throw new DidwasmError("BAD_OPTION", `bin must be a positive whole number, got ${o.bin}`);
  }
  const timing = timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
  if (timing.cohorts.length === 0) throw new DidwasmError("BAD_DATA", `no treated units: cohort variable "${o.cohort}" marks every unit as never treated`);
  if (timing.neverTreatedUnits === 0 && timing.cohorts.filter((c) => c > timing.firstPeriod).length < 2) {
    throw new DidwasmError("BAD_DATA", "no never-treated units and a single treatment cohort: there are no never-treated or not-yet-treated controls");
  }
  const time = frame.numeric(o.time, "time variable");
  const notes: string[] = [];

  // Relative time of treated rows (NaN for never-treated), range among usable treated rows.
  const rel = new Float64Array(frame.nrow).fill(NaN);
  let lo = Infinity;
  let hi = -Infinity;
  let alwaysRows = 0;
  for (let r = 0; r < frame.nrow; r++) {
    const g = timing.cohortOfRow[r];
    if (!Number.isFinite(g) || Number.isNaN(time[r])) continue;
    if (g <= timing.firstPeriod) {
      alwaysRows++;
      continue;
    }
    rel[r] = time[r] - g;
    lo = Math.min(lo, rel[r]);
    hi = Math.max(hi, rel[r]);
  }
  if (alwaysRows > 0) notes.push(`${timing.alwaysTreatedUnits} always-treated unit(s) (treated in the first period) dropped: they have no pre-period`);
  if (!Number.isFinite(lo)) throw new DidwasmError("BAD_DATA", "no treated unit has an untreated period to compare with");
  const window: [number, number] = o.window ? [o.window[0], o.window[1]] : [lo, hi];
  if (o.window) {
    const [a, b] = o.window;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a < b)) throw new DidwasmError("BAD_OPTION", `window must be two whole numbers lo:hi with lo < hi, got ${a}:${b}`);
    if (a < lo || b > hi) {
      throw new DidwasmError("BAD_OPTION", `window ${a}:${b} is wider than the data: relative periods of treated units run from ${lo} to ${hi}`);
    }
  }
  if (ref < window[0] || ref > window[1]) {
    throw new DidwasmError("BAD_OPTION", `reference period ${ref} is outside the window ${window[0]}:${window[1]}`);
  }
  const bin = o.bin ?? null;
  if (bin !== null && Math.abs(ref) > bin) {
    throw new DidwasmError("BAD_OPTION", `reference period ${ref} lies beyond the bin end points -${bin} and ${bin}`);
  }
  const binned = (k: number) => (bin === null ? k : Math.max(-bin, Math.min(bin, k)));

  const keep = new Uint8Array(frame.nrow).fill(1);
  let outside = 0;
  for (let r = 0; r < frame.nrow; r++) {
    const g = timing.cohortOfRow[r];
    if (Number.isFinite(g) && g <= timing.firstPeriod) keep[r] = 0;
    else if (!Number.isNaN(rel[r]) && (rel[r] < window[0] || rel[r] > window[1])) {
      keep[r] = 0;
      outside++;
    }
  }
  if (outside) notes.push(`${outside} treated observation(s) outside the window ${window[0]}:${window[1]} dropped`);

  const controls = o.controls ?? [];
  const sample = buildSample(frame, {
    numeric: [{ name: o.y, role: "outcome" }, ...controls.map((c) => ({ name: c, role: "control" })), { name: o.time, role: "time variable" }],
    categorical: [
      { name: o.unit, role: "unit variable" },
      ...(common.vcov.type === "cluster" ? common.vcov.vars.map((v) => ({ name: v, role: "cluster variable" })) : []),
    ],
    weights: common.weights, subset: common.subset, rowFilter: keep,
    fixef: [{ vars: [o.unit], name: o.unit, pos: 0 }, { vars: [o.time], name: o.time, pos: 0 }],
    fixefRm: "none",
  });

  const rows = sample.rows;
  const levels = new Set<number>();
  for (const r of rows) if (!Number.isNaN(rel[r])) levels.add(binned(rel[r]));
  if (!levels.has(ref)) throw new DidwasmError("BAD_OPTION", `reference period ${ref} does not occur among treated observations`);
  const ks = [...levels].filter((k) => k !== ref).sort((a, b) => a - b);
  const names: string[] = [...controls];
  const columns: Float64Array[] = controls.map((c) => sampleValues(frame, c, rows, "control"));
  for (const k of ks) {
    const col = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) if (!Number.isNaN(rel[rows[i]]) && binned(rel[rows[i]]) === k) col[i] = 1;
    names.push(term(k));
    columns.push(col);
  }
  const design: Design = { names, columns, intercept: false };
  const label = `${o.y} ~ ${[...controls, `rel(${o.time} - ${o.cohort}, ref = ${ref}${bin !== null ? `, bin = ${bin}` : ""})`].join(" + ")} | ${o.unit} + ${o.time}`;
  const [fit] = fitDesign({ frame, label, outcomes: [{ name: o.y, values: sampleValues(frame, o.y, rows, "outcome") }], sample, design, common });

  const tidy = fit.tidy();
  const events = tidy.filter((r) => r.term.startsWith("rel::")).map((r) => ({ ...r, rel_time: Number(r.term.slice(5)) }));
  const controlRows = tidy.filter((r) => !r.term.startsWith("rel::"));
  const pre = events.filter((e) => e.rel_time < 0);
  const idx = pre.map((e) => fit.coefNames.indexOf(e.term));
  const V = fit.vcov;
  const pretrend = waldTest(
    pre.map((e) => e.estimate),
    idx.flatMap((i) => idx.map((j) => V[i][j])),
    pre.length,
    fit.dfT,
  );
  const allNotes = [...notes, ...fit.notes];
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
        notes: allNotes,
      };
    },
  };
}
