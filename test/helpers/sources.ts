// A byte source that hands the reader its bytes in chunks of a given size, so tests can cut a file at
// every awkward place (inside a quoted field, a multi-byte character, a CRLF).
import type { ByteSource } from "../../bindings/data/csv.js";

export function chunkedSource(data: Uint8Array | string, size: number, name = "chunked.csv"): ByteSource {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return {
    name,
    size: bytes.length,
    *chunks() {
      for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
    },
  };
}
