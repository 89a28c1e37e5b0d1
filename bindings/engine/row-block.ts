// Rows per call of a loop that runs over tens of thousands of rows, once per cell or per pass.
//
// WHY BLOCKS. V8 compiles a long loop while it runs (on-stack replacement) before the code after it has
// ever run; that code then has no type feedback, and the compiled loop is thrown away when it reaches
// it. When the function is entered again, V8 reuses that same compiled loop, and it is thrown away again
// at its end, in every call: measured in a covariate-adjusted csdid fit, each of its ~100 logit passes and
// ~60 cells ran mostly unoptimised (the logit pass at about 110 ns a row instead of 30-40). A loop called
// on blocks of this many rows is called often enough to be compiled as a whole function, after its first
// calls have recorded the feedback of every line. Sums run through the blocks in row order, so the block
// size changes no bit.
export const ROW_BLOCK = 4096;

/** Calls body(from, to) on consecutive blocks [from, to) of ROW_BLOCK rows covering 0 .. n - 1, in order. */
export function forRowBlocks(n: number, body: (from: number, to: number) => void): void {
  for (let from = 0; from < n; from += ROW_BLOCK) body(from, Math.min(n, from + ROW_BLOCK));
}
