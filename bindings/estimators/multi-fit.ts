// Several models from one call, as fixest's multiple estimations: outcomes c(y1, y2), stepwise regressors
// and fixed effects (sw, csw, sw0, csw0; formula-stepwise.ts), and split / fsplit samples (model/split.ts).
// Results come in fixest's order: sample, then fixed-effect step, then outcome, then regressor step.
//
// WHY A RUNNER OF ITS OWN. Each model keeps its own estimation sample (its variables' missing values, its
// fixed effects' singletons), as fixest does. But models on the same rows with the same fixed effects
// (the steps of csw(x1, x2, x3), the outcomes of c()) need each column demeaned only once: the union of
// their columns is demeaned in one call and every model's least squares reads its columns from there
// (OlsJob.absorbed), so csw(x1, x2, x3) costs one demeaning of y, x1, x2, x3 instead of three. With missing
// rows what dominates next is fresh memory (each n-long array first touched costs page faults): the
// models gather each column over their rows once (SampleCache.values), and the shared demeaning stays in
// the backend's memory, which later runs reuse, instead of being copied out to arrays.
import { toFrame, type DataInput } from "../data/columns.js";
import type { Arena } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import type { Note } from "../notes.js";
import { columnWriter, type ColumnWriter } from "../model/lazy-columns.js";
import { expandStepwise, type Step } from "../model/formula-stepwise.js";
import type { Sample } from "../model/sample.js";
import { SampleCache } from "../model/sample-cache.js";
import { splitSamples, sampleText, type SampleLabel } from "../model/split.js";
import { demeanInArena, demeanWritten } from "./demean-columns.js";
import { prepareModel, type FeolsOptions, type PreparedModel } from "./feols.js";
import type { Fit } from "./fit.js";
import { fitDesign } from "./fit-design.js";
import { fixefOnlyFits } from "./fixef-only.js";
import { fitIvPrepared } from "./iv-feols.js";
import type { AbsorbedColumns } from "./ols-core.js";

export interface MultiFitOptions extends FeolsOptions {
  /** One model per value of this column (fixest's split = ~g). */
  readonly split?: string | null;
  /** As split, after the model on the full sample (fixest's fsplit = ~g). */
  readonly fsplit?: string | null;
}

/** What tells a model apart from the others of the same call. */
export interface ModelKey {
  /** The outcome, when the formula has several (c(y1, y2) ~ ...). */
  readonly lhs: string | null;
  /** The steps of the stepwise functions, when the formula has one. */
  readonly step: { readonly rhs?: Step; readonly fixef?: Step } | null;
  /** The split sample, when split or fsplit is given. */
  readonly sample: SampleLabel | null;
}

/** What a multiple estimation's table and JSON need of a fit: least squares (Fit) and GLMs (GlmFit). */
export interface MultiModelFit {
  readonly notes: readonly Note[];
  readonly vcovType: string;
  toJSON(): Record<string, unknown>;
}

/** One model of a multiple estimation: its fit and what distinguishes it. */
export class ModelResult<F extends MultiModelFit = Fit> implements ModelKey {
  constructor(
    readonly fit: F,
    readonly lhs: string | null,
    readonly step: ModelKey["step"],
    readonly sample: SampleLabel | null,
  ) {
    Object.freeze(this);
  }

  /** The fit's JSON plus lhs, step and sample where they apply. */
  toJSON(): Record<string, unknown> {
    return {
      ...this.fit.toJSON(),
      ...(this.lhs !== null ? { lhs: this.lhs } : {}),
      ...(this.step !== null ? { step: this.step } : {}),
      ...(this.sample !== null ? { sample: { ...this.sample } } : {}),
    };
  }
}

/** One group of outcomes of one model over one sample, waiting to be fitted. */
interface Unit {
  /** Sample, fixed-effect step and regressor step: the model's place in fixest's order (with its outcome). */
  readonly order: readonly [number, number, number];
  readonly model: PreparedModel;
  readonly label: string;
  readonly outcomes: readonly string[];
  readonly sample: Sample;
  readonly design: PreparedModel["groups"][number]["design"];
  readonly key: Omit<ModelKey, "lhs">;
  readonly multiOutcome: boolean;
  readonly where: string | null;
}

