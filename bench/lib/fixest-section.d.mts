// Types of fixest-section.mjs (used by test/bench/fixest-section.test.ts).
export const HEADING: string;
/** The section's markdown for one run of bench/fixest.bench.mjs (its results object, as fixest.json holds it). */
export function fixestSection(run: unknown): string;
