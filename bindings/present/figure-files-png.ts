// SVG -> PNG with resvg (Rust's SVG renderer compiled to WebAssembly: the same pixels in Node and in
// browsers). Loaded on the first PNG asked for, so nothing else pays for it. Text is drawn with the fonts
// given (figure-files-fonts.ts): resvg's WebAssembly build sees no system fonts, and a figure should not
// depend on the machine that drew it.
import { FIGURE_FONT_FAMILY, type FigureFonts } from "./figure-files-fonts.js";
import { withDpi } from "./figure-files-png-dpi.js";
import { PNG_DPI, printInches, type PlotSize } from "./figure-files-size.js";

/** resvg's WebAssembly: its bytes, a compiled module, or a URL (Response) to fetch it from. */
export type ResvgWasm = BufferSource | WebAssembly.Module | URL | Response | Promise<Response>;

export interface PngOptions {
  readonly size: PlotSize;
  readonly fonts: FigureFonts;
  /** resvg's index_bg.wasm (in Node: read from node_modules/@resvg/resvg-wasm; in a page: its URL). */
  readonly resvgWasm: ResvgWasm;
}

type Resvg = typeof import("@resvg/resvg-wasm");

// resvg-wasm keeps one WebAssembly instance per JavaScript realm and refuses a second initWasm, so the
// loaded library is remembered here (the one piece of module state: it is the library's own).
let loaded: Promise<Resvg> | null = null;

function loadResvg(wasm: ResvgWasm): Promise<Resvg> {
  loaded ??= import("@resvg/resvg-wasm").then(async (lib) => {
    await lib.initWasm(wasm as Parameters<Resvg["initWasm"]>[0]);
    return lib;
  });
  // A failed load (a wrong URL) may be retried with other bytes.
  loaded.catch(() => (loaded = null));
  return loaded;
}

/** The figure as a PNG `size` wide at 300 dpi, with its resolution recorded in the file. */
export async function svgToPng(svg: string, o: PngOptions): Promise<Uint8Array> {
  const { Resvg } = await loadResvg(o.resvgWasm);
  const widthPx = Math.round(printInches(svg, o.size).width * PNG_DPI);
  const renderer = new Resvg(svg, {
    fitTo: { mode: "width", value: widthPx },
    background: "white",
    font: {
      fontBuffers: [o.fonts.regular, o.fonts.bold],
      defaultFontFamily: FIGURE_FONT_FAMILY,
      sansSerifFamily: FIGURE_FONT_FAMILY,
      serifFamily: FIGURE_FONT_FAMILY,
    },
  });
  try {
    const image = renderer.render();
    try {
      return withDpi(image.asPng(), PNG_DPI);
    } finally {
      image.free();
    }
  } finally {
    renderer.free();
  }
}
