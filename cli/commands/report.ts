// didwasm report SPEC [--out DIR]: runs every analysis of a study spec and writes DIR/index.html (one
// self-contained page), DIR/tables.tex and DIR/results.json. The spec is checked whole (and against the
// data's columns) before anything runs: its problems are listed with their paths and the exit status is 2.
// A failing analysis is shown in its section and makes the exit status 1; the report is written anyway.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { nonFiniteAsNull } from "../../bindings/commands/json.js";
import { opt } from "../../bindings/commands/schema/define.js";
import { flagName, parseOptions } from "../../bindings/commands/schema/parse.js";
import type { CommandEnv } from "../../bindings/commands/types.js";
import { frameColumns, toCsv } from "../../bindings/data/csv-write.js";
import { DidwasmError } from "../../bindings/errors.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { reportHtml } from "../../bindings/report/html.js";
import { reportLatex } from "../../bindings/report/latex.js";
import { parseSpec } from "../../bindings/report/load.js";
import { addDerivedColumns, derivedColumns } from "../../bindings/report/plan.js";
import { resultsJson, runReport } from "../../bindings/report/runner.js";
import { readData, type Io } from "../io.js";
import { MAX_WORKERS } from "../output-options.js";
import { addOptions } from "../register.js";
import { parallelResampling, workerCount } from "../workers.js";
import { writeFile } from "../write-file.js";

/** Thrown after the report is written when some analysis failed: the CLI exits with status 1. */
export class ReportIncomplete extends Error {}

/** A spec larger than this is not a spec (and reading it whole would be a mistake). */
const MAX_SPEC_BYTES = 4 * 2 ** 20;

export const reportOptions = {
  out: opt.path({ label: "Output folder", help: "output folder", default: "report", valueName: "dir" }),
  workers: opt.integer({ label: "Workers", help: "worker threads for placebo and bdiff draws (at most this machine's cores unless --oversubscribe)", min: 1, max: MAX_WORKERS }),
  oversubscribe: opt.flag({ label: "Oversubscribe", help: "allow --workers beyond this machine's cores", appliesWhen: (o) => (o.workers !== undefined ? null : "applies only with {workers}") }),
  allowOutsideData: opt.flag({ label: "Data outside the spec's folder", help: "allow the spec's data file to be outside the spec's folder (and its subfolders)" }),
  quiet: opt.flag({ label: "Quiet", help: "no progress on stderr" }),
};

function readSpecText(specPath: string): string {
  let st;
  try {
    st = statSync(specPath);
  } catch {
    throw new DidwasmError("FILE_NOT_FOUND", `cannot read the spec ${specPath}: file not found`, { path: specPath });
  }
  if (!st.isFile()) throw new DidwasmError("FILE_UNREADABLE", `the spec ${specPath} is not a regular file`, { path: specPath });
  if (st.size > MAX_SPEC_BYTES) throw new DidwasmError("FILE_UNREADABLE", `the spec ${specPath} is ${st.size.toLocaleString("en-US")} bytes: not a spec`, { path: specPath });
  return readFileSync(specPath, "utf8");
}

/** The data path of a spec, resolved relative to the spec's folder, which it may not leave unless allowed. */
export function specDataPath(specPath: string, data: string, allowOutside: boolean): string {
  const folder = dirname(resolve(specPath));
  const path = isAbsolute(data) ? data : resolve(folder, data);
  if (!allowOutside) {
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      // A missing file is reported by the reader.
    }
    const realFolder = realpathSync(folder);
    if (real !== realFolder && !real.startsWith(realFolder + sep)) {
      throw new DidwasmError("BAD_OPTION", `spec data: "${data}" is outside the spec's folder (${folder}); move the spec next to the data, or pass --allow-outside-data`, { path: data });
    }
  }
  return path;
}

export function registerReport(program: Command, io: Io): void {
  const cmd = program
    .command("report")
    .description("run a whole study from a spec (JSON or YAML) and write an HTML report, LaTeX tables and results.json")
    .argument("<spec>", "the analysis spec")
    .addHelpText("after", "\nExample:\n  didwasm report examples/smart-city.json --out report\n");
  addOptions(cmd, reportOptions);
  cmd.action(async (specPath: string, raw: Record<string, unknown>) => {
    const o = parseOptions(reportOptions, raw, flagName).values;
    const spec = parseSpec(readSpecText(specPath), specPath);
    if (existsSync(o.out) && !statSync(o.out).isDirectory()) throw new DidwasmError("BAD_OPTION", `--out ${o.out} exists and is not a folder`, { option: "--out" });
    const dataPath = specDataPath(specPath, spec.data, o.allowOutsideData === true);
    const log = (m: string) => {
      if (!o.quiet) io.err(`${m}\n`);
    };
    const { frame } = await readData(dataPath);
    log(`report: ${spec.title} (${frame.nrow.toLocaleString("en-US")} rows of ${spec.data})`);
    const env: CommandEnv = { ...parallelResampling(workerCount(o.workers, o.oversubscribe === true), frame), pickSeed: () => spec.seed };
    const shown = (p: string) => relative(process.cwd(), p) || p;
    const derived = derivedColumns(spec).length ? join(o.out, "data-derived.csv") : undefined;
    const result = await runReport(spec, frame, env, { data: shown(dataPath), derived: derived && shown(derived) }, (m) => log(`  ${m}`));
    const sections = reportBlocks(result);
    try {
      mkdirSync(o.out, { recursive: true });
    } catch (e) {
      throw new DidwasmError("FILE_UNREADABLE", `cannot create the folder ${o.out}: ${(e as Error).message}`);
    }
    writeFile(join(o.out, "index.html"), reportHtml(result, sections), "report");
    writeFile(join(o.out, "tables.tex"), reportLatex(spec.title, sections), "LaTeX tables");
    writeFile(join(o.out, "results.json"), JSON.stringify(resultsJson(result), nonFiniteAsNull, 1) + "\n", "results");
    // The analyses with derived columns reproduce from a copy of the data that has them.
    if (derived) writeFileSync(derived, toCsv(frameColumns(addDerivedColumns(frame, spec))));
    log(`report: wrote ${join(o.out, "index.html")}, tables.tex and results.json in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    if (!result.ok) throw new ReportIncomplete("some analyses could not be computed: see their sections in the report");
  });
}
