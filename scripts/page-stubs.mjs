// A Vite plugin for the web tool's page (not its workers): the page only builds forms from the command
// schemas, renders results and talks to the computation worker, which holds the engine. Importing the
// command registry for the schemas still pulls in the kernels' bytes and the reference backend, about a
// sixth of everything the browser downloads; here they are replaced by stubs that throw if ever called, so
// a page that started computing by mistake fails loudly (the browser tests run the page) instead of
// silently doubling its size.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const NOT_ON_PAGE = "the web tool's page does not compute: the computation worker does (scripts/page-stubs.mjs)";

/** Stub source for each module, by its path in the repository. */
function stubs(root) {
  // The generated module's constant names, read from it, each an empty string (no kernels on the page).
  const bytes = readFileSync(join(root, "bindings/engine/wasm-bytes.generated.ts"), "utf8");
  const names = [...bytes.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
  if (names.length === 0) throw new Error("page-stubs: bindings/engine/wasm-bytes.generated.ts exports no constant");
  return {
    "bindings/engine/wasm-bytes.generated.ts": names.map((n) => `export const ${n} = "";`).join("\n"),
    "bindings/engine/wasm-bytes-scalar.generated.ts": 'export const WASM_SCALAR_BASE64 = "";',
    "bindings/engine/reference/index.ts": ["createReferenceBackend", "createHostArena"]
      .map((f) => `export function ${f}() { throw new Error(${JSON.stringify(NOT_ON_PAGE)}); }`)
      .join("\n"),
  };
}

export function pageStubs(root) {
  const table = stubs(root);
  const used = new Set();
  return {
    name: "didwasm:page-stubs",
    enforce: "pre",
    load(id) {
      const path = Object.keys(table).find((p) => id.replaceAll("\\", "/").endsWith(p));
      if (!path) return null;
      used.add(path);
      return table[path];
    },
    buildEnd() {
      // A stub that no longer matches a module is a sign the layout changed: say so rather than ship the bytes.
      const unused = Object.keys(table).filter((p) => !used.has(p));
      if (unused.length) this.error(`page-stubs: ${unused.join(", ")} no longer in the page's graph; update scripts/page-stubs.mjs`);
    },
  };
}
