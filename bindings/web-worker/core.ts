// The body of the computation worker, independent of the worker API (so it also runs in Node tests): it
// compiles the kernels once, keeps loaded data sets, runs commands exactly as run() does (same JSON,
// including timing_ms) and adds the readable table and the figure. Resampling runs through browserEnv:
// inline in blocks with progress messages, or on a pool of nested Web Workers for big runs.
import { plainJson, round3, timingMs } from "../commands/json.js";
import { bytesSource, parseCsv } from "../data/csv.js";
import { toFrame } from "../data/columns.js";
import { generateSmartCity } from "../data/demo/smart-city.js";
import { detectFormat } from "../data/format.js";
import type { Frame } from "../data/frame.js";
import { loadEngine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { COMMANDS, commandSpec } from "../commands/registry.js";
import { executeCommand } from "../commands/execute.js";
import type { CommandEnv } from "../commands/types.js";
import { browserEnv } from "./browser-env.js";
import { VERSION } from "../version.js";
import type { DataSource, DetailedResult, FromCompute, RunData, ToCompute } from "./protocol.js";
import { previewRows, summarizeColumns } from "./summary.js";

/** Rows of a data set's preview unless the request says otherwise. */
const DEFAULT_PREVIEW_ROWS = 12;

export interface ComputeCoreOptions {
  /** Resampling environment factory (default: browserEnv, nested Web Workers for big runs). */
  readonly env?: (hooks: { onProgress: (done: number, total: number) => void; onSeed: (seed: number) => void; workers?: number }) => CommandEnv;
}

export function computeHandler(post: (m: FromCompute) => void, o: ComputeCoreOptions = {}): { ready: Promise<void>; handle: (m: ToCompute) => Promise<void> } {
  const engine = loadEngine().then(
    (e) => post({ type: "ready", simd: e.backend.simd, version: VERSION, commands: [...COMMANDS.keys()] }),
    (e: Error) => {
      post({ type: "error", id: -1, code: null, message: `the WebAssembly kernels could not be loaded: ${e.message}` });
      throw e;
    },
  );
  const datasets = new Map<string, { frame: Frame; readMs: number }>();
  const makeEnv = o.env ?? ((h) => browserEnv({ workers: h.workers, onProgress: h.onProgress, onSeed: h.onSeed }));

  async function readSource(s: DataSource): Promise<Frame> {
    if (s.kind === "demo") return toFrame(generateSmartCity(s.seed));
    const bytes = s.bytes;
    if (typeof bytes === "string") return parseCsv(bytes, { delimiter: s.delimiter });
    if (detectFormat(bytes, s.name) === "csv") return parseCsv(bytesSource(bytes, s.name), { delimiter: s.delimiter });
    // Stata and Parquet readers (and Parquet's decompressors) load on first use only.
    const { readDataBytes } = await import("../data/read-any.js");
    return readDataBytes(bytes, { name: s.name });
  }

  function frameOf(data: RunData, delimiter: unknown): { frame: Frame; readMs: number } {
    if (typeof data === "string" || data instanceof Uint8Array) {
      const t0 = performance.now();
      const frame = parseCsv(data, { delimiter: typeof delimiter === "string" ? delimiter : undefined });
      return { frame, readMs: performance.now() - t0 };
    }
    const d = datasets.get(data.dataset);
    if (!d) throw new DidwasmError("BAD_OPTION", `no data set "${data.dataset}" is loaded`);
    return d;
  }

  async function runCommand(m: Extract<ToCompute, { type: "run" }>): Promise<DetailedResult> {
    const spec = commandSpec(m.command);
    // The delimiter says how to read CSV, the rest is the command's (as in run()).
    const { delimiter, ...options } = m.options;
    const { frame, readMs } = frameOf(m.data, delimiter);
    const seeds: number[] = [];
    const env = makeEnv({ onProgress: (done, total) => post({ type: "progress", id: m.id, done, total }), onSeed: (s) => seeds.push(s), workers: m.workers });
    const t1 = performance.now();
    const out = await executeCommand(spec, frame, options, env);
    const json = { ...plainJson(out.json), ...timingMs(spec.phase, readMs, performance.now() - t1) };
    const warnings = [...seeds.map((s) => `no seed given; used seed ${s}`), ...out.warnings];
    return { command: spec.name, json, text: out.text, svg: out.figure ? out.figure() : null, warnings };
  }

  async function handle(m: ToCompute): Promise<void> {
    try {
      await engine;
      if (m.type === "load") {
        const t0 = performance.now();
        const frame = await readSource(m.source);
        const readMs = performance.now() - t0;
        datasets.set(m.dataset, { frame, readMs });
        const name = m.source.kind === "demo" ? "smart-city (demo panel)" : m.source.name;
        post({
          type: "loaded", id: m.id,
          summary: { name, nrow: frame.nrow, columns: summarizeColumns(frame), preview: previewRows(frame, m.previewRows ?? DEFAULT_PREVIEW_ROWS), readMs: round3(readMs) },
        });
      } else if (m.type === "run") {
        post({ type: "result", id: m.id, result: await runCommand(m) });
      } else {
        datasets.delete(m.dataset);
        post({ type: "dropped", id: m.id });
      }
    } catch (e) {
      const err = e as Error;
      post({
        type: "error", id: m.id,
        code: e instanceof DidwasmError ? e.code : null,
        message: err?.message ?? String(e),
        details: e instanceof DidwasmError ? plainJson({ ...e.details }) : undefined,
      });
    }
  }
  return { ready: engine, handle };
}
