// didwasm report SPEC [--out DIR]: runs every analysis of a study spec and writes DIR/index.html (one
// self-contained page), DIR/tables.tex, DIR/tables.docx and DIR/tables.rtf (every table, for Word), DIR/results.json and each
// figure as DIR/figures/fig-<n>-<slug>.{svg,pdf,png}, and each analysis's JSON under DIR/json/ (the page
// links them). A .dta file's own variable and value labels serve where the spec has none. The spec is checked whole (and against the
// data's columns) before anything runs: its problems are listed with their paths and the exit status is 2.
// An analysis may read its own data file (`data` in the analysis, relative to the spec like the spec's):
// each such file is read once, up front; a missing one is a spec problem at that analysis's `data`.
// A failing analysis is shown in its section and makes the exit status 1; the report is written anyway.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { nonFiniteAsNull } from "../../bindings/commands/json.js";
import { opt } from "../../bindings/commands/schema/define.js";
import { flagName, parseOptions } from "../../bindings/commands/schema/parse.js";
import type { CommandEnv } from "../../bindings/commands/types.js";
import { frameColumns, toCsv } from "../../bindings/data/csv-write.js";
import type { Frame } from "../../bindings/data/frame.js";
import { DidwasmError } from "../../bindings/errors.js";
import type { SpecProblem } from "../../bindings/report/spec.js";
import { LANDSCAPE_MODES, reportLatex } from "../../bindings/report/latex.js";
import type { Io } from "../io.js";
import { readReportData } from "../report-data.js";
import { MAX_WORKERS, plotSize } from "../output-options.js";
import { figureAssets } from "../figure-assets.js";
import { FIGURES_FOLDER, reportFigureFiles, reportTablesDocx, reportTablesRtf, type ReportFile } from "../../bindings/report/figure-and-word-files.js";
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
  allowOutsideData: opt.flag({ label: "Data outside the spec's folder", help: "allow the spec's data files (its own and its analyses') to be outside the spec's folder (and its subfolders)" }),
  quiet: opt.flag({ label: "Quiet", help: "no progress on stderr" }),
  plotSize,
  landscape: opt.choice(LANDSCAPE_MODES)({
    label: "Landscape tables (LaTeX)", default: "auto",
    help: "tables.tex: auto sets a table on a landscape page when fitting it to the portrait text width would shrink it below 80%; always, every table; never, scale only (a table wider than the text is always scaled to fit)",
  }),
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

/** The files analyses name in their own `data`, resolved like the spec's data; every missing one is a
 *  problem at the analysis that first names it (the caller lists them all at once, exit status 2, before
 *  any of them is read or anything written). */
export function otherDataPaths(specPath: string, files: ReadonlyArray<{ data: string; path: string }>, allowOutside: boolean): { found: Array<{ data: string; path: string }>; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const out: Array<{ data: string; path: string }> = [];
  for (const f of files) {
    let path: string;
    try {
      path = specDataPath(specPath, f.data, allowOutside);
    } catch (e) {
      problems.push({ path: f.path, message: (e as Error).message.replace(/^spec data: /, "") });
      continue;
    }
    if (!existsSync(path)) problems.push({ path: f.path, message: `cannot read "${f.data}": file not found (looked for ${path})` });
    else if (!statSync(path).isFile()) problems.push({ path: f.path, message: `"${f.data}" is not a regular file (${path})` });
    else out.push({ data: f.data, path });
  }
  return { found: out, problems };
}

/** Writes the figure files into OUT/figures, after removing the figure files of an earlier run (their
 *  numbers and names may have changed; nothing else in the folder is touched). */
async function writeFigureFiles(out: string, files: readonly ReportFile[]): Promise<void> {
  const folder = join(out, FIGURES_FOLDER);
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(folder)) if (/^fig-\d+.*\.(svg|pdf|png)$/.test(name)) rmSync(join(folder, name));
  for (const f of files) writeFile(join(out, ...f.path.split("/")), f.bytes, "figure");
}

