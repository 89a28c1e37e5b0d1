// A content hash of a Frame: column names, kinds and every cell (numbers by their 64 bits, text columns by
// their codes and levels), in order. Partial resampling results carry it so that parts computed on
// different data are refused when merged. It guards against mistakes (a different or edited file), not
// against forgery, so a fast non-cryptographic hash suffices: four 32-bit lanes, each mixing every fourth
// word with a multiply-rotate step, finished by an avalanche of each lane and the word count (128 bits).
import type { Frame } from "./frame.js";

const M1 = 0x85ebca6b;
const M2 = 0xc2b2ae35;

class Hasher {
  private readonly lanes = Uint32Array.of(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344);
  private count = 0;

  word(w: number): void {
    const k = this.count & 3;
    this.count++;
    let x = Math.imul(w ^ (k + 1), 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    let h = this.lanes[k] ^ Math.imul(x, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    this.lanes[k] = Math.imul(h, 5) + 0xe6546b64;
  }

  words(a: Uint32Array | Int32Array): void {
    this.word(a.length);
    for (let i = 0; i < a.length; i++) this.word(a[i]);
  }

  text(s: string): void {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
  }

  hex(): string {
    const out: string[] = [];
    for (let k = 0; k < 4; k++) {
      // Each lane's avalanche also takes the other lanes and the length, so every word reaches every digit.
      let h = this.lanes[k] ^ this.lanes[(k + 1) & 3] ^ this.count;
      h ^= h >>> 16;
      h = Math.imul(h, M1);
      h ^= h >>> 13;
      h = Math.imul(h, M2);
      h ^= h >>> 16;
      out.push((h >>> 0).toString(16).padStart(8, "0"));
    }
    return out.join("");
  }
}

const bitsOf = (a: Float64Array) => new Uint32Array(a.buffer, a.byteOffset, a.length * 2);

/** 32 hex digits identifying the frame's content. */
export function frameHash(frame: Frame): string {
  const h = new Hasher();
  h.word(frame.nrow);
  h.word(frame.columns.length);
  for (const c of frame.columns) {
    h.text(c.name);
    if (c.kind === "numeric") {
      h.word(1);
      h.words(bitsOf(c.values));
    } else {
      h.word(2);
      h.words(c.codes);
      h.word(c.levels.length);
      for (const l of c.levels) h.text(l);
      if (c.numbers) h.words(bitsOf(c.numbers));
    }
  }
  return h.hex();
}

/** The same hash of a string (for fingerprints of options). */
export function textHash(s: string): string {
  const h = new Hasher();
  h.text(s);
  return h.hex();
}
