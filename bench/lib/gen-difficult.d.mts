// Types of gen-difficult.mjs (used by test/bench/fixest-data.test.ts).
import type { Rng } from "./gen-worker-firm.mjs";
export function difficultSizes(n: number): { indiv: number; firms: number; years: number };
export function writeDifficult(file: string, rng: Rng, n?: number): { rows: number; I: number; F: number; Y: number };
