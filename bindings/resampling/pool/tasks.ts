// What a worker can run: a range of replicates of one resampling task. A task is plain data (its options
// without the engine); the worker prepares it once (the same deterministic preparation as the main
// thread) and keeps it for the following ranges of the same job.
import type { Engine } from "../../engine/engine.js";
import { bdiffDraws, prepareBdiff, type BdiffOptions, type PreparedBdiff } from "../bdiff.js";
import { placeboDraws, preparePlacebo, type PlaceboOptions, type PreparedPlacebo } from "../placebo.js";
import type { Frame } from "../../data/frame.js";
import { prepareSynthdid, type PreparedSynthdid, type SynthdidOptions } from "../../estimators/did/synthdid.js";

/** A task's options without the engine (engines do not cross to workers; each worker has its own). */
export function stripEngine<T extends { engine?: unknown }>(o: T): Omit<T, "engine"> {
  const { engine: _e, ...rest } = o;
  return rest;
}

/** Draws-times-rows cost of one bdiff draw relative to a placebo draw (two full refits, not a projection),
 *  for choosing how many workers a run gets. */
export const BDIFF_DRAW_COST = 8;
/** The same for a synthetic DID replicate (weights re-solved by up to 10,000 Frank-Wolfe steps over the
 *  controls: roughly a thousand passes over the outcome matrix). */
export const SYNTHDID_DRAW_COST = 1000;

export type ReplicateTask =
  | { readonly kind: "placebo"; readonly options: Omit<PlaceboOptions, "engine"> }
  | { readonly kind: "bdiff"; readonly options: Omit<BdiffOptions, "engine"> }
  | { readonly kind: "synthdid"; readonly options: Omit<SynthdidOptions, "engine"> };

export type PreparedTask = { kind: "placebo"; prepared: PreparedPlacebo } | { kind: "bdiff"; prepared: PreparedBdiff } | { kind: "synthdid"; prepared: PreparedSynthdid };

export function prepareTask(frame: Frame, task: ReplicateTask, engine: Engine): PreparedTask {
  if (task.kind === "placebo") return { kind: "placebo", prepared: preparePlacebo(frame, { ...task.options, engine }) };
  if (task.kind === "synthdid") return { kind: "synthdid", prepared: prepareSynthdid(frame, { ...task.options, engine }) };
  return { kind: "bdiff", prepared: prepareBdiff(frame, { ...task.options, engine }) };
}

export function runRange(p: PreparedTask, from: number, to: number): Float64Array[] {
  if (p.kind === "synthdid") return p.prepared.draws(from, to);
  return p.kind === "placebo" ? placeboDraws(p.prepared, from, to) : bdiffDraws(p.prepared, from, to);
}

export function releaseTask(p: PreparedTask): void {
  if (p.kind === "bdiff") p.prepared.fitter.release();
  if (p.kind === "synthdid") p.prepared.release();
}

