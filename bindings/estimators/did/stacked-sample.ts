// The estimation sample of a stacked regression, encoded straight from the stack. The stack says which
// sub-experiment, unit and event time each of its rows has, so its two fixed effects (sub-experiment x unit
// and sub-experiment x period) are numbered here in one pass, with the same ids buildSample would give
// (dense, in order of first appearance over the sample rows), without writing the pairs as numbers and
// encoding them again through a hash of every row (fits look their encodings up by name: the frame needs no
// columns for them). Rows of zero corrective weight (a control cell whose event time has no treated row in
// its sub-experiment) leave the sample, as buildSample drops them.
import { Frame, type Column } from "../../data/frame.js";
import type { Groups } from "../../model/groups.js";
import type { Sample } from "../../model/sample.js";
import { experimentOfRow, type Stack } from "./stacked-build.js";

/** The reference event time (no dummy). */
const REF = -1;

export interface StackedSample {
  /** The stack as a frame: the cluster and the weights (when given). */
  readonly frame: Frame;
  /** Rows of `frame` that enter, with both fixed effects encoded over them and their weights. */
  readonly sample: Sample;
  /** Per sample row: the data row it copies. */
  readonly source: Int32Array;
  /** Sample-row bounds of the sub-experiments: sub-experiment b holds rows blocks[b] .. blocks[b + 1] - 1. */
  readonly blocks: Int32Array;
  /** Per sample row: the slot of its treated x event-time dummy, -1 for a control or the reference period
   *  (-1). Slots skip the reference: event times lo .. -2 are 0 .. -2 - lo, 0 .. hi follow from -1 - lo. */
  readonly code: Int32Array;
  /** Per sub-experiment: both fixed effects over its rows (its levels are its own). */
  readonly blockFixef: ReadonlyArray<readonly BlockGroups[]>;
  /** The cluster's encoding over the sample rows when it was numbered here (a cluster given by codes), else
   *  null: the fits then encode the frame's column. */
  readonly clusterGroups: (name: string) => Groups | null;
}

/** A fixed effect over one sub-experiment's rows: the sample's ids there (a view of them) less `first` number
 *  its G levels from 0 within the sub-experiment. Not written out as arrays of their own: the absorber
 *  writes them straight into its backend's memory (stacked-demean.ts), and two more arrays of the stack's
 *  length would be new memory to map. */
export interface BlockGroups {
  readonly ids: Int32Array;
  readonly first: number;
  readonly G: number;
}

/** A block's ids numbered from 0, as an array. */
export function localIds(g: BlockGroups): Int32Array {
  const out = new Int32Array(g.ids.length);
  for (let i = 0; i < out.length; i++) out[i] = g.ids[i] - g.first;
  return out;
}

export interface StackedSampleRequest {
  readonly stack: Stack;
  readonly window: readonly [number, number];
  /** Dense unit ids of the data rows, and how many units. */
  readonly unitIds: Int32Array;
  readonly units: number;
  /** Names of the frame's columns. */
  readonly names: { readonly unitFe: string; readonly periodFe: string; readonly cluster: string; readonly weights: string };
  /** The cluster per data row (already complete on the stack's rows): numbers, or codes 0 .. count - 1
   *  (the unit's dense ids, a text column's codes), which the sample's encoding pass numbers as it goes. */
  readonly cluster: Float64Array | { readonly codes: Int32Array; readonly count: number };
  /** Corrective weights per stack row, or null. */
  readonly weights: Float64Array | null;
  /** Describes a data row, for messages about a stack row. */
  readonly describeRow: (dataRow: number) => string;
}

// Each loop over the rows is a function of its own: run once on a million rows, a loop is compiled while it
// runs (on-stack replacement), and code after it in the same function would start without type feedback
// and be thrown back to the interpreter, which cost more than the loops themselves.

/** Stack rows of nonzero weight, or null when that is every row (without weights, and usually with them):
 *  no array of the stack's length is then written, fresh memory to map, for what is the identity. */
function keptRows(S: number, weights: Float64Array | null): Int32Array | null {
  let n = S;
  if (weights) for (let i = 0; i < S; i++) if (weights[i] === 0) n--;
  if (n === S) return null;
  const rows = new Int32Array(n);
  for (let i = 0, k = 0; i < S; i++) if (weights![i] !== 0) rows[k++] = i;
  return rows;
}

