// A progress line on stderr for runs over a second, never on stdout (which may carry --json output) and
// never when stderr is not a terminal.
import { nowMs } from "./clock.js";
import type { Io } from "./io.js";

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

export function progressReporter(io: Io, what: string, quiet: boolean, stream?: NodeJS.WriteStream): Progress {
  const start = nowMs();
  let shown = false;
  // process.stderr only when the line may show: building it for a pipe loads node:net (stdout-write.ts).
  const active = !quiet && (stream ?? process.stderr).isTTY === true;
  return {
    update(done, total) {
      if (!active || nowMs() - start < 1000) return;
      shown = true;
      const pct = Math.floor((100 * done) / total);
      const bar = "#".repeat(Math.floor(pct / 4)).padEnd(25, ".");
      io.err(`\r${what} [${bar}] ${pct}% (${done}/${total})`);
    },
    done() {
      if (shown) io.err("\n");
    },
  };
}
