#!/usr/bin/env node
// `didwasm --version` answers from this file alone: the program (cli/program.ts) loads every command's
// schema and the modules they reach, hundreds of files whose loading costs far more than the answer.
// Everything else loads the program on demand.
import { VERSION } from "../bindings/version.js";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const [{ processIo }, { runCli }, { stdioIdle, watchStdio }] = await Promise.all([import("./io.js"), import("./program.js"), import("./stdio-idle.js")]);
  watchStdio(); // loading writes nothing: every stream built from here on is seen
  const code = await runCli(argv, processIo);
  process.exitCode = code;
  // Done: end now rather than wind the runtime down, unless a write to stdout or stderr is still queued
  // (stdio-idle.ts says why).
  if (stdioIdle()) process.exit(code);
}
