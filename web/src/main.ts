// The web tool's page: all computation happens in one dedicated Web Worker (the library's computation
// worker, which compiles the wasm kernels, parses CSV files, estimates and runs placebo draws, posting
// progress), so the page never freezes. The page only holds the form state and renders results.
// `globalThis.didwasm.run(command, csvText, options)` returns exactly what `didwasm <command> --json`
// prints for the same options.
import { createComputeWorker, type ComputeClient, type ComputeWorkerInfo } from "../../bindings/web-worker/client.js";
import type { DataSource, DatasetSummary, DetailedResult, RunData } from "../../bindings/web-worker/protocol.js";
import { ANALYSES, analysis, checkForm, commandLine, composeFormula, toOptions, type Values } from "./analyses.js";
import { renderData } from "./data-view.js";
import { $, clear, download, downloadBlob, h } from "./dom.js";
import { svgToPdfBlob } from "./figure-pdf.js";
import { svgToPng } from "./figure-png.js";
import { DEFAULT_CHOICES, modelTableModel, renderModelTable, tableModel, uniqueName, type ModelTableChoices, type TableEntry } from "./model-table.js";
import { wordDocument } from "./word.js";
import { regressionTable } from "../../bindings/present/tables/regression-table.js";
import { renderTableView, type TableDownload } from "./table-view.js";
import { describeTableModel, describeTableText } from "./command-tables.js";
import { fmtInt, fmtMs } from "./format.js";
import { renderForm } from "./form.js";
import { renderRegressionTable } from "../../bindings/present/tables/regression-table.js";
import { renderResult, type DownloadKind } from "./results.js";
import { demoValues, guessValues } from "./roles.js";
import { shownTable, tableCsv, tableLatex, type Table } from "./tables.js";

/** Files above this size are refused with a message (the page holds one copy, the worker a columnar one). */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
const DATASET = "main";

interface State {
  client: ComputeClient;
  info: ComputeWorkerInfo | null;
  data: DatasetSummary | null;
  fileName: string;
  delimiter: string | undefined;
  command: string;
  values: Values;
  running: boolean;
  /** The run in progress was cancelled (its worker terminated). */
  cancelled: boolean;
  /** What the current data set was loaded from (to reload it into a fresh worker after a cancel). */
  source: DataSource | null;
  result: { r: DetailedResult; title: string; cli: string } | null;
  /** The multi-column regression table: results added as columns, and how it is shown. */
  table: TableEntry[];
  tableChoices: ModelTableChoices;
}

function startWorker(): ComputeClient {
  const client = createComputeWorker();
  client.ready.then(
    (info) => {
      state.info = info;
      if (!state.running) setStatus(`Ready · WebAssembly${info.simd ? " SIMD" : ""} · v${info.version}`, "ready");
    },
    (e: Error) => {
      setStatus("Engine failed to load", "error");
      showAlert("data-error", "The estimation engine could not start.", `${e.message} This browser may not support WebAssembly or module workers; use a current Chrome, Edge, Firefox or Safari.`);
    },
  );
  return client;
}

const state: State = {
  client: null as unknown as ComputeClient,
  info: null,
  data: null,
  fileName: "data.csv",
  delimiter: undefined,
  command: "fit",
  values: {},
  running: false,
  cancelled: false,
  source: null,
  result: null,
  table: [],
  tableChoices: DEFAULT_CHOICES,
};

// ---------------------------------------------------------------------------------------------------
// Messages

function showAlert(id: "data-error" | "run-error", title: string | null, message: string | null): void {
  const el = $(`#${id}`);
  if (!message) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  // A message may end with the offending text and a caret under the position (formula errors).
  const [first, ...rest] = message.split("\n");
  clear(el, title ? h("strong", null, title) : null, h("span", null, first), rest.length ? h("pre", null, rest.join("\n")) : null);
  el.hidden = false;
  el.scrollIntoView({ block: "nearest" });
}

function setStatus(text: string, s: "loading" | "ready" | "busy" | "error"): void {
  const el = $("#status");
  el.textContent = text;
  el.dataset.state = s;
}

