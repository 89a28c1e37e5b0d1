// Whether process.stdout and process.stderr hold no write still in flight, told without building them.
//
// WHY. When the CLI is done, it ends the process with process.exit instead of letting Node wind down on its
// own: the natural end frees the whole heap and waits for V8's background compile jobs still running (the
// optimising compiler's work on code that will never run again), measured on the 2-core VM at some 20 ms
// of CPU of a 0.3 s placebo process. process.exit would drop a write to a pipe that Node queued (the pipe
// was full), so the CLI exits early only when no such write can be pending: a stream that was never built
// wrote nothing (the output goes to descriptor 1, stdout-write.ts), and a built one must have emptied its
// buffer. The streams are built on first use by a getter of `process`; watching that getter tells which
// were built, without building them (building stdout for a pipe loads node:net).
type StdioName = "stdout" | "stderr";

const built: NodeJS.WriteStream[] = [];
let watching = false;

/** Starts recording which of process.stdout and process.stderr get built. Call once, before any output. */
export function watchStdio(): void {
  if (watching) return;
  const getters: Partial<Record<StdioName, () => NodeJS.WriteStream>> = {};
  for (const name of ["stdout", "stderr"] as const) {
    const d = Object.getOwnPropertyDescriptor(process, name);
    // A runtime whose streams are plain values (or fixed) cannot be watched: never idle, as before.
    if (!d?.get || !d.configurable) return;
    getters[name] = d.get as () => NodeJS.WriteStream;
  }
  for (const name of ["stdout", "stderr"] as const) {
    const get = getters[name]!;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: true,
      get() {
        const stream = get.call(process);
        if (!built.includes(stream)) built.push(stream);
        return stream;
      },
    });
  }
  watching = true;
}

/** True when watchStdio runs and no built standard stream has bytes waiting to be written. */
export function stdioIdle(): boolean {
  return watching && built.every((s) => s.writableLength === 0 && !s.writableNeedDrain);
}
