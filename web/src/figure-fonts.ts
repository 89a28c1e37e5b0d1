// The fonts figure PDFs embed (fonts/, see fonts/README.md), inlined by the bundler into a script of their
// own, which the page imports on the first PDF asked for. A script rather than a fetched file: the page's
// Content-Security-Policy allows no network connection at all (connect-src 'none'), so that no data can
// leave it, while scripts of its own origin may load.
import bold from "../../fonts/NotoSansCJKsc-Bold.subset.ttf?inline";
import regular from "../../fonts/NotoSansCJKsc-Regular.subset.ttf?inline";

/** The fonts as data: URLs (base64). */
export const FIGURE_FONT_DATA_URLS = { regular, bold } as const;
