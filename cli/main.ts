#!/usr/bin/env node
// `didwasm --version` answers from this file alone: the program (cli/program.ts) loads every command's
// schema and the modules they reach, hundreds of files whose loading costs far more than the answer.
// Everything else loads the program on demand.
import { VERSION } from "../bindings/version.js";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const [{ processIo }, { runCli }] = await Promise.all([import("./io.js"), import("./program.js")]);
  process.exitCode = await runCli(argv, processIo);
}
