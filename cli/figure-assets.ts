// What PDF and PNG figures need in Node: the bundled fonts (the package's fonts/ folder) and resvg's
// WebAssembly, read from disk when the first such figure is written.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DidwasmError } from "../bindings/errors.js";
import { FIGURE_FONT_FILES, type FigureAssets } from "../bindings/present/figure-files.js";

/** The package's fonts/ folder: above this file in the source tree (cli/) and in the build (dist/cli/). */
function fontsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    if (existsSync(join(dir, "fonts", FIGURE_FONT_FILES.regular))) return join(dir, "fonts");
  }
  throw new DidwasmError("FILE_NOT_FOUND", `the figure fonts (fonts/${FIGURE_FONT_FILES.regular}) are missing from the didwasm package: reinstall it`);
}

export function figureAssets(): FigureAssets {
  const fonts = fontsFolder();
  const require = createRequire(import.meta.url);
  return {
    fonts: { regular: readFileSync(join(fonts, FIGURE_FONT_FILES.regular)), bold: readFileSync(join(fonts, FIGURE_FONT_FILES.bold)) },
    resvgWasm: readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")),
  };
}
