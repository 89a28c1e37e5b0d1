// A figure's SVG as a PNG at print resolution, drawn by the browser itself (an <img> of the SVG painted on a
// canvas): no rasteriser is shipped with the page. The PNG says its resolution (a pHYs chunk), so word
// processors place it at the figure's size rather than at 96 dpi's.

/** Print resolution of downloaded figures. */
export const PNG_DPI = 300;
/** CSS pixels per inch: an SVG's width in px is its size at 96 dpi. */
const CSS_DPI = 96;
const INCHES_PER_METRE = 1 / 0.0254;

/** The SVG's size in CSS pixels: its width and height attributes, else its viewBox. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const attr = (name: string) => {
    const m = new RegExp(`\\s${name}="([\\d.]+)(px)?"`).exec(root);
    return m ? Number(m[1]) : NaN;
  };
  let width = attr("width");
  let height = attr("height");
  if (!(width > 0 && height > 0)) {
    const vb = /\sviewBox="([^"]+)"/.exec(root)?.[1].trim().split(/[\s,]+/).map(Number);
    if (vb && vb.length === 4) [width, height] = [vb[2], vb[3]];
  }
  if (!(width > 0 && height > 0)) throw new Error("the figure has no size (width/height or viewBox)");
  return { width, height };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as PNG chunks use it (ISO 3309, the polynomial above, reflected). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The PNG with a pHYs chunk saying `dpi` (pixels per metre on both axes), put right after IHDR. */
export function withResolution(png: Uint8Array, dpi: number): Uint8Array {
  // Signature (8 bytes), then IHDR: length (4), type (4), 13 bytes of data, CRC (4).
  const ihdrEnd = 8 + 4 + 4 + 13 + 4;
  if (String.fromCharCode(...png.subarray(12, 16)) !== "IHDR") throw new Error("not a PNG");
  const chunk = new Uint8Array(4 + 4 + 9 + 4);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  const ppm = Math.round(dpi * INCHES_PER_METRE);
  view.setUint32(8, ppm);
  view.setUint32(12, ppm);
  chunk[16] = 1; // unit: metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)));
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, ihdrEnd));
  out.set(chunk, ihdrEnd);
  out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.length);
  return out;
}

/** Renders the SVG to a PNG at PNG_DPI on a white background. */
export async function svgToPng(svg: string): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const scale = PNG_DPI / CSS_DPI;
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const g = canvas.getContext("2d");
    if (!g) throw new Error("this browser cannot draw on a canvas");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, "image/png"));
    if (!blob) throw new Error("the figure could not be converted to PNG");
    return new Blob([withResolution(new Uint8Array(await blob.arrayBuffer()), PNG_DPI) as BlobPart], { type: "image/png" });
  } finally {
    URL.revokeObjectURL(url);
  }
}
