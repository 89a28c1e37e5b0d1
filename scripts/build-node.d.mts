// Types of build-node.mjs (used by test/structure/start-modules.test.ts).
/** Entry name (dist/node/NAME.js) -> the file of tsc's output it bundles. */
export const NODE_ENTRIES: Readonly<Record<string, string>>;
/** Builds the Node bundles into `outdir` (default dist/node); returns the output files, relative to it. */
export function buildNode(outdir?: string): Promise<string[]>;
/** The kernels' builds, copied beside the bundles as didwasm.BUILD.wasm. */
export const KERNEL_BUILDS: readonly ("simd" | "scalar" | "threads")[];
