// Milliseconds for the timings the CLI reports, from process.hrtime.
//
// WHY. In Node the global `performance` is built on first use, and building it loads perf_hooks and its
// dependencies: a few milliseconds of a 0.25 s CLI process on the 2-core VM, for two subtractions.
// process.hrtime reads the same monotonic clock with nothing to load.
export function nowMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}
