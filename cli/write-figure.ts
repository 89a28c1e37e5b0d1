// --plot FILE.svg|pdf|png and the report's figure files: the format from the extension (checked before
// anything is computed), the file rendered by bindings/present/figure-files.ts with the bundled fonts.
import { DidwasmError } from "../bindings/errors.js";
import { FIGURE_FORMATS, figureFile, figureFormatOf, type FigureFormat, type PlotSize } from "../bindings/present/figure-files.js";
import { figureAssets } from "./figure-assets.js";
import { checkWritable, writeFile } from "./write-file.js";

/** The figure format `path` asks for; refuses other extensions and paths that cannot be written. */
export function checkFigurePath(path: string, option: string): FigureFormat {
  const format = figureFormatOf(path);
  if (!format) {
    throw new DidwasmError("BAD_OPTION", `${option} writes ${FIGURE_FORMATS.map((f) => `.${f}`).join(", ")} files (the extension chooses the format): got ${path}`, { option });
  }
  checkWritable(path, option);
  return format;
}

export async function writeFigure(path: string, svg: string, size: PlotSize): Promise<void> {
  const format = figureFormatOf(path) ?? "svg";
  writeFile(path, await figureFile(svg, format, size, figureAssets), `${format.toUpperCase()} figure`);
}
