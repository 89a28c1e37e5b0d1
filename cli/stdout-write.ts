// The CLI's output, written straight to file descriptor 1.
//
// WHY. process.stdout is built on first use, and when stdout is a pipe (a script capturing --json) that
// builds a net.Socket: Node loads node:net, its stream classes and the pipe bindings, some 10 ms of a
// 0.2 s process on the 2-core VM, to write one string. A synchronous write to the descriptor needs none of
// it. Where the descriptor refuses (non-blocking and full: EAGAIN) or fails otherwise, the rest goes through
// process.stdout as before, so output is never lost and errors surface as they always did.
import { writeSync } from "node:fs";

const STDOUT_FD = 1;

export function writeStdout(text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(STDOUT_FD, bytes, done, bytes.length - done);
  } catch {
    process.stdout.write(bytes.subarray(done));
  }
}
