// Fast start (issue 15), guarded without timing: what a process loads before it can answer, counted by
// module hooks in child processes (module-log-hooks.mjs). Loading is what cost the time (some three
// hundred files of tsc's output, each resolved, read and compiled), so the count is the guard:
//   - `didwasm --version` answers from cli/main.ts and the version, without the program, the commands,
//     the kernels or any package;
//   - the Node bundles (scripts/build-node.mjs; the package's bin and "." export) load as one file, the
//     library without any package (YAML, Parquet, Word, PDF, HiGHS load on first use; the CLI's program
//     carries commander in its cached script);
//   - the bundles' workers start: the spawn sites were rewritten to the bundled worker scripts;
//   - the library and the CLI's program load as scripts with V8's code cache (the module hooks see only
//     their small loaders), which V8 accepts, and which costs only time when it does not; the kernels
//     are .wasm files beside the bundles.
// The speed itself is measured by bench/start.bench.mjs.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode, KERNEL_BUILDS } from "../../scripts/build-node.mjs";
import { cacheAccepted } from "../../scripts/cached-script.mjs";
import { VERSION } from "../../bindings/version.js";
import { ROOT } from "./import-graph.js";

const WORK = join(ROOT, "test-output", `start-modules-${process.pid}`);
const BUNDLE = join(WORK, "node");
const TSC_CLI = join(ROOT, "dist", "cli", "main.js");
const HOOKS = pathToFileURL(join(ROOT, "test", "structure", "module-log-hooks.mjs")).href;
const REGISTER = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(HOOKS)})`;
/** Packages that are costly to load and that no start may load before it needs them. */
const HEAVY_PACKAGES = ["commander", "yaml", "hyparquet", "hyparquet-compressors", "docx", "pdfkit", "svg-to-pdfkit", "highs", "@resvg/resvg-wasm"];

let runs = 0;
/** Runs node with the module log; returns its exit status, stdout and the URLs it loaded. */
function traced(argv: string[]): { status: number | null; stdout: string; stderr: string; modules: string[] } {
  const log = join(WORK, `modules-${++runs}.txt`);
  const r = spawnSync(process.execPath, ["--import", REGISTER, ...argv], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DIDWASM_MODULE_LOG: log } });
  const modules = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

const project = (modules: string[]) => modules.filter((u) => u.startsWith("file:") && !u.includes("/node_modules/") && u !== HOOKS);
const packages = (modules: string[]) => [...new Set(modules.filter((u) => u.includes("/node_modules/")).map((u) => u.split("/node_modules/").at(-1)!.split("/").slice(0, u.includes("/node_modules/@") ? 2 : 1).join("/")))];

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  await buildNode(BUNDLE);
}, 120_000);
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe("the module hooks", () => {
  it("log what a process loads (so an empty log below means nothing, not a broken log)", () => {
    const r = traced(["--input-type=module", "-e", 'await import("yaml")']);
    expect(r.status, r.stderr).toBe(0);
    expect(packages(r.modules)).toEqual(["yaml"]);
  });
});

describe("didwasm --version", () => {
  it("from tsc's output loads cli/main.js and the version only", () => {
    expect(existsSync(TSC_CLI), "run `npx tsc -p tsconfig.build.json` first").toBe(true);
    const r = traced([TSC_CLI, "--version"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
    expect(project(r.modules).map((u) => u.slice(u.indexOf("/dist/") + 1)).sort()).toEqual(["dist/bindings/version.js", "dist/cli/main.js"]);
    expect(packages(r.modules)).toEqual([]);
  });

  it("from the bundle (the package's bin) loads its entry and at most one small chunk", () => {
    const r = traced([join(BUNDLE, "cli.js"), "--version"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
    const files = project(r.modules);
    expect(files.length).toBeLessThanOrEqual(2);
    for (const f of files) expect(readFileSync(new URL(f)).length, f).toBeLessThan(4096);
    expect(packages(r.modules)).toEqual([]);
  });
});

describe("the bundled library", () => {
  it("is one file that loads no package until it is used", () => {
    const r = traced(["--input-type=module", "-e", `const m = await import(${JSON.stringify(pathToFileURL(join(BUNDLE, "didwasm.js")).href)}); console.log(m.VERSION, typeof m.run, typeof m.feols)`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`${VERSION} function function`);
    expect(project(r.modules).map((u) => u.split("/").at(-1))).toEqual(["didwasm.js"]);
    expect(packages(r.modules).filter((p) => HEAVY_PACKAGES.includes(p))).toEqual([]);
  });
});

describe("the code cache and the kernel files (scripts/cached-script.mjs, kernel-source-node.ts)", () => {
  const importLib = (dir: string) =>
    spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(pathToFileURL(join(dir, "didwasm.js")).href)}); console.log(JSON.stringify(Object.keys(m).sort()))`], { encoding: "utf8" });

  it("V8 accepts the caches the build wrote for the library and the CLI's program", () => {
    expect(cacheAccepted(BUNDLE, "didwasm")).toBe(true);
    expect(cacheAccepted(BUNDLE, "cli-program")).toBe(true);
  });

  it("the bundled library exports what tsc's output of bindings/index.ts exports", async () => {
    const r = importLib(BUNDLE);
    expect(r.status, r.stderr).toBe(0);
    const tsc = Object.keys(await import(pathToFileURL(join(ROOT, "dist", "bindings", "index.js")).href)).sort();
    expect(JSON.parse(r.stdout)).toEqual(tsc);
  });

  it("a cache V8 rejects (another Node, or damaged) only costs time: the library loads and computes as before", () => {
    const stale = join(WORK, "stale");
    cpSync(BUNDLE, stale, { recursive: true });
    writeFileSync(join(stale, "didwasm.core.v8cache"), Buffer.alloc(4096, 7));
    expect(cacheAccepted(stale, "didwasm")).toBe(false);
    const fit = (dir: string) => spawnSync(process.execPath, ["--input-type=module", "-e",
      `const m = await import(${JSON.stringify(pathToFileURL(join(dir, "didwasm.js")).href)}); const f = m.readCsvFile(${JSON.stringify(join(ROOT, "examples", "smart-city.csv"))}); console.log(m.feols(f, "ire ~ did | city + year").coef("did"))`], { encoding: "utf8" });
    const a = fit(stale);
    const b = fit(BUNDLE);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(Number(a.stdout)).toBeTypeOf("number");
    expect(a.stdout).toBe(b.stdout);
  });

  it("the script is ASCII (read as latin1), and its escaped non-ASCII patterns match as tsc's output does", async () => {
    expect(/[^\x00-\x7f]/.test(readFileSync(join(BUNDLE, "didwasm.core.js"), "latin1"))).toBe(false);
    const text = "R² ≥ 0.5, ±1 × 10 − 3 ≤ x³, 图 1，ok";
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(pathToFileURL(join(BUNDLE, "didwasm.js")).href)}); console.log(JSON.stringify(m.escapeLatex(${JSON.stringify(text)})))`], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const { escapeLatex } = await import(pathToFileURL(join(ROOT, "dist", "bindings", "index.js")).href);
    expect(escapeLatex(text)).not.toBe(text);
    expect(JSON.parse(r.stdout)).toBe(escapeLatex(text));
  });

  it("the kernels are .wasm files beside the bundles, the same bytes tsc's output decodes from base64", async () => {
    const { kernelSource } = await import(pathToFileURL(join(ROOT, "dist", "bindings", "engine", "kernel-source.js")).href);
    for (const build of KERNEL_BUILDS) {
      const file = readFileSync(join(BUNDLE, `didwasm.${build}.wasm`));
      expect(file.length, build).toBeGreaterThan(1000);
      expect(Buffer.from(kernelSource(build)).equals(file), build).toBe(true);
    }
    // ...and the bundles carry no base64 copy of them.
    const simd = Buffer.from(kernelSource("simd")).toString("base64").slice(0, 200);
    expect(readFileSync(join(BUNDLE, "didwasm.core.js"), "utf8")).not.toContain(simd);
    expect(readFileSync(join(BUNDLE, "cli-program.core.js"), "utf8")).not.toContain(simd);
  });
});

describe("the bundled CLI", () => {
  const placebo = (workers: number) => [join(BUNDLE, "cli.js"), "placebo", join(ROOT, "examples", "smart-city.csv"),
    "--formula", "ire ~ did + lngdp | city + year", "--treat", "did", "--unit", "city", "--time", "year", "--kind", "mixed",
    "--reps", "40", "--seed", "7", "--workers", String(workers), "--json",
    // t statistics refit over the rows, so the draws go to the workers (plain two-way draws stay in the calling thread)
    "--t-stats"];
  const withoutTiming = (stdout: string) => {
    const { timing_ms: _t, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
    return rest;
  };

  it("a placebo run on two resampling workers (the bundled worker script) equals the run in one thread, and loads no heavy package (commander is compiled into the program's script)", () => {
    expect(existsSync(join(ROOT, "examples", "smart-city.csv")), "examples/smart-city.csv is made by `npm run build`").toBe(true);
    const one = traced(placebo(1));
    const two = traced(placebo(2));
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(withoutTiming(two.stdout)).toEqual(withoutTiming(one.stdout));
    expect(JSON.stringify(JSON.parse(two.stdout).notes)).not.toContain("calling thread"); // the workers did run
    expect(packages(one.modules).filter((p) => HEAVY_PACKAGES.includes(p))).toEqual([]);
    expect(readFileSync(join(BUNDLE, "cli-program.core.js"), "latin1")).toContain("_executableHandler"); // commander's own code
  });

  it("a placebo whose output is piped loads neither node:child_process nor node:net (commander's spawn required on use, the output written to descriptor 1)", () => {
    const preload = join(WORK, "builtins-at-exit.cjs");
    const list = join(WORK, "builtins.txt");
    writeFileSync(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));`);
    // spawnSync pipes stdout and stderr: the case where building process.stdout would load node:net.
    const r = spawnSync(process.execPath, ["--require", preload, ...placebo(1).slice(0, -1)], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).reps).toBe(40);
    const builtins = readFileSync(list, "utf8").split("\n");
    expect(builtins).toContain("NativeModule fs"); // the list is real
    expect(builtins.filter((m) => /^NativeModule (net|child_process|tty)$/.test(m))).toEqual([]);
  });

  it("a fit on two kernel threads finds the bundled thread script", () => {
    const r = traced([join(BUNDLE, "cli.js"), "fit", join(ROOT, "examples", "smart-city.csv"), "--formula", "ire ~ did | city + year", "--threads", "2", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout).notes)).not.toMatch(/thread script|not built/);
  });
});