/** 0, 1, ..., n - 1. */
function identity(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** The cluster's value of every stack row. */
function clusterOfStack(src: Int32Array, cluster: Float64Array | Int32Array): Float64Array {
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = cluster[src[i]];
  return out;
}

/** Both fixed effects over the sample rows, numbered by first appearance, each row's data row, and the
 *  sub-experiments' bounds. Unit ids are kept per unit with the sub-experiment that numbered them
 *  (owner = b + 1), so no table of sub-experiment x unit pairs is needed. A sub-experiment's levels are
 *  numbered after the previous one's (its rows come after them), so within it they run from its first id:
 *  its own encodings (from 0) are the ids less that first id. */
function encodeRows(stack: Stack, rows: Int32Array | null, lo: number, E: number, unitIds: Int32Array, U: number, cluster: { readonly codes: Int32Array; readonly count: number } | null) {
  const n = rows ? rows.length : stack.source.length;
  const treated = stack.treated;
  // The slot of each row's treated x event-time dummy (see StackedSample.code).
  const code = new Int32Array(n);
  const A = stack.experiments.length;
  const src = stack.source;
  const starts = stack.starts;
  const event = stack.event;
  const every = n === src.length;
  // Every stack row in the sample (no zero weight): the sample's data rows are the stack's.
  const source = every ? src : new Int32Array(n);
  const suIds = new Int32Array(n);
  const stIds = new Int32Array(n);
  const owner = new Int32Array(U);
  const unitId = new Int32Array(U);
  const periodId = new Int32Array(A * E).fill(-1);
  const blocks = new Int32Array(A + 1);
  // First ids of each sub-experiment's levels (A + 1 entries: the last is the count).
  const suFirst = new Int32Array(A + 1);
  const stFirst = new Int32Array(A + 1);
  let suG = 0;
  let stG = 0;
  let current = -1;
  // The sample rows increase, so their sub-experiment only moves forward through the bounds.
  let b = 0;
  // The cluster numbered by first appearance over the sample rows, as the fits' encoder would number it.
  const clusterCodes = cluster ? cluster.codes : null;
  const clusterIds = cluster ? new Int32Array(n) : null;
  const clusterFirst = new Int32Array(cluster ? cluster.count : 0).fill(-1);
  let clusterG = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    const r = src[i];
    while (i >= starts[b + 1]) b++;
    const u = unitIds[r];
    if (b !== current) {
      for (let q = current + 1; q <= b; q++) {
        suFirst[q] = suG;
        stFirst[q] = stG;
      }
      current = b;
    }
    if (!every) source[k] = r;
    if (owner[u] !== b + 1) {
      owner[u] = b + 1;
      unitId[u] = suG++;
    }
    suIds[k] = unitId[u];
    const e = event[i];
    code[k] = treated[i] !== 1 || e === REF ? -1 : e < REF ? e - lo : e - lo - 1;
    const cell = b * E + (e - lo);
    if (periodId[cell] < 0) periodId[cell] = stG++;
    stIds[k] = periodId[cell];
    blocks[b + 1] = k + 1;
    if (clusterCodes) {
      const c = clusterCodes[r];
      let id = clusterFirst[c];
      if (id < 0) id = clusterFirst[c] = clusterG++;
      clusterIds![k] = id;
    }
  }
  for (let q = current + 1; q <= A; q++) {
    suFirst[q] = suG;
    stFirst[q] = stG;
  }
  // A sub-experiment with no row in the sample (every row of it weighs 0) is an empty block.
  for (let b = 1; b <= A; b++) if (blocks[b] < blocks[b - 1]) blocks[b] = blocks[b - 1];
  const blockFixef = Array.from({ length: A }, (_, b): BlockGroups[] => [
    { ids: suIds.subarray(blocks[b], blocks[b + 1]), first: suFirst[b], G: suFirst[b + 1] - suFirst[b] },
    { ids: stIds.subarray(blocks[b], blocks[b + 1]), first: stFirst[b], G: stFirst[b + 1] - stFirst[b] },
  ]);
  const clusters: Groups | null = clusterIds ? { ids: clusterIds, G: clusterG } : null;
  return { source, suIds, suG, stIds, stG, blocks, blockFixef, clusters, code };
}

/** A numeric column whose values are made when first read: the fits take the cluster's encoding from the
 *  sample (clusterGroups), so the column is there only for what reads the frame later (a variance
 *  recomputed from a fit), and an array of the stack's length would otherwise be fresh memory to map. */
function madeOnRead(name: string, make: () => Float64Array): Column {
  let values: Float64Array | null = null;
  return {
    kind: "numeric", name,
    get values() {
      return (values ??= make());
    },
  };
}

function gather(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

export function stackedSample(req: StackedSampleRequest): StackedSample {
  const { stack, weights } = req;
  const S = stack.source.length;
  const [lo, hi] = req.window;
  const E = hi - lo + 1;
  const kept = keptRows(S, weights);
  const n = kept ? kept.length : S;
  const { unitFe, periodFe, cluster, weights: weightName } = req.names;
  // A cluster named as a fixed effect is that fixed effect's encoding (the fits' encoder): no column.
  const ownColumn = cluster !== unitFe && cluster !== periodFe;
  const codes = ownColumn && !(req.cluster instanceof Float64Array) ? req.cluster : null;
  const enc = encodeRows(stack, kept, lo, E, req.unitIds, req.units, codes);
  const columns: Column[] = [];
  if (codes) columns.push(madeOnRead(cluster, () => clusterOfStack(stack.source, codes.codes)));
  else if (ownColumn) columns.push({ kind: "numeric", name: cluster, values: clusterOfStack(stack.source, req.cluster as Float64Array) });
  if (weights) columns.push({ kind: "numeric", name: weightName, values: weights });
  const src = stack.source;
  const frame = new Frame(S, columns, (i) => `${req.describeRow(src[i])} (in the sub-experiment of cohort ${stack.experiments[experimentOfRow(stack, i)].cohort})`);
  // The sample's rows are read only where the frame is encoded again (a numeric cluster variable): the
  // identity is made then, if ever.
  let rows = kept;
  const sample: Sample = {
    get rows() {
      return (rows ??= identity(n));
    },
    fixef: [{ name: unitFe, ids: enc.suIds, G: enc.suG }, { name: periodFe, ids: enc.stIds, G: enc.stG }],
    // The fits copy the weights and never write them: with every row kept they are the stack's own array.
    weights: weights ? (kept ? gather(weights, kept) : weights) : null,
    dropped: { missing: 0, subset: 0, zeroWeight: S - n, singletons: 0 },
  };
  const clusters = enc.clusters;
  return {
    frame, sample, source: enc.source, blocks: enc.blocks, blockFixef: enc.blockFixef, code: enc.code,
    clusterGroups: (name) => (clusters && name === cluster ? clusters : null),
  };
}
