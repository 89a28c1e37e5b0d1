// Builds dist/node/: the library's Node entry (didwasm.js, what the package's "." export names for Node), the
// CLI (cli.js, the package's bin) and their worker scripts, bundled with esbuild from tsc's output (dist/).
//
// WHY. tsc's output is one file per source module: importing the library loads about three hundred of
// them, and Node 20 resolves, reads and compiles each separately (no compile cache before Node 22), which
// cost 0.3-0.5 s before anything ran. A bundle is read and compiled at once. The packages stay external
// (node_modules, loaded as they are, the heavy ones on first use: YAML, Parquet, Word, PDF, HiGHS).
// The library (didwasm.js) and the CLI's program (cli-program.js, loaded by cli.js after `--version`)
// are scripts compiled with V8's code cache made at build time (cached-script.mjs); the workers are
// plain bundles (ES modules; the CSV reader's thread CommonJS, see COMMONJS_WORKERS). The kernels' .wasm
// files are copied beside them (kernel-source-node.ts).
//
// Every entry lands flat in dist/node/, so `import.meta.url` is that folder: the worker spawn sites
// are rewritten to the bundled worker scripts there, and the build fails when one is missing, so a
// renamed worker cannot silently start tsc's unbundled copy (or nothing). tsc's own dist/bindings and
// dist/cli stay as they are (most tests run them); test/structure/start-modules.test.ts builds these
// bundles and checks what they load and that their workers start.
//
//   node scripts/build-node.mjs [--outdir DIR]    (after `tsc -p tsconfig.build.json`)
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { buildCachedScript, packageImportsToLoader } from "./cached-script.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

/** Entry name (dist/node/NAME.js, or NAME.cjs for COMMONJS_WORKERS) -> tsc's output it bundles. */
export const NODE_ENTRIES = {
  didwasm: "bindings/index.js",
  cli: "cli/main.js",
  "kernel-thread": "bindings/engine/threads/worker-node.js",
  "resampling-worker": "bindings/resampling/pool/worker-node.js",
  "csv-worker": "bindings/data/csv-worker-node.js",
  "parquet-worker": "bindings/data/parquet-worker-node.js",
};

/** Worker entries bundled as CommonJS, NAME.cjs (the others are ES modules, NAME.js). A worker whose script
 *  is an ES module first sets up Node's ES module loader in its fresh isolate: measured on the 2-core VM,
 *  the CSV reader's thread (which needs only node:fs and node:worker_threads) took some 25 ms less CPU to
 *  read a 125 MB file as CommonJS, and starts its first range sooner. */
const COMMONJS_WORKERS = new Set(["csv-worker"]);

/** The file an entry is bundled to in dist/node/. */
const entryFile = (name) => `${name}.${COMMONJS_WORKERS.has(name) ? "cjs" : "js"}`;

/** Where the library starts Node workers: the file, the exact URL expression there, and the entry it names. */
export const NODE_SPAWN_SITES = [
  { file: "bindings/engine/threads/spawn-node.js", url: 'new URL("./worker-node.js", import.meta.url)', entry: "kernel-thread" },
  { file: "bindings/resampling/parallel-node.js", url: 'new URL("./pool/worker-node.js", import.meta.url)', entry: "resampling-worker" },
  { file: "bindings/data/csv-parallel.js", url: 'new URL("./csv-worker-node.js", import.meta.url)', entry: "csv-worker" },
  { file: "bindings/data/parquet-parallel.js", url: 'new URL("./parquet-worker-node.js", import.meta.url)', entry: "parquet-worker" },
];

/** The kernels' bytes: the bundles read the .wasm files copied beside them (kernel-source-node.ts) instead
 *  of carrying them as base64 text (kernel-source.ts), which every import would parse. */
const KERNEL_SOURCE = { file: "bindings/engine/kernel-source.js", node: "bindings/engine/kernel-source-node.js" };
export const KERNEL_BUILDS = ["simd", "scalar", "threads"];

/**
 * For the bundles built as one file: the library's own dynamic imports (`import("../x.js")`, the commands
 * that load an estimator on use) become static ones. In one file they could not be lazy anyway, and esbuild
 * would wrap every module they reach (most of the library) in a lazy-initialiser function, which V8 then
 * parses twice (pre-parsed with the file, compiled again when called) and evaluates through a wrapper:
 * measured on the 2-core VM, about 10 ms of a 70 ms import. Packages stay dynamic (they load on use).
 */
