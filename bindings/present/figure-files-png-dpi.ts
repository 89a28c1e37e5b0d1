// Records a PNG's resolution (a pHYs chunk) so that Word, LibreOffice and LaTeX place a 300 dpi figure at
// its print size instead of at 96 or 72 pixels per inch. resvg writes no pHYs chunk of its own.
// PNG: an 8-byte signature, then chunks of (length, type, data, CRC-32 of type and data); pHYs must come
// before the first IDAT, so it goes right after IHDR (always the first chunk).

const INCHES_PER_METRE = 1 / 0.0254;

/** CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as PNG's chunks use it. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The PNG with a pHYs chunk saying `dpi` (in pixels per metre, unit 1, as the format stores it). */
export function withDpi(png: Uint8Array, dpi: number): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const ihdrEnd = 8 + 12 + view.getUint32(8);
  const data = new Uint8Array(9);
  const ppm = Math.round(dpi * INCHES_PER_METRE);
  new DataView(data.buffer).setUint32(0, ppm);
  new DataView(data.buffer).setUint32(4, ppm);
  data[8] = 1;
  const phys = chunk("pHYs", data);
  const out = new Uint8Array(png.length + phys.length);
  out.set(png.subarray(0, ihdrEnd), 0);
  out.set(phys, ihdrEnd);
  out.set(png.subarray(ihdrEnd), ihdrEnd + phys.length);
  return out;
}
