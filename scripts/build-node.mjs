// Builds dist/node/: the library's Node entry (didwasm.js, what the package's "." export names for Node), the
// CLI (cli.js, the package's bin) and their worker scripts, bundled with esbuild from tsc's output (dist/).
//
// WHY. tsc's output is one file per source module: importing the library loads about three hundred of
// them, and Node 20 resolves, reads and compiles each separately (no compile cache before Node 22), which
// cost 0.3-0.5 s before anything ran. A bundle is read and compiled at once. The packages stay external
// (node_modules, loaded as they are, the heavy ones on first use: YAML, Parquet, Word, PDF, HiGHS).
//
// Every entry lands flat in dist/node/, so `import.meta.url` is that folder: the two worker spawn sites
// are rewritten to the bundled worker scripts there, and the build fails when one is missing, so a
// renamed worker cannot silently start tsc's unbundled copy (or nothing). tsc's own dist/bindings and
// dist/cli stay as they are (most tests run them); test/structure/start-modules.test.ts builds these
// bundles and checks what they load and that their workers start.
//
//   node scripts/build-node.mjs [--outdir DIR]    (after `tsc -p tsconfig.build.json`)
import { readFileSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

/** Entry name (dist/node/NAME.js) -> tsc's output it bundles. */
export const NODE_ENTRIES = {
  didwasm: "bindings/index.js",
  cli: "cli/main.js",
  "kernel-thread": "bindings/engine/threads/worker-node.js",
  "resampling-worker": "bindings/resampling/pool/worker-node.js",
};

/** Where the library starts Node workers: the file, the exact URL expression there, and the entry it names. */
export const NODE_SPAWN_SITES = [
  { file: "bindings/engine/threads/spawn-node.js", url: 'new URL("./worker-node.js", import.meta.url)', entry: "kernel-thread" },
  { file: "bindings/resampling/parallel-node.js", url: 'new URL("./pool/worker-node.js", import.meta.url)', entry: "resampling-worker" },
];

/** Rewrites the spawn sites; `seen` collects the files rewritten, which buildNode checks across all entries. */
function workerUrls(seen) {
  return {
    name: "didwasm:node-worker-urls",
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const site = NODE_SPAWN_SITES.find((s) => args.path === join(dist, s.file));
        if (!site) return undefined;
        const code = readFileSync(args.path, "utf8");
        if (!code.includes(site.url)) throw new Error(`${site.file} no longer contains ${site.url}: update NODE_SPAWN_SITES in scripts/build-node.mjs`);
        seen.add(site.file);
        return { contents: code.split(site.url).join(`new URL("./${site.entry}.js", import.meta.url)`), loader: "js" };
      });
    },
  };
}

/** Builds the bundles into `outdir` (default dist/node); returns the output files, relative to it. */
export async function buildNode(outdir = join(dist, "node")) {
  rmSync(outdir, { recursive: true, force: true });
  const seen = new Set();
  // One self-contained file per entry, no chunks shared between entries: measured on the 2-core VM,
  // loading the library as the 16 chunks that splitting across all entries made cost 35-40 ms more than
  // as one file. The workers duplicate code they share with the library; they run in their own
  // isolates, which would compile it again anyway.
  const outputs = await Promise.all(
    Object.entries(NODE_ENTRIES).map(async ([name, file]) => {
      const result = await build({
        entryPoints: { [name]: join(dist, file) },
        outdir,
        bundle: true,
        // The CLI alone is split at its dynamic imports: `didwasm --version` then reads a few hundred bytes
        // (cli/main.ts answers it before importing the program), and the report's modules load only for
        // `didwasm report`.
        splitting: name === "cli",
        chunkNames: "cli-[hash]",
        format: "esm",
        platform: "node",
        target: "node20",
        packages: "external",
        // Whitespace and syntax minified: V8 reads and pre-parses every byte of the file at import. Names
        // are not mangled (stack traces and profiles stay readable; keepNames would cost a call per
        // function at load).
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: "none",
        logLevel: "warning",
        metafile: true,
        plugins: [workerUrls(seen)],
      });
      // A warning here is a broken bundle (an import that will always be undefined, say), where tsc's
      // output would fail to load: refuse it rather than ship it.
      if (result.warnings.length) throw new Error(`${name}: esbuild warned: ${result.warnings.map((w) => `${w.text} (${w.location?.file ?? "?"}:${w.location?.line ?? "?"})`).join("; ")}`);
      return Object.keys(result.metafile.outputs).map((f) => relative(outdir, f));
    }),
  );
  const missed = NODE_SPAWN_SITES.filter((s) => !seen.has(s.file)).map((s) => s.file);
  if (missed.length) throw new Error(`worker spawn sites not bundled: ${missed.join(", ")}`);
  return outputs.flat();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { outdir: { type: "string" } } });
  const files = await buildNode(values.outdir);
  console.log(`node: built ${values.outdir ?? "dist/node"} (${files.join(", ")})`);
}
