// Merging partial results (partial.ts) into the result of one run: the parts must come from the same
// command, options, data and didwasm version (their fingerprints agree, and each fingerprint matches the
// part's own contents), and their ranges must cover 1..reps exactly once. The draws are then put back in
// replicate order and the command assembles its result from them as a single run does, so the JSON is the
// one-run JSON number for number (timing_ms aside).
import { DidwasmError } from "../../errors.js";
import { commandSpec } from "../registry.js";
import { withNotes, type Executed } from "../execute.js";
import { plainJson, timingMs } from "../json.js";
import type { CommandSpec } from "../types.js";
import { fromExactJson, numbersOf } from "./exact-json.js";
import { fingerprintOf, readPartial, type PartialResult } from "./partial.js";

const shown = (v: unknown) => {
  const s = JSON.stringify(v) ?? "(none)";
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** Why parts a and b cannot be merged, named as precisely as their contents allow. */
function mismatch(a: PartialResult, an: string, b: PartialResult, bn: string): string {
  if (a.command !== b.command) return `${an} is a ${a.command} run and ${bn} a ${b.command} run`;
  if (a.version !== b.version) return `${an} was made by didwasm ${a.version} and ${bn} by ${b.version}: run every part with one version`;
  const keys = [...new Set([...Object.keys(a.options), ...Object.keys(b.options)])];
  const differ = keys.filter((k) => JSON.stringify(a.options[k]) !== JSON.stringify(b.options[k]));
  if (differ.length) {
    return `${an} and ${bn} were run with different options: ${differ.map((k) => `${k} ${shown(a.options[k])} vs ${shown(b.options[k])}`).join(", ")}`;
  }
  if (a.reps !== b.reps) return `${an} belongs to a run of ${a.reps} replicates and ${bn} to one of ${b.reps}`;
  if (a.data_hash !== b.data_hash) return `${an} and ${bn} were computed on different data (content hashes ${a.data_hash.slice(0, 12)}... and ${b.data_hash.slice(0, 12)}...)`;
  return `${an} and ${bn} differ in their estimates although options and data agree`;
}

function checkOwnFingerprint(p: PartialResult, name: string): void {
  if (fingerprintOf(p.command, p.version, p.data_hash, p.options) !== p.fingerprint) {
    throw new DidwasmError("BAD_DATA", `${name} was edited or is damaged: its fingerprint does not match its command, options, data hash and version`);
  }
}

/** Sorted ranges covering 1..reps exactly once, or an error naming the first gap or overlap. */
function checkCoverage(parts: readonly PartialResult[], names: readonly string[], reps: number): number[] {
  const order = parts.map((_, i) => i).sort((i, j) => parts[i].replicates[0] - parts[j].replicates[0]);
  let next = 1;
  let prev = -1;
  for (const i of order) {
    const [a, b] = parts[i].replicates;
    if (a < 1 || b > reps || a > b) throw new DidwasmError("BAD_DATA", `${names[i]} holds replicates ${a}:${b}, outside the run's 1:${reps}`);
    if (a < next) throw new DidwasmError("BAD_DATA", `replicates overlap: ${names[i]} holds ${a}:${b} and ${names[prev]} holds ${parts[prev].replicates.join(":")}`);
    if (a > next) throw new DidwasmError("BAD_DATA", `replicates ${next}:${a - 1} are in no part (${reps} replicates in all); run them with --replicates ${next}:${a - 1}`);
    next = b + 1;
    prev = i;
  }
  if (next <= reps) throw new DidwasmError("BAD_DATA", `replicates ${next}:${reps} are in no part (${reps} replicates in all); run them with --replicates ${next}:${reps}`);
  return order;
}

/** Each part's draws, checked: as many arrays as the first part's, each a whole number of values per replicate. */
function drawsOf(p: PartialResult, name: string, arrays: number, widths: number[] | null): Float64Array[] {
  const count = p.replicates[1] - p.replicates[0] + 1;
  if (p.draws.length !== arrays) throw new DidwasmError("BAD_DATA", `${name} holds ${p.draws.length} arrays of draws, the other parts ${arrays}`);
  return p.draws.map((d, k) => {
    const x = numbersOf(d);
    const width = widths ? widths[k] : x ? x.length / count : NaN;
    if (!x || x.length !== width * count) throw new DidwasmError("BAD_DATA", `${name} is damaged: its draws do not hold one value set for each of replicates ${p.replicates.join(":")}`);
    return x;
  });
}

/** The merged result of a run as every front end sees it (JSON, text, figure), from its parts. `names` label
 *  the parts in errors (file names on the CLI; default "part 1", "part 2", ...). */
export function mergeExecuted(values: readonly unknown[], names: readonly string[] = values.map((_, i) => `part ${i + 1}`)): { spec: CommandSpec; result: Executed } {
  if (values.length === 0) throw new DidwasmError("BAD_OPTION", "give the partial results to merge");
  const parts = values.map((v, i) => readPartial(v, names[i]));
  parts.forEach((p, i) => checkOwnFingerprint(p, names[i]));
  const first = parts[0];
  const stateText = JSON.stringify(first.state);
  parts.forEach((p, i) => {
    if (p.fingerprint !== first.fingerprint || p.reps !== first.reps || JSON.stringify(p.state) !== stateText) throw new DidwasmError("BAD_DATA", mismatch(first, names[0], p, names[i]));
  });
  const spec = commandSpec(first.command);
  if (!spec.replicable) throw new DidwasmError("BAD_DATA", `${names[0]}: ${first.command} results cannot be merged`);
  const order = checkCoverage(parts, names, first.reps);
  const firstDraws = drawsOf(parts[order[0]], names[order[0]], parts[order[0]].draws.length, null);
  const widths = firstDraws.map((d) => d.length / (parts[order[0]].replicates[1] - parts[order[0]].replicates[0] + 1));
  const pieces = order.map((i, k) => (k === 0 ? firstDraws : drawsOf(parts[i], names[i], firstDraws.length, widths)));
  const draws = widths.map((w, k) => {
    const all = new Float64Array(w * first.reps);
    let at = 0;
    for (const piece of pieces) {
      all.set(piece[k], at);
      at += piece[k].length;
    }
    return all;
  });
  const out = spec.replicable.assemble(fromExactJson(first.state) as Record<string, unknown>, draws);
  return { spec, result: withNotes(out, out.notes) };
}

/** Merges partial results (what run() returns with `replicates`) into what run() returns for the whole run:
 *  the same JSON, number for number, with this merge's own timing_ms. */
export function mergePartials(parts: readonly unknown[], names?: readonly string[]): Record<string, unknown> {
  const t0 = performance.now();
  const { spec, result } = mergeExecuted(parts, names);
  return { ...plainJson(result.json), ...timingMs(spec.phase, 0, performance.now() - t0) };
}
