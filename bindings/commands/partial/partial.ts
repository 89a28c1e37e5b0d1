// A partial result: the draws of one range of replicates of a resampling run, with what is needed to merge
// the parts of one run into exactly its result (merge.ts) and to refuse parts of different runs.
//
// REPLICATES are numbered 1..reps and a range A:B includes both ends (`--replicates 1:250` and `251:500`
// are the two halves of 500). Replicate r draws from PRNG stream (seed, r - 1) whichever machine runs it.
//
// FINGERPRINT: a hash of the command, every option that affects the numbers (all of the command's parsed
// options, defaults included, except the range itself: seed, reps, backend, tolerances ...), the data's
// content hash (frame-hash.ts) and the didwasm version. The options and data hash are stored too, so a
// mismatch can be named rather than just detected.
import { frameHash, textHash } from "../../data/frame-hash.js";
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { VERSION } from "../../version.js";
import { toExactJson } from "./exact-json.js";

/** Marks a partial result, with the version of its layout. */
export const PARTIAL_FORMAT = "didwasm-partial-1";

export interface PartialResult {
  readonly format: typeof PARTIAL_FORMAT;
  readonly command: string;
  readonly version: string;
  readonly fingerprint: string;
  readonly data_hash: string;
  /** The command's parsed options (run() keys), without `replicates`. */
  readonly options: Record<string, unknown>;
  /** Replicates of the whole run. */
  readonly reps: number;
  /** This part's range, 1-based, both ends included. */
  readonly replicates: readonly [number, number];
  /** What assembling the result needs besides the draws (exact JSON, exact-json.ts). */
  readonly state: unknown;
  /** The range's draws (exact JSON arrays). */
  readonly draws: readonly unknown[];
}

export function fingerprintOf(command: string, version: string, dataHash: string, options: Readonly<Record<string, unknown>>): string {
  return textHash(JSON.stringify({ command, version, data: dataHash, options }));
}

/** Checks `A:B` against the run's replicates; returns the 0-based half-open range. */
export function replicateRange(range: readonly [number, number], reps: number, why = ""): { from: number; to: number } {
  const [a, b] = range;
  if (a < 1 || b > reps || a > b) {
    throw new DidwasmError(
      "BAD_OPTION",
      `replicates ${a}:${b} lie outside this run's replicates 1:${reps}${why ? ` (${why})` : ""}; ranges are 1-based and include both ends`,
      { option: "replicates" },
    );
  }
  return { from: a - 1, to: b };
}

export function makePartial(
  command: string, frame: Frame, options: Readonly<Record<string, unknown>>, reps: number, range: readonly [number, number],
  state: unknown, draws: readonly Float64Array[],
): PartialResult {
  const dataHash = frameHash(frame);
  const plainOptions = toExactJson(options) as Record<string, unknown>;
  return {
    format: PARTIAL_FORMAT, command, version: VERSION, fingerprint: fingerprintOf(command, VERSION, dataHash, plainOptions), data_hash: dataHash,
    options: plainOptions, reps, replicates: [range[0], range[1]], state: toExactJson(state), draws: draws.map((d) => toExactJson(d)),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** `value` as a partial result, or an error naming `name` and what is wrong with it. */
export function readPartial(value: unknown, name: string): PartialResult {
  const not = (why: string) => new DidwasmError("BAD_DATA", `${name} is not a didwasm partial result (${why}); partial results are written by a resampling command run with --replicates A:B`);
  if (!isRecord(value)) throw not("not a JSON object");
  if (value.format !== PARTIAL_FORMAT) {
    throw not(typeof value.format === "string" && value.format.startsWith("didwasm-partial") ? `layout ${value.format}, this didwasm reads ${PARTIAL_FORMAT}` : "no \"format\": \"" + PARTIAL_FORMAT + "\"");
  }
  for (const k of ["command", "version", "fingerprint", "data_hash"] as const) if (typeof value[k] !== "string") throw not(`"${k}" is missing`);
  if (!isRecord(value.options)) throw not(`"options" is missing`);
  if (!isWhole(value.reps) || value.reps < 1) throw not(`"reps" is not a positive whole number`);
  const r = value.replicates;
  if (!Array.isArray(r) || r.length !== 2 || !isWhole(r[0]) || !isWhole(r[1])) throw not(`"replicates" is not a pair of whole numbers`);
  if (!Array.isArray(value.draws) || value.draws.length === 0) throw not(`"draws" is missing`);
  if (!("state" in value)) throw not(`"state" is missing`);
  return value as unknown as PartialResult;
}
