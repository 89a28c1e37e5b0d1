// How commands run resampling in a browser (the CommandEnv of the computation worker and of browser
// callers of run()): placebo and bdiff from resampling/parallel-browser.ts, plus progress and seeds.
import type { CommandEnv } from "../commands/types.js";
import { browserResampling, type BrowserResamplingOptions, type Progress } from "../resampling/parallel-browser.js";

export interface BrowserEnvOptions extends BrowserResamplingOptions {
  readonly onProgress?: Progress;
  /** Called when a seed had to be drawn because none was given. */
  readonly onSeed?: (seed: number) => void;
}

/** Web Workers for big runs, else blocks in the calling thread; progress after every block; a seed drawn
 *  from the browser's cryptographic generator when none is given. */
export function browserEnv(o: BrowserEnvOptions = {}): CommandEnv {
  return {
    ...browserResampling({ workers: o.workers, spawn: o.spawn }),
    onProgress: o.onProgress,
    pickSeed: () => {
      // 31 bits, as the CLI draws seeds.
      const seed = crypto.getRandomValues(new Uint32Array(1))[0] >>> 1;
      o.onSeed?.(seed);
      return seed;
    },
  };
}
