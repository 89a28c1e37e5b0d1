// A bounds-checked reader over a byte array for binary file formats (Stata .dta). Every read checks that
// the bytes exist, so a truncated or corrupt file gives a DidwasmError naming what was being read and
// where, never a RangeError or a silently wrong number.
import { DidwasmError } from "../errors.js";

const ascii = new TextDecoder("latin1");

export class ByteCursor {
  readonly view: DataView;
  pos = 0;
  /** Little-endian unless set otherwise (the file's byte order, once known). */
  little = true;

  constructor(
    readonly bytes: Uint8Array,
    /** File name for messages. */
    readonly name: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** A CORRUPT_FILE error that names the file, the byte offset and what was being read. */
  corrupt(what: string, at = this.pos): DidwasmError {
    return new DidwasmError("CORRUPT_FILE", `${this.name}: the file is damaged: ${what} (at byte ${at} of ${this.length})`, { offset: at });
  }

  /** Throws when fewer than n bytes remain at the current position. */
  need(n: number, what: string): void {
    if (!(n >= 0) || this.pos + n > this.length) {
      throw new DidwasmError(
        "CORRUPT_FILE",
        `${this.name}: the file is truncated or damaged: it ends while reading ${what} (needs ${n} bytes at byte ${this.pos}, the file has ${this.length})`,
        { offset: this.pos },
      );
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, this.little);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, this.little);
    this.pos += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, this.little);
    this.pos += 4;
    return v;
  }

  /** An unsigned 64-bit count or offset; larger than 2^53 is corrupt for any file that fits in memory. */
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, this.little);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.corrupt(`${what} is ${v}`);
    this.pos += 8;
    return Number(v);
  }

  /** An unsigned integer of `size` bytes (1..6) in the file's byte order, at an absolute position. */
  uintAt(p: number, size: number): number {
    let v = 0;
    if (this.little) for (let i = size - 1; i >= 0; i--) v = v * 256 + this.bytes[p + i];
    else for (let i = 0; i < size; i++) v = v * 256 + this.bytes[p + i];
    return v;
  }

  bytesOf(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A fixed-width, NUL-padded field: the bytes before the first NUL. */
  fixed(n: number, what: string): Uint8Array {
    const b = this.bytesOf(n, what);
    const end = b.indexOf(0);
    return end < 0 ? b : b.subarray(0, end);
  }

  /** True (and consumed) when the next bytes are the ASCII text `tag`. */
  tryTag(tag: string): boolean {
    if (this.pos + tag.length > this.length) return false;
    for (let i = 0; i < tag.length; i++) if (this.bytes[this.pos + i] !== tag.charCodeAt(i)) return false;
    this.pos += tag.length;
    return true;
  }

  /** Consumes `tag` or throws, quoting what the file has instead. */
  tag(tag: string): void {
    if (this.tryTag(tag)) return;
    if (this.pos + tag.length > this.length) this.need(tag.length, tag);
    const found = ascii.decode(this.bytes.subarray(this.pos, Math.min(this.length, this.pos + tag.length))).replace(/[^\x20-\x7e]/g, "?");
    throw this.corrupt(`expected ${tag}, found "${found}"`);
  }
}
