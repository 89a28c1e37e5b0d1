// Types of cached-script.mjs (used by test/structure/start-modules.test.ts).
/** Whether V8 accepts the code cache of outdir/NAME.core.js (compiled as NAME.js's loader does). */
export function cacheAccepted(outdir: string, name: string): boolean;