describe("the bundled library's CSV reader threads", () => {
  it("read a file of 8 MB or more with the bundled csv-worker script (columns in shared memory), as the serial reader does", () => {
    const file = join(WORK, "wide.csv");
    writeFileSync(file, "a,b\n" + Array.from({ length: 900_000 }, (_, i) => `${i},${(i % 97) * 0.25}`).join("\n") + "\n");
    const lib = JSON.stringify(pathToFileURL(join(BUNDLE, "didwasm.js")).href);
    const read = (threads: number) =>
      spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${lib}); const f = await m.readDataFile(${JSON.stringify(file)}, { threads: ${threads} }); const v = f.columns[1].values; let s = 0; for (const x of v) s += x; console.log(f.nrow, s, v.buffer instanceof SharedArrayBuffer)`], { encoding: "utf8" });
    const two = read(2);
    const one = read(1);
    expect(two.status, two.stderr).toBe(0);
    expect(one.status, one.stderr).toBe(0);
    expect(two.stdout.trim().split(" ")).toEqual([...one.stdout.trim().split(" ").slice(0, 2), "true"]);
  });

  it("read a Parquet file's row groups with the bundled parquet-worker script, as the whole-file reader does", () => {
    const file = join(ROOT, "test", "data", "fixtures", "panel-plain.parquet");
    const lib = JSON.stringify(pathToFileURL(join(BUNDLE, "didwasm.js")).href);
    const read = (threads: number) =>
      spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${lib}); const f = await m.readDataFile(${JSON.stringify(file)}, { threads: ${threads} }); const v = f.column("x1").values; let s = 0; for (const x of v) s += Number.isNaN(x) ? 0 : x; console.log(f.nrow, s, v.buffer instanceof SharedArrayBuffer)`], { encoding: "utf8" });
    const two = read(2);
    const one = read(1);
    expect(two.status, two.stderr).toBe(0);
    expect(one.status, one.stderr).toBe(0);
    expect(two.stdout.trim().split(" ")).toEqual([...one.stdout.trim().split(" ").slice(0, 2), "true"]);
  });
});