// ---------------------------------------------------------------------------------------------------
// Tabs

type Tab = "data" | "results" | "table";

function selectTab(tab: Tab): void {
  for (const t of document.querySelectorAll<HTMLButtonElement>(".tab")) t.setAttribute("aria-selected", String(t.dataset.tab === tab));
  $("#view-data").hidden = tab !== "data";
  $("#view-results").hidden = tab !== "results";
  $("#view-table").hidden = tab !== "table";
  if (tab === "table") renderTableTab();
}

// ---------------------------------------------------------------------------------------------------
// The multi-column regression table

function renderTableTab(): void {
  const n = state.table.length;
  $("#tab-table").textContent = n ? `Table (${n})` : "Table";
  clear($("#view-table"), renderTableView(state.table, {
    choices: state.tableChoices,
    setChoices: (c) => ((state.tableChoices = c), renderTableTab()),
    remove: (i) => (state.table.splice(i, 1), renderTableTab()),
    clear: () => ((state.table = []), renderTableTab()),
    download: downloadModelTable,
    saveJson: (i) => download(state.table[i].name, JSON.stringify(state.table[i].json, null, 2) + "\n", "application/json"),
  }));
}

const TABLE_FILES: Record<Exclude<TableDownload, "docx">, [string, string]> = { latex: ["tex", "application/x-tex"], csv: ["csv", "text/csv"], html: ["html", "text/html"] };

function downloadModelTable(format: TableDownload): void {
  if (format === "docx") {
    const failed = (e: Error) => showAlert("run-error", "The table could not be written.", e.message);
    try {
      wordDocument(modelTableModel(state.table, state.tableChoices), state.tableChoices.caption || undefined).then((b) => downloadBlob("regression-table.docx", b), failed);
    } catch (e) {
      failed(e as Error);
    }
    return;
  }
  const [ext, type] = TABLE_FILES[format];
  try {
    download(`regression-table.${ext}`, renderModelTable(state.table, state.tableChoices, format), type);
  } catch (e) {
    showAlert("run-error", "The table could not be written.", (e as Error).message);
  }
}

function addToTable(): void {
  const res = state.result;
  const model = res ? tableModel(res.r.command, res.r.json) : null;
  if (!res || !model) return;
  const what = typeof (model as { formula?: unknown }).formula === "string" ? `: ${(model as { formula: string }).formula}` : "";
  state.table.push({ name: uniqueName(`${fileBase()}${res.r.command === "psm" ? "-did" : ""}`, state.table), json: model, label: `${res.title}${what}` });
  $("#tab-table").removeAttribute("disabled");
  renderTableTab();
  const b = document.querySelector<HTMLButtonElement>("#add-to-table");
  if (b) (b.textContent = `Added (${state.table.length} in the table)`), (b.disabled = true);
}

// ---------------------------------------------------------------------------------------------------
// Data

/** The field separator of a CSV from its first line: the most frequent of , ; and tab (comma on ties). */
function detectDelimiter(bytes: Uint8Array): string {
  const end = Math.min(bytes.length, 64 * 1024);
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b === 34) quoted = !quoted;
    else if (!quoted && (b === 10 || b === 13)) break;
    else if (!quoted && b === 44) counts[","]++;
    else if (!quoted && b === 59) counts[";"]++;
    else if (!quoted && b === 9) counts["\t"]++;
  }
  const best = (Object.entries(counts) as [string, number][]).sort((a, b) => b[1] - a[1])[0];
  return best[1] > counts[","] ? best[0] : ",";
}

/** A message when the bytes cannot be a data file the tool reads (the worker names other formats). */
function notData(name: string, bytes: Uint8Array): string | null {
  if (bytes.length === 0) return `“${name}” is empty.`;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return `“${name}” is a zipped file (an Excel .xlsx workbook?). Save it as CSV (File › Save As › CSV) and open that.`;
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf) return `“${name}” is an old Excel (.xls) file. Save it as CSV and open that.`;
  return null;
}

