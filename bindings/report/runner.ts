// Runs every analysis of a spec, in order, through the command specs: on the spec's data, or on the file an
// analysis names in its own `data`. A failing analysis does not stop the report: its error is recorded and
// shown in its section.
import { commandLine } from "../commands/command-line.js";
import { commandSpec } from "../commands/registry.js";
import { executeCommand, type Executed } from "../commands/execute.js";
import type { CommandEnv } from "../commands/types.js";
import type { Frame } from "../data/frame.js";
import { isDidwasmError } from "../errors.js";
import { VERSION } from "../version.js";
import { checkSpecOnData } from "./check-data.js";
import { addDerivedColumns, analysisSeed, derivedColumns, type Invocation } from "./plan.js";
import { analysisData, specError, type Analysis, type ReportSpec } from "./spec.js";

export interface CallOutcome extends Invocation {
  /** The command line that reproduces this call. */
  readonly commandLine: string;
  readonly output: Executed | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly ms: number;
}

export interface AnalysisOutcome {
  readonly analysis: Analysis;
  readonly seed: number;
  /** Its calls (an analysis that cannot be planned is a spec problem, refused before anything runs). */
  readonly calls: readonly CallOutcome[];
}

export interface SectionOutcome {
  readonly number: number;
  readonly title: string;
  readonly note?: string;
  readonly analyses: readonly AnalysisOutcome[];
}

export interface ReportResult {
  readonly spec: ReportSpec;
  readonly version: string;
  readonly created: string;
  readonly elapsedMs: number;
  readonly nrow: number;
  readonly sections: readonly SectionOutcome[];
  /** True when every call succeeded. */
  readonly ok: boolean;
}

const errorOf = (e: unknown) => ({ code: isDidwasmError(e) ? e.code : "INTERNAL", message: (e as Error)?.message ?? String(e) });

/** The data files command lines name: the spec's data, and (when the spec derives columns) a copy of it
 *  with the derived columns, which the CLI writes next to the report. */
export interface DataFiles {
  readonly data: string;
  readonly derived?: string;
  /** The files analyses name in their own `data`, by the spec's text: the data read, and the names of the
   *  file and of its derived copy for command lines. */
  readonly others?: Readonly<Record<string, { readonly frame: Frame; readonly data: string; readonly derived?: string }>>;
}

/** Checks the spec against the data (throws one error listing every problem), then runs every analysis. */
export async function runReport(spec: ReportSpec, data: Frame, env: CommandEnv, files: DataFiles, progress?: (message: string) => void): Promise<ReportResult> {
  const t0 = performance.now();
  const frame = addDerivedColumns(data, spec);
  const others = Object.fromEntries(Object.entries(files.others ?? {}).map(([k, o]) => [k, addDerivedColumns(o.frame, spec, k)]));
  // Planned once: the calls the check accepted are the calls that run.
  const { problems, plans } = checkSpecOnData(spec, frame, others);
  if (problems.length) throw specError(problems, "the spec, on this data,");
  /** The frame an analysis reads and the file its command lines name (the derived copy when a call uses a derived column). */
  const source = (a: Analysis) => {
    const own = analysisData(spec, a);
    const named = own === spec.data ? files : files.others![own];
    const derived = derivedColumns(spec, own);
    return {
      frame: own === spec.data ? frame : others[own],
      fileFor: (c: Invocation) => (named.derived && derived.some((d) => JSON.stringify(c.options).includes(d)) ? named.derived : named.data),
    };
  };
  let ok = true;
  const sections: SectionOutcome[] = [];
  for (const [si, s] of spec.sections.entries()) {
    const analyses: AnalysisOutcome[] = [];
    for (const [ai, a] of s.analyses.entries()) {
      const seed = analysisSeed(spec, si, ai);
      const path = `sections[${si}].analyses[${ai}]`;
      const outcomes: CallOutcome[] = [];
      const { frame: analysisFrame, fileFor } = source(a);
      for (const c of plans[si][ai]) {
        const t1 = performance.now();
        progress?.(`section ${si + 1} (${s.title}): ${c.command}${c.role ? ` [${c.role}]` : ""}`);
        const line = commandLine(c.command, fileFor(c), c.options);
        try {
          const output = await executeCommand(commandSpec(c.command), analysisFrame, c.options, env, (k) => c.sources[k] ?? `${path}.${k}`);
          outcomes.push({ ...c, commandLine: line, output, error: null, ms: performance.now() - t1 });
        } catch (e) {
          ok = false;
          outcomes.push({ ...c, commandLine: line, output: null, error: errorOf(e), ms: performance.now() - t1 });
          progress?.(`  error: ${errorOf(e).message}`);
        }
      }
      analyses.push({ analysis: a, seed, calls: outcomes });
    }
    sections.push({ number: si + 1, title: s.title, note: s.note, analyses });
  }
  return { spec, version: VERSION, created: new Date().toISOString(), elapsedMs: performance.now() - t0, nrow: data.nrow, sections, ok };
}

/** results.json: every call with its options and its JSON result (or error). */
export function resultsJson(r: ReportResult): Record<string, unknown> {
  return {
    title: r.spec.title, version: r.version, created: r.created, data: r.spec.data, rows: r.nrow, seed: r.spec.seed, ok: r.ok,
    elapsed_ms: Math.round(r.elapsedMs),
    sections: r.sections.map((s) => ({
      number: s.number, title: s.title,
      analyses: s.analyses.map((a) => ({
        type: a.analysis.type, label: a.analysis.label ?? null, ...(a.analysis.data !== undefined ? { data: a.analysis.data } : {}), seed: a.seed,
        calls: a.calls.map((c) => ({ command: c.command, role: c.role, options: c.options, command_line: c.commandLine, result: c.output?.json ?? null, error: c.error })),
      })),
    })),
  };
}

/** Where each analysis's results are written beside the report (the page links them): section number,
 *  analysis number within the section (1-based) and type, e.g. json/s3-1-eventstudy.json. */
export function analysisJsonPath(section: number, analysisIndex: number, type: string): string {
  return `json/s${section}-${analysisIndex + 1}-${type}.json`;
}

/** One file per analysis: its entry of results.json, with the report's title and section. */
export function analysisJsonFiles(results: Record<string, unknown>): Array<{ path: string; json: Record<string, unknown> }> {
  const sections = results.sections as Array<{ number: number; title: string; analyses: Array<Record<string, unknown> & { type: string }> }>;
  return sections.flatMap((s) =>
    s.analyses.map((a, i) => ({ path: analysisJsonPath(s.number, i, a.type), json: { report: results.title, section: s.number, section_title: s.title, ...a } })),
  );
}
