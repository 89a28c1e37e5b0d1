// Maps cell bytes to dense level ids without creating a string per cell: bytes are hashed (FNV-1a) into an
// open-addressing table; a JS string is decoded only the first time a distinct value is seen.

const utf8 = new TextDecoder("utf-8");

export class TextDictionary {
  readonly levels: string[] = [];
  private table = new Int32Array(1024).fill(-1);
  private hashes: number[] = [];
  private starts: number[] = [];
  private lengths: number[] = [];
  private pool = new Uint8Array(4096);
  private used = 0;

  private static hash(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 16777619);
    return h >>> 0;
  }

  private equals(id: number, b: Uint8Array, s: number, e: number): boolean {
    const len = e - s;
    if (this.lengths[id] !== len) return false;
    const p = this.starts[id];
    for (let i = 0; i < len; i++) if (this.pool[p + i] !== b[s + i]) return false;
    return true;
  }

  /** The id of the text in b[s, e), adding it when new. */
  idOf(b: Uint8Array, s: number, e: number): number {
    const h = TextDictionary.hash(b, s, e);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.table[slot];
      if (id < 0) return this.insert(slot, h, b, s, e);
      if (this.hashes[id] === h && this.equals(id, b, s, e)) return id;
    }
  }

  private insert(slot: number, h: number, b: Uint8Array, s: number, e: number): number {
    const id = this.levels.length;
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
    this.levels.push(utf8.decode(b.subarray(s, e)));
    this.table[slot] = id;
    if (this.levels.length * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.levels.length; id++) {
      let slot = this.hashes[id] & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
  }
}