export function registerReport(program: Command, io: Io): void {
  const cmd = program
    .command("report")
    .description("run a whole study from a spec (JSON or YAML) and write an HTML report, LaTeX, Word and RTF tables, figure files (SVG, PDF, PNG) and results.json")
    .argument("<spec>", "the analysis spec")
    .addHelpText("after", "\nExample:\n  didwasm report examples/smart-city.json --out report\n");
  addOptions(cmd, reportOptions);
  cmd.action(async (specPath: string, raw: Record<string, unknown>) => {
    const o = parseOptions(reportOptions, raw, flagName).values;
    // Loaded here, not at the top: every other command would otherwise load the YAML parser (some eighty
    // files) and the report's presenters at start.
    const [{ parseSpec }, { reportBlocks }, { reportHtml }, { withDataLabels }, { addDerivedColumns, derivedColumns }, { analysisJsonFiles, resultsJson, runReport }, { otherDataFiles, specError }] =
      await Promise.all([
        import("../../bindings/report/load.js"), import("../../bindings/report/blocks.js"), import("../../bindings/report/html.js"),
        import("../../bindings/report/data-labels.js"), import("../../bindings/report/plan.js"), import("../../bindings/report/runner.js"),
        import("../../bindings/report/spec.js"),
      ]);
    const written = parseSpec(readSpecText(specPath), specPath);
    if (existsSync(o.out) && !statSync(o.out).isDirectory()) throw new DidwasmError("BAD_OPTION", `--out ${o.out} exists and is not a folder`, { option: "--out" });
    const dataPath = specDataPath(specPath, written.data, o.allowOutsideData === true);
    const log = (m: string) => {
      if (!o.quiet) io.err(`${m}\n`);
    };
    const { frame, dta } = await readReportData(dataPath);
    // After the spec's data, whose own problem (not found, not data) is the first to tell.
    const { found: otherPaths, problems } = otherDataPaths(specPath, otherDataFiles(written), o.allowOutsideData === true);
    if (problems.length) throw specError(problems);
    let spec = dta ? withDataLabels(written, dta) : written;
    const shown = (p: string) => relative(process.cwd(), p) || p;
    const others: Record<string, { frame: Frame; data: string; derived?: string }> = {};
    for (const { data, path } of otherPaths) {
      const read = await readReportData(path);
      if (read.dta) spec = withDataLabels(spec, read.dta);
      const copy = derivedColumns(spec, data).length ? join(o.out, `data-derived-${basename(path, extname(path))}.csv`) : undefined;
      others[data] = { frame: read.frame, data: shown(path), derived: copy && shown(copy) };
    }
    log(`report: ${spec.title} (${frame.nrow.toLocaleString("en-US")} rows of ${spec.data}${otherPaths.map((f) => `, ${others[f.data].frame.nrow.toLocaleString("en-US")} of ${f.data}`).join("")})`);
    const env: CommandEnv = { ...parallelResampling(workerCount(o.workers, o.oversubscribe === true), frame), pickSeed: () => spec.seed };
    const derived = derivedColumns(spec).length ? join(o.out, "data-derived.csv") : undefined;
    const result = await runReport(spec, frame, env, { data: shown(dataPath), derived: derived && shown(derived), others }, (m) => log(`  ${m}`));
    const sections = reportBlocks(result);
    try {
      mkdirSync(o.out, { recursive: true });
    } catch (e) {
      throw new DidwasmError("FILE_UNREADABLE", `cannot create the folder ${o.out}: ${(e as Error).message}`);
    }
    const results = resultsJson(result);
    writeFile(join(o.out, "results.json"), JSON.stringify(results, nonFiniteAsNull, 1) + "\n", "results");
    mkdirSync(join(o.out, "json"), { recursive: true });
    for (const f of analysisJsonFiles(results)) writeFile(join(o.out, ...f.path.split("/")), JSON.stringify(f.json, nonFiniteAsNull, 1) + "\n", "analysis results");
    writeFile(join(o.out, "tables.tex"), reportLatex(spec.title, sections, { landscape: o.landscape, byline: `didwasm ${result.version}, ${result.created.slice(0, 10)}` }), "LaTeX tables");
    writeFile(join(o.out, "tables.docx"), await reportTablesDocx(spec.title, sections), "Word tables");
    writeFile(join(o.out, "tables.rtf"), reportTablesRtf(spec.title, sections), "RTF tables");
    await writeFigureFiles(o.out, await reportFigureFiles(sections, o.plotSize, figureAssets));
    // After the files it links: the page links only those that exist.
    writeFile(join(o.out, "index.html"), reportHtml(result, sections, { exists: (p) => existsSync(join(o.out, ...p.split("/"))) }), "report");
    // The analyses with derived columns reproduce from a copy of the data that has them.
    if (derived) writeFileSync(derived, toCsv(frameColumns(addDerivedColumns(frame, spec))));
    for (const [data, other] of Object.entries(others)) {
      if (other.derived) writeFileSync(other.derived, toCsv(frameColumns(addDerivedColumns(other.frame, spec, data))));
    }
    log(`report: wrote ${join(o.out, "index.html")}, tables.tex, tables.docx, tables.rtf, results.json and ${FIGURES_FOLDER}/ in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    if (!result.ok) throw new ReportIncomplete("some analyses could not be computed: see their sections in the report");
  });
}
