// Maps cell bytes to dense level ids without creating a string per cell: bytes are hashed (FNV-1a) into an
// open-addressing table; a JS string is decoded only the first time a distinct byte sequence is seen.
// Cells that are not valid UTF-8 are decoded as Latin-1 (windows-1252), which maps every byte to its own
// character, so different bytes never collapse into one "\uFFFD" label. Two byte sequences with the same
// text (Latin-1 "\xfc" and UTF-8 "\xc3\xbc" are both "ü") get the same id: one text, one level.

const utf8Strict = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("windows-1252");

/** Bytes as text: UTF-8 when they are valid UTF-8, otherwise Latin-1 (windows-1252). */
export function decodeText(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return latin1.decode(bytes); // identical to UTF-8 for ASCII, and never throws
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

export class TextDictionary {
  readonly levels: string[] = [];
  private readonly idOfText = new Map<string, number>();
  /** Slot -> entry index (-1 empty). An entry is one distinct byte sequence; several may share an id. */
  private table = new Int32Array(1024).fill(-1);
  private hashes: number[] = [];
  private starts: number[] = [];
  private lengths: number[] = [];
  private ids: number[] = [];
  private pool = new Uint8Array(4096);
  private used = 0;

  /** FNV-1a as a signed 32-bit integer (the same bits as the unsigned value, so the same slots): kept in
   *  int32 from the start, V8 keeps `hashes` an array of small integers and the hot loop in integer code;
   *  an unsigned hash above 2^31 turned `hashes` into an array of doubles, and the offset basis, above
   *  2^31 too, made the loop a double one, each a deoptimisation of the CSV reader's hot path in every thread. */
  private static hash(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 16777619);
    return h;
  }

  private equals(entry: number, b: Uint8Array, s: number, e: number): boolean {
    const len = e - s;
    if (this.lengths[entry] !== len) return false;
    const p = this.starts[entry];
    for (let i = 0; i < len; i++) if (this.pool[p + i] !== b[s + i]) return false;
    return true;
  }

  /** The id of the text in b[s, e), adding it when new. */
  idOf(b: Uint8Array, s: number, e: number): number {
    const h = TextDictionary.hash(b, s, e);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; ) {
      const entry = this.table[slot];
      // The next slot is computed on every probe, not only after a collision: V8 then has seen the
      // addition when it optimises this (inlined in the CSV reader's hot path), instead of deoptimising
      // it at the first collision.
      const next = (slot + 1) & mask;
      if (entry < 0) return this.insert(slot, h, b, s, e);
      if (this.hashes[entry] === h && this.equals(entry, b, s, e)) return this.ids[entry];
      slot = next;
    }
  }

  private insert(slot: number, h: number, b: Uint8Array, s: number, e: number): number {
    const entry = this.hashes.length;
    const len = e - s;
    if (this.used + len > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.used + len));
      bigger.set(this.pool.subarray(0, this.used));
      this.pool = bigger;
    }
    this.pool.set(b.subarray(s, e), this.used);
    this.starts.push(this.used);
    this.lengths.push(len);
    this.hashes.push(h);
    this.used += len;
    const text = decodeText(b.subarray(s, e));
    let id = this.idOfText.get(text);
    if (id === undefined) {
      id = this.levels.length;
      this.levels.push(text);
      this.idOfText.set(text, id);
    }
    this.ids.push(id);
    this.table[slot] = entry;
    if (this.hashes.length * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.hashes.length; entry++) {
      let slot = this.hashes[entry] & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = entry;
    }
    this.table = table;
  }
}
