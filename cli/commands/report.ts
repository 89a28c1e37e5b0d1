// didwasm report SPEC [--out DIR]: runs every analysis of a study spec and writes DIR/index.html (one
// self-contained page), DIR/tables.tex and DIR/results.json. A failing analysis is shown in its section
// and makes the exit status 1; the report is written anyway.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Command } from "commander";
import { nonFiniteAsNull } from "../../bindings/commands/json.js";
import type { CommandEnv } from "../../bindings/commands/types.js";
import { DidwasmError } from "../../bindings/errors.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { reportHtml } from "../../bindings/report/html.js";
import { reportLatex } from "../../bindings/report/latex.js";
import { parseSpec } from "../../bindings/report/load.js";
import { resultsJson, runReport } from "../../bindings/report/runner.js";
import { readData, type Io } from "../io.js";
import { positiveInteger } from "../options.js";
import { parallelResampling } from "../workers.js";

/** Thrown after the report is written when some analysis failed: the CLI exits with status 1. */
export class ReportIncomplete extends Error {}

export function registerReport(program: Command, io: Io): void {
  program
    .command("report")
    .description("run a whole study from a spec (JSON or YAML) and write an HTML report, LaTeX tables and results.json")
    .argument("<spec>", "the analysis spec")
    .option("--out <dir>", "output folder", "report")
    .option("--workers <n>", "worker threads for placebo and bdiff draws", positiveInteger("--workers"))
    .option("--quiet", "no progress on stderr")
    .action(async (specPath: string, o: { out: string; workers?: number; quiet?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(specPath, "utf8");
      } catch (e) {
        throw new DidwasmError("FILE_NOT_FOUND", `cannot read the spec ${specPath}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (e as Error).message}`);
      }
      const spec = parseSpec(text, specPath);
      const dataPath = isAbsolute(spec.data) ? spec.data : resolve(dirname(specPath), spec.data);
      const log = (m: string) => {
        if (!o.quiet) io.err(`${m}\n`);
      };
      const { frame } = await readData(dataPath);
      log(`report: ${spec.title} (${frame.nrow.toLocaleString("en-US")} rows of ${spec.data})`);
      const env: CommandEnv = {
        ...parallelResampling(o.workers),
        pickSeed: () => spec.seed,
      };
      const result = await runReport(spec, frame, env, (m) => log(`  ${m}`));
      const sections = reportBlocks(result);
      mkdirSync(o.out, { recursive: true });
      writeFileSync(join(o.out, "index.html"), reportHtml(result, sections));
      writeFileSync(join(o.out, "tables.tex"), reportLatex(spec.title, sections));
      writeFileSync(join(o.out, "results.json"), JSON.stringify(resultsJson(result), nonFiniteAsNull, 1) + "\n");
      log(`report: wrote ${join(o.out, "index.html")}, tables.tex and results.json in ${(result.elapsedMs / 1000).toFixed(1)} s`);
      if (!result.ok) throw new ReportIncomplete("some analyses could not be computed: see their sections in the report");
    });
}
