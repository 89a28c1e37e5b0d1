// --seed: parsed and checked, or picked at random when absent and reported on stderr so the run can be
// repeated exactly.
import { DidwasmError } from "../bindings/errors.js";
import type { Io } from "./io.js";

export function resolveSeed(text: string | undefined, io: Io): number {
  if (text === undefined) {
    const seed = Math.floor(Math.random() * 2 ** 31);
    io.err(`didwasm: no --seed given; using --seed ${seed}\n`);
    return seed;
  }
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new DidwasmError("BAD_OPTION", `--seed must be an integer in [0, 4294967295], got "${text}"`);
  }
  return seed;
}
