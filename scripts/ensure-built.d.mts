// Types of ensure-built.mjs (used by the packaging test).
export const BUILD_OUTPUTS: readonly string[];
/** The build outputs missing under `dir` (default: the repository). */
export function missingOutputs(dir?: string): string[];