/** "model 3 (sample Month = 6, y ~ x | id)", for errors. */
export function describeModel(k: number, formula: string, sample: SampleLabel | null): string {
  return `model ${k} (${sample ? `sample ${sample.var} = ${sampleText(sample)}, ` : ""}${formula})`;
}

/** Runs fn, naming the model in a user error it throws. */
export function inModel<T>(where: string | null, fn: () => T): T {
  if (where === null) return fn();
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof DidwasmError)) throw e;
    throw new DidwasmError(e.code, `${where}: ${e.message}`, e.details);
  }
}

/** Whether two samples are the same rows with the same fixed effects and weights. */
function sameSample(a: Unit, b: Unit): boolean {
  if (a.sample === b.sample) return a.model.common.weights === b.model.common.weights;
  const ra = a.sample.rows;
  const rb = b.sample.rows;
  if (ra.length !== rb.length || a.model.common.weights !== b.model.common.weights) return false;
  if (a.sample.fixef.map((f) => f.name).join("\u0000") !== b.sample.fixef.map((f) => f.name).join("\u0000")) return false;
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return false;
  return true;
}

/** Units over the same sample, each bucket in the order its first unit came. */
function bucketsOf(units: readonly Unit[]): Unit[][] {
  const byKey = new Map<string, Unit[][]>();
  const out: Unit[][] = [];
  for (const u of units) {
    const rows = u.sample.rows;
    const key = `${rows.length}:${rows[0]}:${rows[rows.length - 1]}:${u.sample.fixef.length}`;
    const candidates = byKey.get(key) ?? [];
    const bucket = candidates.find((b) => sameSample(b[0], u));
    if (bucket) bucket.push(u);
    else {
      const fresh = [u];
      candidates.push(fresh);
      byKey.set(key, candidates);
      out.push(fresh);
    }
  }
  return out;
}

/** The union of the bucket's outcomes and regressors, demeaned in one call into a buffer of `hold` (the
 *  backend's memory, reused from one run to the next, where copies to fresh arrays would cost more than
 *  the models' least squares on a million rows); null when there is nothing to share (no fixed effects,
 *  or a single unit). */
function absorbUnion(bucket: readonly Unit[], values: SampleCache["values"], hold: Arena): AbsorbedColumns | null {
  const first = bucket[0];
  if (bucket.length < 2 || first.sample.fixef.length === 0) return null;
  const writers = new Map<string, ColumnWriter>();
  for (const u of bucket) {
    for (const y of u.outcomes) {
      if (!writers.has(y)) writers.set(y, (out, offset) => out.set(values(u.model.frame, y, u.sample.rows, "outcome"), offset));
    }
    u.design.names.forEach((name, j) => {
      if (writers.has(name)) return;
      const write = columnWriter(u.design.columns, j);
      writers.set(name, write ?? ((out, offset) => out.set(u.design.columns[j], offset)));
    });
  }
  const { common } = first.model;
  const names = [...writers.keys()];
  const n = first.sample.rows.length;
  const fe = first.sample.fixef;
  if (8 * n * names.length > RESIDENT_UNION_BYTES) {
    const r = demeanWritten(common.engine, n, [...writers.values()], fe, first.sample.weights, common.tol, common.maxIter);
    return new Map(names.map((name, c) => [name, { read: () => r.columns[c], iterations: r.iterations[c] }]));
  }
  const r = demeanInArena(common.engine, hold, n, [...writers.values()], fe, first.sample.weights, common.tol, common.maxIter);
  return new Map(names.map((name, c) => [name, { read: () => r.data.view.subarray(c * n, (c + 1) * n), iterations: r.iterations[c] }]));
}

/** The shared demeaning stays in the backend's memory up to this size (4 columns of 8 million rows). Each
 *  model's own job is counted against the heap without it (ols-memory.ts); a model's columns are a subset of
 *  the union's, so next to a union this small its job stays well inside the 4 GiB heap. Larger unions are
 *  copied out to arrays, where they cost fresh memory but no heap. */
const RESIDENT_UNION_BYTES = 256 * 2 ** 20;

