// Types of gen-worker-firm.mjs (used by test/bench/fixest-data.test.ts).
export interface Rng {
  uniform(): number;
  below(n: number): number;
  normal(): number;
}
export const WORKER_FIRM_DEFAULTS: { workers: number; years: number; firms: number; moveProb: number; firstYear: number };
export function writeWorkerFirmPanel(
  file: string,
  rng: Rng,
  options?: Partial<typeof WORKER_FIRM_DEFAULTS>,
): { rows: number; moves: number; firmsUsed: number };
