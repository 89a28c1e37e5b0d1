// CPU time of an in-process job (user + system, ms), so that another process on a shared machine does not
// end up in the number as it would in wall time.

export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The CPU time of fn(), after a collection (node --expose-gc) so that no job pays for the one before. */
export function timedCpu(fn) {
  globalThis.gc?.();
  const t0 = cpuMs();
  fn();
  return cpuMs() - t0;
}
