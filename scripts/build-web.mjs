// Builds, with Vite (Rolldown), for browsers:
//   web/dist/            the web tool: the page, its computation worker and the resampling workers;
//   dist/browser/        the library's browser entry (bindings/browser.ts) as one self-contained ES module,
//                        didwasm.js, its Web Workers inside it (scripts/inline-workers.mjs): what the package's
//                        `browser` export condition names, so `import { run } from "didwasm"` bundles with
//                        esbuild, Vite or webpack, and a page without a bundler can import the file directly.
// Neither may contain Node built-ins: any import of one (node:fs, worker_threads, ...) fails the build
// instead of being stubbed out.
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { inlineWorkers } from "./inline-workers.mjs";
import { pageStubs } from "./page-stubs.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const builtins = new Set(builtinModules);

/** Fails the build on any Node built-in, naming the importer. */
function noNodeBuiltins() {
  return {
    name: "didwasm:no-node-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      if (id.startsWith("node:") || builtins.has(id) || builtins.has(id.split("/")[0])) {
        this.error(`the browser bundle must not import the Node built-in "${id}" (imported by ${importer ?? "?"})`);
      }
      return null;
    },
  };
}

/** The HiGHS solver's Emscripten glue (the `highs` package, loaded on demand by honestdid) reaches Node's
 *  modules only inside `if (ENVIRONMENT_IS_NODE)` branches, which never run in a browser: those imports are
 *  removed from the browser build (the branches stay, dead), so the Node built-in check above holds. */
function highsForBrowsers() {
  return {
    name: "didwasm:highs-for-browsers",
    enforce: "pre",
    transform(code, id) {
      if (!/node_modules[\\/]highs[\\/]build[\\/]highs\.mjs$/.test(id)) return null;
      return code.replace(/await import\("node:module"\)/g, "{}").replace(/require\("node:[a-z_]+"\)/g, "undefined");
    },
  };
}

/** The self-contained library file (dist/browser/didwasm.js, its worker inlined) cannot fetch files beside
 *  itself, and embedding the solver's 3.5 MB of WebAssembly would multiply its size: there `highs` is a
 *  module whose loader fails with this explanation (Delta^RM needs no solver and works). */
function highsLeftOut() {
  const stub = "\0didwasm-highs-left-out";
  return {
    name: "didwasm:highs-left-out",
    enforce: "pre",
    resolveId: (id) => (id === "highs" ? stub : null),
    load: (id) =>
      id === stub
        ? 'export default () => Promise.reject(new Error("the self-contained browser file didwasm.js does not include the HiGHS solver (3.5 MB) that smoothness bounds (delta sd) need; relative magnitudes (delta rm) work, and the web tool includes it"));'
        : null,
  };
}

/** The kernels' bytes for browsers (bindings/engine/kernel-source-browser.ts): the scalar build, a fallback
 *  no current browser needs, in a chunk loaded on demand instead of in every page's start. */
function browserKernelSource() {
  const browser = join(root, "bindings", "engine", "kernel-source-browser.ts");
  return {
    name: "didwasm:browser-kernel-source",
    enforce: "pre",
    resolveId(id, importer) {
      return id === "./kernel-source.js" && importer && /bindings[\\/]engine[\\/]wasm\.ts$/.test(importer) ? browser : null;
    },
  };
}

/** What both builds share: no config file, relative base, quiet, no Node built-ins (also in workers). */
const common = {
  configFile: false,
  base: "./",
  logLevel: process.env.DIDWASM_BUILD_VERBOSE ? "info" : "warn",
  publicDir: false,
  plugins: [noNodeBuiltins(), highsForBrowsers(), browserKernelSource()],
  worker: { format: "es", plugins: () => [noNodeBuiltins(), highsForBrowsers(), browserKernelSource()] },
};
const output = { emptyOutDir: true, target: "es2022", reportCompressedSize: false, sourcemap: false };

await build({
  ...common,
  root: join(root, "web"),
  plugins: [noNodeBuiltins(), highsForBrowsers(), browserKernelSource(), pageStubs(root)],
  // The manifest (web/dist/.vite/manifest.json) tells which chunks load only on demand (the Word writer),
  // for the size budget's test.
  build: { ...output, outDir: join(root, "web", "dist"), modulePreload: { polyfill: false }, manifest: true },
});
/** The worker script as a single ES module's code (dynamic imports inlined: a worker started from a blob:
 *  URL cannot load chunks relative to itself); the workers it starts are itself, from its own URL. */
async function workerCode(entry) {
  const out = await build({
    ...common,
    root,
    plugins: [noNodeBuiltins(), highsLeftOut(), browserKernelSource(), inlineWorkers({}, { self: "worker" })],
    build: {
      ...output, write: false, minify: true,
      lib: { entry: join(root, entry), formats: ["es"], fileName: () => "worker.js" },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output).filter((c) => c.type === "chunk");
  if (chunks.length !== 1) throw new Error(`${entry}: expected one chunk, got ${chunks.map((c) => c.fileName).join(", ")}`);
  return chunks[0].code;
}

const worker = await workerCode("bindings/web-worker/worker.ts");
await build({
  ...common,
  root,
  plugins: [noNodeBuiltins(), highsLeftOut(), browserKernelSource(), inlineWorkers({ worker })],
  build: {
    ...output,
    outDir: join(root, "dist", "browser"),
    minify: true,
    lib: { entry: join(root, "bindings", "browser.ts"), formats: ["es"], fileName: () => "didwasm.js" },
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
console.log("web: built web/dist (the web tool) and dist/browser/didwasm.js (the library for browsers)");
