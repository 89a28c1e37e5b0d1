// The fonts figure files are drawn with: Noto Sans CJK SC (Latin, Greek and all of GB2312), regular and
// bold, shipped in the package's fonts/ folder (see fonts/README.md). The library takes their bytes from
// the caller: the CLI reads them from the package, a web page fetches them.

/** The two faces figure text is drawn with (regular, and bold for titles): font files' bytes. */
export interface FigureFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

/** The font files in the package's fonts/ folder. */
export const FIGURE_FONT_FILES: Readonly<Record<keyof FigureFonts, string>> = {
  regular: "NotoSansCJKsc-Regular.subset.ttf",
  bold: "NotoSansCJKsc-Bold.subset.ttf",
};

/** The family those files declare; every font list of a figure falls back to it ("sans-serif"). */
export const FIGURE_FONT_FAMILY = "Noto Sans CJK SC";