async function openData(source: DataSource, name: string, values: (d: DatasetSummary) => Values): Promise<void> {
  showAlert("data-error", null, null);
  showAlert("run-error", null, null);
  setStatus(`Reading ${name}…`, "busy");
  const t0 = performance.now();
  try {
    const d = await state.client.load(DATASET, source);
    state.source = source;
    state.data = d;
    state.values = values(d);
    state.result = null;
    $("#tab-results").setAttribute("disabled", "");
    clear($("#view-data"), renderData(d));
    const status = $("#data-status");
    clear(status, h("span", { class: "file" }, d.name), h("span", { class: "dims" }, `${fmtInt(d.nrow)} rows × ${d.columns.length} columns`));
    status.hidden = false;
    selectTab("data");
    setStatus(`Loaded in ${fmtMs(performance.now() - t0)}`, "ready");
    renderAnalysis();
  } catch (e) {
    setStatus("Ready", "ready");
    showAlert("data-error", `Could not read ${name}.`, (e as Error).message);
  }
}

async function openFile(file: File): Promise<void> {
  if (file.size > MAX_FILE_BYTES) {
    showAlert("data-error", `Could not open ${file.name}.`, `The file is ${(file.size / 2 ** 30).toFixed(1)} GB; the browser tool reads files up to 1 GB. Use the didwasm command line for larger files.`);
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const problem = notData(file.name, bytes);
  if (problem) {
    showAlert("data-error", `Could not open ${file.name}.`, problem);
    return;
  }
  const binary = /\.(dta|parquet|pq|parq)$/i.test(file.name) || bytes.subarray(0, 4096).includes(0);
  // A separator means something to CSV only: Stata and Parquet files are read without one.
  const delimiter = binary ? undefined : /\.tsv$/i.test(file.name) ? "\t" : detectDelimiter(bytes);
  state.fileName = file.name;
  state.delimiter = delimiter === "," ? undefined : delimiter;
  await openData({ kind: "file", bytes, name: file.name, delimiter }, file.name, guessValues);
}

async function openDemo(): Promise<void> {
  state.fileName = "smart-city.csv";
  state.delimiter = undefined;
  await openData({ kind: "demo" }, "the demo panel", demoValues);
  state.command = "fit";
  ($("#analysis") as HTMLSelectElement).value = "fit";
  renderAnalysis();
}

// ---------------------------------------------------------------------------------------------------
// Analysis form

function renderAnalysis(): void {
  const a = analysis(state.command);
  $("#analysis-summary").textContent = a.summary;
  const host = $("#fields") as HTMLFormElement;
  if (!state.data) return;
  renderForm(host, a, state.values, state.data.columns, {
    changed(key, structural) {
      const v = state.values;
      // The outcome is one choice across analyses: the builder's and the panel commands' stay in step.
      if (key === "y") v._outcome = v.y;
      if (key === "_outcome") v.y = v._outcome;
      if (key.startsWith("_")) v._formulaEdited = false;
      if (key === "_regressors" && Array.isArray(v._regressors) && typeof v.coef === "string" && !v._regressors.includes(v.coef)) v.coef = v._regressors[0] ?? "";
      showAlert("run-error", null, null);
      for (const el of host.querySelectorAll(".invalid")) el.classList.remove("invalid");
      if (structural) renderAnalysis();
      else if (a.builder && key !== "formula" && !v._formulaEdited) {
        v.formula = composeFormula(v, a.builder);
        const f = host.querySelector<HTMLTextAreaElement>("#f-formula");
        if (f) f.value = v.formula as string;
      }
    },
  });
  ($("#run") as HTMLButtonElement).disabled = !state.info || state.running;
}

function fillAnalyses(): void {
  const sel = $("#analysis") as HTMLSelectElement;
  const available = new Set(state.info?.commands ?? ANALYSES.map((a) => a.command));
  clear(sel, ANALYSES.filter((a) => available.has(a.command)).map((a) => h("option", { value: a.command, selected: a.command === state.command }, a.title)));
  sel.disabled = false;
}

// ---------------------------------------------------------------------------------------------------
// Running

function setProgress(done: number, total: number): void {
  const p = $("#progress");
  p.hidden = false;
  const pct = total ? Math.round((100 * done) / total) : 100;
  $("#progress-bar").style.width = `${pct}%`;
  $("#progress-text").textContent = `${fmtInt(done)} of ${fmtInt(total)} draws`;
}

async function runAnalysis(): Promise<void> {
  if (state.running) return;
  const a = analysis(state.command);
  showAlert("run-error", null, null);
  if (!state.data) {
    showAlert("run-error", null, "Open a CSV file or load the demo panel first.");
    return;
  }
  const problem = checkForm(a, state.values, state.data.columns);
  if (problem) {
    showAlert("run-error", null, problem.message);
    document.querySelector(`[data-field="${problem.field}"]`)?.classList.add("invalid");
    return;
  }
  const options = toOptions(a, state.values);
  const cli = commandLine(a.command, state.fileName, state.delimiter ? { ...options, delimiter: state.delimiter } : options);
  state.running = true;
  const button = $("#run") as HTMLButtonElement;
  button.disabled = true;
  button.textContent = "Running…";
  setStatus(`Running ${a.title.toLowerCase()}…`, "busy");
  const t0 = performance.now();
  try {
    const r = await state.client.runDetailed(a.command, { dataset: DATASET }, options, { onProgress: setProgress });
    state.result = { r, title: a.title, cli };
    const view = $("#view-results");
    clear(view, renderResult(r, {
      title: a.title, cli, regressionTable: REGRESSION_TABLE_COMMANDS.has(r.command), download: downloadResult,
      addToTable: tableModel(r.command, r.json) ? addToTable : undefined,
    }));
    $("#tab-results").removeAttribute("disabled");
    selectTab("results");
    setStatus(`Done in ${fmtMs(performance.now() - t0)}`, "ready");
    document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
  } catch (e) {
    const err = e as Error & { code?: string };
    setStatus(state.cancelled ? "Cancelled" : "Ready", "ready");
    if (!state.cancelled) showAlert("run-error", err.name === "DidwasmError" ? "The analysis could not run." : "Something went wrong.", err.message);
  } finally {
    state.cancelled = false;
    state.running = false;
    button.disabled = false;
    button.textContent = "Run";
    $("#progress").hidden = true;
  }
}

function fileBase(): string {
  return `${state.fileName.replace(/\.[^.]*$/, "") || "data"}-${state.command}`;
}

/** Commands whose JSON the shared publication-style regression table reads (estimates over SEs, stars). */
const REGRESSION_TABLE_COMMANDS = new Set(["fit", "eventstudy", "did2s", "sunab"]);

function downloadResult(what: DownloadKind, table?: Table): void {
  const res = state.result;
  if (!res) return;
  const main = !table || table.id === "coefficients" || table.id === "by_type" || table.id === "overall";
  const base = `${fileBase()}${table && !main ? `-${table.id}` : ""}`;
  const paper = main && REGRESSION_TABLE_COMMANDS.has(res.r.command);
  const caption = res.title;
  if (what === "docx") {
    const model = res.r.command === "describe" ? describeTableModel(res.r.json) : paper ? regressionTable([res.r.json], { caption }) : table ? shownTable(table, caption) : null;
    if (model) wordDocument(model).then((b) => downloadBlob(`${base}.docx`, b), (e: Error) => showAlert("run-error", "The table could not be written.", e.message));
    return;
  }
  if (res.r.command === "describe" && (what === "latex" || what === "csv")) {
    download(`${base}.${what === "latex" ? "tex" : "csv"}`, describeTableText(res.r.json, what), what === "latex" ? "application/x-tex" : "text/csv");
    return;
  }
  if (what === "latex" && paper) download(`${base}.tex`, renderRegressionTable([res.r.json], { caption }, "latex"), "application/x-tex");
  else if (what === "csv" && paper) download(`${base}.csv`, renderRegressionTable([res.r.json], {}, "csv"), "text/csv");
  else if ((what === "csv" || what === "tidy") && table) download(`${base}${what === "tidy" ? "-coefficients" : ""}.csv`, tableCsv(table), "text/csv");
  else if (what === "latex" && table) download(`${base}.tex`, tableLatex(table, `${caption}${typeof res.r.json.formula === "string" ? `: ${res.r.json.formula}` : ""}`), "application/x-tex");
  else if (what === "svg" && res.r.svg) download(`${fileBase()}.svg`, res.r.svg, "image/svg+xml");
  else if (what === "png" && res.r.svg) {
    svgToPng(res.r.svg).then((png) => downloadBlob(`${fileBase()}.png`, png), (e: Error) => showAlert("run-error", "The figure could not be saved as PNG.", e.message));
  }
  else if (what === "pdf" && res.r.svg) {
    svgToPdfBlob(res.r.svg).then((pdf) => downloadBlob(`${fileBase()}.pdf`, pdf), (e: Error) => showAlert("run-error", "The figure could not be saved as PDF.", e.message));
  }
  else if (what === "json") download(`${fileBase()}.json`, JSON.stringify(res.r.json, null, 2) + "\n", "application/json");
}

/** Stops a long run: the worker is terminated and a fresh one loads the same data set again. */
async function cancelRun(): Promise<void> {
  if (!state.running) return;
  state.cancelled = true;
  state.client.terminate();
  state.client = startWorker();
  if (state.source) {
    try {
      await state.client.load(DATASET, state.source);
    } catch (e) {
      showAlert("data-error", "Could not reload the data after cancelling.", (e as Error).message);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Wiring

function wire(): void {
  const input = $("#file-input") as HTMLInputElement;
  input.addEventListener("change", () => {
    const f = input.files?.[0];
    input.value = "";
    if (f) void openFile(f);
  });
  const dz = $("#dropzone");
  dz.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      input.click();
    }
  });
  // Drag and drop anywhere on the page.
  const overlay = $("#drop-overlay");
  let depth = 0;
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes("Files");
  window.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener("dragleave", () => {
    if (--depth <= 0) (depth = 0), (overlay.hidden = true);
  });
  window.addEventListener("dragover", (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  window.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = e.dataTransfer?.files;
    if (!files?.length) return;
    if (files.length > 1) showAlert("data-error", null, `Drop one file at a time (got ${files.length}).`);
    else void openFile(files[0]);
  });
  const sel = $("#analysis") as HTMLSelectElement;
  sel.addEventListener("change", () => {
    state.command = sel.value;
    showAlert("run-error", null, null);
    renderAnalysis();
  });
  $("#load-demo").addEventListener("click", () => void openDemo());
  $("#run").addEventListener("click", () => void runAnalysis());
  $("#cancel").addEventListener("click", () => void cancelRun());
  $("#fields").addEventListener("submit", (e) => e.preventDefault());
  $("#fields").addEventListener("keydown", (e) => {
    if ((e as KeyboardEvent).key === "Enter" && (e.target as HTMLElement).tagName === "INPUT") {
      e.preventDefault();
      void runAnalysis();
    }
  });
  for (const t of document.querySelectorAll<HTMLButtonElement>(".tab")) t.addEventListener("click", () => !t.disabled && selectTab(t.dataset.tab as Tab));
}

// The uniform entry for scripts and tests: the same JSON as the CLI's --json, computed in the worker.
const api = {
  run: (command: string, data: RunData, options: Record<string, unknown> = {}) => state.client.run(command, data, options),
  runDetailed: (command: string, data: RunData, options: Record<string, unknown> = {}, call?: { workers?: number; onProgress?: (d: number, t: number) => void }) =>
    state.client.runDetailed(command, data, options, call),
  get ready() {
    return state.client.ready;
  },
  loadDemo: openDemo,
  get version() {
    return state.info?.version ?? null;
  },
};
(globalThis as unknown as { didwasm: typeof api }).didwasm = api;

wire();
fillAnalyses();
document.body.dataset.wired = String(Math.round(performance.now()));
state.client = startWorker();
state.client.ready.then(() => {
  fillAnalyses();
  renderAnalysis();
  // For tests and the browser benchmark: ms since navigation start when everything is usable.
  document.body.dataset.ready = String(Math.round(performance.now()));
}, () => {});
