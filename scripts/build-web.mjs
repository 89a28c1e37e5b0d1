// Builds, with Vite (Rolldown), for browsers:
//   web/dist/            the web tool: the page, its computation worker and the resampling workers;
//   dist/browser/        the library's browser entry (bindings/browser.ts) as one ES module, didwasm.js, plus
//                        its worker scripts, importable by a page without a bundler:
//                        `import { feols, loadEngine, createComputeWorker } from "./didwasm.js"`.
// Neither may contain Node built-ins: any import of one (node:fs, worker_threads, ...) fails the build
// instead of being stubbed out.
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

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

/** What both builds share: no config file, relative base, quiet, no Node built-ins (also in workers). */
const common = {
  configFile: false,
  base: "./",
  logLevel: process.env.DIDWASM_BUILD_VERBOSE ? "info" : "warn",
  publicDir: false,
  plugins: [noNodeBuiltins()],
  worker: { format: "es", plugins: () => [noNodeBuiltins()] },
};
const output = { emptyOutDir: true, target: "es2022", reportCompressedSize: false, sourcemap: false };

await build({
  ...common,
  root: join(root, "web"),
  build: { ...output, outDir: join(root, "web", "dist"), modulePreload: { polyfill: false } },
});
await build({
  ...common,
  root,
  build: {
    ...output,
    outDir: join(root, "dist", "browser"),
    minify: true,
    lib: { entry: join(root, "bindings", "browser.ts"), formats: ["es"], fileName: () => "didwasm.js" },
  },
});
console.log("web: built web/dist (the web tool) and dist/browser/didwasm.js (the library for browsers)");