function staticOwnImports(code) {
  if (!/\bimport\("\.{1,2}\//.test(code)) return code;
  const specs = [];
  const body = code.replace(/\bimport\(("\.{1,2}\/[^"]+")\)/g, (_, spec) => `Promise.resolve(__ownModule${specs.push(spec) - 1})`);
  return specs.map((spec, i) => `import * as __ownModule${i} from ${spec};\n`).join("") + body;
}

/**
 * What the bundles change in tsc's output, in one onLoad (esbuild takes the first plugin's answer): the
 * kernel source swapped for the file reader, the spawn sites rewritten to the bundled workers (`seen`
 * collects the files rewritten, which buildNode checks across all entries), and, as `opts` asks, own
 * dynamic imports made static (oneFile) and packages' dynamic imports routed through a cached script's
 * loader (script; see cached-script.mjs).
 */
function transforms(seen, opts) {
  return {
    name: "didwasm:node-transforms",
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(dist)) return undefined;
        const kernels = args.path === join(dist, KERNEL_SOURCE.file);
        let code = readFileSync(kernels ? join(dist, KERNEL_SOURCE.node) : args.path, "utf8");
        const site = NODE_SPAWN_SITES.find((s) => args.path === join(dist, s.file));
        if (site) {
          if (!code.includes(site.url)) throw new Error(`${site.file} no longer contains ${site.url}: update NODE_SPAWN_SITES in scripts/build-node.mjs`);
          seen.add(site.file);
          code = code.split(site.url).join(`new URL("./${entryFile(site.entry)}", import.meta.url)`);
        }
        if (opts.oneFile) code = staticOwnImports(code);
        if (opts.script) code = packageImportsToLoader(code);
        return { contents: code, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/** The CLI's program (the commands, reached after `--version` is ruled out), loaded through the code cache:
 *  cli/main.ts imports io.js and program.js, which the CLI bundle takes from this module. Its cache is
 *  trained on what most runs do (read a CSV, parse a formula, fit with clustered errors, draw placebos,
 *  print JSON; fepois, whose IRLS runs in the CLI's fit time) on a generated panel: measured on the 2-core
 *  VM, a 500-draw placebo process then used 50-90 ms less CPU. The training runs on the reference backend,
 *  and one placebo on the kernels, with V8's flags left as they are (see CLI_TRAINING). */
const CLI_PROGRAM = { name: "cli-program", modules: ["cli/io.js", "cli/program.js"], exports: { "cli/io.js": "processIo", "cli/program.js": "runCli" } };
const CLI_TRAINING = `
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const { rmSync } = await import("node:fs");
  const csv = join(tmpdir(), "didwasm-cache-training-" + process.pid + ".csv");
  let err = "";
  const io = { out() {}, err(t) { err += t; } };
  const roles = "--treat did --unit city --time year --cohort cohort".split(" ");
  const runs = [
    ["demo-data", "--out", csv, "--quiet"],
    ["fit", csv, "--formula", "ire ~ did + lngdp + lnfin | city + year", "--vcov", "cluster:city", "--backend", "reference", "--json"],
    ["placebo", csv, "--formula", "ire ~ did + lngdp | city + year", ...roles, "--kind", "mixed", "--reps", "20", "--seed", "1", "--vcov", "cluster:city", "--backend", "reference", "--json"],
    // fepois with three small fixed effects: the IRLS, the exact dense solve and the Poisson family's host code.
    ["fepois", csv, "--formula", "ire ~ log(lnfin) + lngdp | province + year + cohort", "--backend", "reference", "--json"],
    // The placebo again on the kernels (the default backend): the host code around them (arenas, the
    // backend's calls, the two-way draws' loop) is compiled only on that path.
    ["placebo", csv, "--formula", "ire ~ did + lngdp + lnfin | city + year", ...roles, "--kind", "mixed", "--reps", "50", "--seed", "1", "--vcov", "cluster:city", "--json"],
  ];
  // Loading the kernels sets V8's flags (bindings/engine/node-compile.ts). V8 accepts a cache only under
  // the flags it was made with, and any flag set, even to its default value and back, counts as a change;
  // a CLI process loads the cache before it sets them. So the flags stay untouched here: on this small
  // panel node-compile.ts asks only for lazy compilation, V8's default.
  const v8 = (await import("node:v8")).default;
  const setFlags = v8.setFlagsFromString;
  v8.setFlagsFromString = () => {};
  try {
    for (const argv of runs) if ((await lib.runCli(argv, io)) !== 0) throw new Error("training run " + argv[0] + " failed: " + err);
  } finally {
    v8.setFlagsFromString = setFlags;
    rmSync(csv, { force: true });
  }
`;

/** Packages every CLI run loads, compiled into the program's script (and its cache): measured on the 2-core
 *  VM, Node's import of commander (CommonJS, five files scanned for exports and compiled without a cache)
 *  cost about as many instructions as the rest of the program's load. */
const CLI_BUNDLED_PACKAGES = ["commander"];

function cliProgramImports() {
  return {
    name: "didwasm:cli-program-imports",
    setup(b) {
      b.onResolve({ filter: /^\.\/cli-program\.js$/ }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /main\.js$/ }, (args) => {
        if (args.path !== join(dist, NODE_ENTRIES.cli)) return undefined;
        let code = readFileSync(args.path, "utf8");
        for (const m of CLI_PROGRAM.modules) {
          const spec = `import("./${m.split("/").at(-1)}")`;
          if (!code.includes(spec)) throw new Error(`cli/main.js no longer contains ${spec}: update CLI_PROGRAM in scripts/build-node.mjs`);
          code = code.split(spec).join(`import("./${CLI_PROGRAM.name}.js")`);
        }
        return { contents: code, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/** commander's one use of node:child_process, spawning an executable subcommand (which the CLI has none
 *  of), required on that use instead of when commander loads: requiring it loads node:net and its
 *  bindings, about 9 ms of CPU in every CLI process on the 2-core VM. The build fails if commander's
 *  require changes, rather than bundling it eagerly again unnoticed. */
const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
function deferredChildProcess() {
  return {
    name: "didwasm:deferred-child-process",
    setup(b) {
      b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
        const code = readFileSync(args.path, "utf8");
        if (!code.includes(COMMANDER_CHILD_PROCESS)) throw new Error(`${args.path} no longer contains ${COMMANDER_CHILD_PROCESS}: update deferredChildProcess in scripts/build-node.mjs`);
        const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
        return { contents: code.split(COMMANDER_CHILD_PROCESS).join(lazy), loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Builds the bundles into `outdir` (default dist/node); returns the output files, relative to it. */
export async function buildNode(outdir = join(dist, "node")) {
  rmSync(outdir, { recursive: true, force: true });
  const seen = new Set();
  // The kernels first: the CLI's cache training runs a placebo on them.
  const wasm = KERNEL_BUILDS.map((build) => `didwasm.${build}.wasm`);
  for (const f of wasm) {
    if (!existsSync(join(root, "build", f))) throw new Error(`build/${f} is missing: run \`node scripts/build-wasm.mjs\` first`);
    mkdirSync(outdir, { recursive: true });
    copyFileSync(join(root, "build", f), join(outdir, f));
  }
  // One self-contained file per entry, no chunks shared between entries: measured on the 2-core VM,
  // loading the library as the 16 chunks that splitting across all entries made cost 35-40 ms more than
  // as one file. The workers duplicate code they share with the library; they run in their own
  // isolates, which would compile it again anyway.
  const outputs = await Promise.all([
    // The library and the CLI's program: scripts loaded with V8's code cache (cached-script.mjs).
    buildCachedScript("didwasm", { entryPoints: [join(dist, NODE_ENTRIES.didwasm)] }, outdir, [transforms(seen, { oneFile: true, script: true })]),
    // The program keeps its own dynamic imports (the report's modules and their packages load on use).
    buildCachedScript(
      CLI_PROGRAM.name,
      { stdin: { contents: CLI_PROGRAM.modules.map((m) => `export { ${CLI_PROGRAM.exports[m]} } from "./${m}";`).join("\n"), resolveDir: dist, loader: "js" } },
      outdir,
      [transforms(seen, { oneFile: false, script: true }), deferredChildProcess()],
      CLI_TRAINING,
      CLI_BUNDLED_PACKAGES,
    ),
    ...Object.entries(NODE_ENTRIES).filter(([name]) => name !== "didwasm").map(async ([name, file]) => {
      const result = await build({
        entryPoints: { [name]: join(dist, file) },
        outdir,
        bundle: true,
        // cli.js is cli/main.ts alone: `didwasm --version` reads a few hundred bytes (it answers before
        // importing the program, which is cli-program.js).
        format: COMMONJS_WORKERS.has(name) ? "cjs" : "esm",
        ...(COMMONJS_WORKERS.has(name) ? { outExtension: { ".js": ".cjs" } } : {}),
        platform: "node",
        target: "node20",
        // The Parquet worker carries its Parquet packages: a fresh worker would otherwise resolve and compile
        // some sixty of their files before decoding its first row group, while the calling thread decodes.
        packages: name === "parquet-worker" ? undefined : "external",
        // Whitespace and syntax minified: V8 reads and pre-parses every byte of the file at import. Names
        // are not mangled (stack traces and profiles stay readable; keepNames would cost a call per
        // function at load).
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: "none",
        logLevel: "warning",
        metafile: true,
        plugins: name === "cli" ? [cliProgramImports()] : [transforms(seen, { oneFile: true, script: false })],
      });
      // A warning here is a broken bundle (an import that will always be undefined, say), where tsc's
      // output would fail to load: refuse it rather than ship it.
      if (result.warnings.length) throw new Error(`${name}: esbuild warned: ${result.warnings.map((w) => `${w.text} (${w.location?.file ?? "?"}:${w.location?.line ?? "?"})`).join("; ")}`);
      return Object.keys(result.metafile.outputs).map((f) => relative(outdir, f));
    }),
  ]);
  const missed = NODE_SPAWN_SITES.filter((s) => !seen.has(s.file)).map((s) => s.file);
  if (missed.length) throw new Error(`worker spawn sites not bundled: ${missed.join(", ")}`);
  return [...outputs.flat(), ...wasm];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { outdir: { type: "string" } } });
  const files = await buildNode(values.outdir);
  console.log(`node: built ${values.outdir ?? "dist/node"} (${files.join(", ")})`);
}
