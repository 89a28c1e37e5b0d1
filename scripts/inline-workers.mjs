// A Vite plugin for the library's self-contained browser build (dist/browser/didwasm.js): the Web Workers the
// library starts are put inside the bundle as code and started from blob: URLs, so the one file works
// wherever it is copied or bundled (esbuild does not follow `new Worker(new URL("./w.js", import.meta.url))`
// and a bundled copy would ask the server for a worker file that is not there).
//
// The source keeps the standard pattern (the web tool's Vite build, webpack and unbundled use follow it);
// this plugin rewrites exactly those spawn sites, and fails the build when one is missing or was left
// unrewritten, so a renamed worker cannot silently 404 in a consumer's bundle.

const VIRTUAL = "virtual:didwasm-inline-workers";
const RESOLVED = "\0didwasm-inline-workers";

/** Where the library starts workers: the file, the exact URL expression, and which worker script it loads
 *  (one script, web-worker/worker.ts, serves as the computation worker and as resampling workers). */
export const SPAWN_SITES = [
  { file: "bindings/web-worker/client.ts", url: 'new URL("./worker.js", import.meta.url)', worker: "worker" },
  { file: "bindings/resampling/parallel-browser.ts", url: 'new URL("../web-worker/worker.js", import.meta.url)', worker: "worker" },
  { file: "bindings/engine/threads/spawn-browser.ts", url: 'new URL("../../web-worker/worker.js", import.meta.url)', worker: "worker" },
];

/** `workers` maps a worker script's name ("worker") to its bundled code (one self-contained ES module).
 *  `self`: the worker script being built, whose own spawn sites start it again from its own (blob:) URL
 *  (it cannot contain itself). */
export function inlineWorkers(workers, { self } = {}) {
  const rewritten = new Set();
  return {
    name: "didwasm:inline-workers",
    enforce: "pre",
    resolveId: (id) => (id === VIRTUAL ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      // One object URL per worker kind, made on first use and kept for the page's lifetime (workers may be
      // started again, e.g. after a cancelled run).
      return [
        `const code = ${JSON.stringify(workers)};`,
        "const urls = {};",
        'export function inlineWorkerUrl(name) { return (urls[name] ??= URL.createObjectURL(new Blob([code[name]], { type: "text/javascript" }))); }',
      ].join("\n");
    },
    transform(code, id) {
      const site = SPAWN_SITES.find((s) => id.replaceAll("\\", "/").endsWith(s.file));
      if (!site) return null;
      const count = code.split(site.url).length - 1;
      if (count !== 1) this.error(`${site.file}: expected the worker spawn ${site.url} exactly once, found it ${count} times`);
      rewritten.add(site.file);
      if (site.worker === self) return code.replace(site.url, "globalThis.location.href");
      if (!(site.worker in workers)) this.error(`${site.file} starts the ${site.worker} worker, which this build was not given`);
      return `import { inlineWorkerUrl as __didwasmWorkerUrl } from "${VIRTUAL}";\n${code.replace(site.url, `__didwasmWorkerUrl(${JSON.stringify(site.worker)})`)}`;
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === "chunk" && /new\s+URL\([^)]*import\.meta\.url/.test(chunk.code)) {
          this.error(`${chunk.fileName} still resolves a file against import.meta.url: a bundled copy would fetch a file that is not there`);
        }
      }
    },
  };
}