export function lexicographic(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Every model of a formula with stepwise functions, several outcomes and/or a split, in fixest's order
 *  (sample, fixed-effect step, outcome, regressor step). A plain formula gives one model. */
export function feolsModels(data: DataInput, formula: string, options: MultiFitOptions = {}): ModelResult[] {
  const frame = toFrame(data);
  const steps = expandStepwise(formula);
  const stepwise = steps.length > 1 || steps[0].rhs !== null || steps[0].fixef !== null;
  const samples = splitSamples(frame, options) ?? [null];
  const { split: _s, fsplit: _f, ...feolsOptions } = options;
  const many = samples.length > 1 || steps.length > 1;
  const sampleCache = new SampleCache();

  const units: Unit[] = [];
  const results: Array<{ order: number[]; result: ModelResult }> = [];
  let k = 0;
  samples.forEach((s, si) => {
    const rowFilter = s ? s.filter() : (options.rowFilter ?? null);
    steps.forEach((m) => {
      const where = many ? describeModel(++k, m.formula, s?.label ?? null) : null;
      const model = inModel(where, () => prepareModel(frame, m.formula, { ...feolsOptions, rowFilter, sampleCache }, { iv: true }));
      const key = { step: stepwise ? { ...(m.rhs ? { rhs: m.rhs } : {}), ...(m.fixef ? { fixef: m.fixef } : {}) } : null, sample: s?.label ?? null };
      if (model.formula.iv) {
        // Instrumental variables: each model is its own 2SLS (iv-feols.ts), which demeans its columns once.
        for (const fit of inModel(where, () => fitIvPrepared(model, m.formula))) {
          const order = [si, m.fixef?.index ?? 0, model.formula.outcomes.indexOf(fit.outcome), m.rhs?.index ?? 0];
          results.push({ order, result: new ModelResult(fit, model.formula.outcomes.length > 1 ? fit.outcome : null, key.step, key.sample) });
        }
        return;
      }
      for (const g of model.groups) {
        units.push({
          order: [si, m.fixef?.index ?? 0, m.rhs?.index ?? 0],
          model, label: m.formula, outcomes: g.outcomes, sample: g.sample, design: g.design, key,
          multiOutcome: model.formula.outcomes.length > 1, where,
        });
      }
    });
  });

  for (const bucket of bucketsOf(units)) {
    // The shared demeaning lives in the backend's memory while the bucket's models are fitted.
    const hold = bucket[0].model.common.engine.backend.arena();
    try {
      results.push(...fitBucket(bucket, absorbUnion(bucket, sampleCache.values, hold), sampleCache.values));
    } finally {
      hold.release();
    }
  }
  return results.sort((a, b) => lexicographic(a.order, b.order)).map((r) => r.result);
}

/** The fits of the units of one sample, each with its place in fixest's order. */
function fitBucket(bucket: readonly Unit[], absorbed: AbsorbedColumns | null, values: SampleCache["values"]): Array<{ order: number[]; result: ModelResult }> {
  const out: Array<{ order: number[]; result: ModelResult }> = [];
  for (const u of bucket) {
    // The model's own frame: it holds the columns its transforms (log(x), poly(x, 2)) derive.
    const ys = u.outcomes.map((y) => ({ name: y, values: values(u.model.frame, y, u.sample.rows, "outcome") }));
    const req = { frame: u.model.frame, label: u.label, outcomes: ys, sample: u.sample, design: u.design, common: u.model.common, absorbed };
    // The fixed effects alone (y ~ 1 | fe; the empty step of sw0/csw0): estimated, as fixest does.
    const fixefOnly = u.design.columns.length === 0 && u.sample.fixef.length > 0;
    const fits = inModel(u.where, () => (fixefOnly ? fixefOnlyFits(req) : fitDesign(req)));
    for (const fit of fits) {
      const lhsIndex = u.model.formula.outcomes.indexOf(fit.outcome);
      out.push({
        order: [u.order[0], u.order[1], lhsIndex, u.order[2]],
        result: new ModelResult(fit, u.multiOutcome ? fit.outcome : null, u.key.step, u.key.sample),
      });
    }
  }
  return out;
}
