// Which byte ranges of the shared WebAssembly memory kernel threads have already touched. A page the
// process has touched stays mapped (WebAssembly memory never shrinks), so touching it again ahead of a
// write only spends both threads' time zero-filling memory whose first write is already cheap: repeated
// fits in one process (a report's models, a benchmark's timed fits) reuse the same freed blocks.

/** Disjoint, sorted [start, end) byte ranges; adjacent or overlapping ones are merged. */
export class TouchedRanges {
  private starts: number[] = [];
  private ends: number[] = [];

  /** Whether every byte of [start, end) has been touched. */
  covers(start: number, end: number): boolean {
    if (end <= start) return true;
    for (let i = 0; i < this.starts.length; i++) {
      if (this.starts[i] <= start) {
        if (end <= this.ends[i]) return true;
      } else break;
    }
    return false;
  }

  /** Records [start, end) as touched. */
  add(start: number, end: number): void {
    if (end <= start) return;
    const starts: number[] = [];
    const ends: number[] = [];
    let placed = false;
    for (let i = 0; i <= this.starts.length; i++) {
      const s = i < this.starts.length ? this.starts[i] : Infinity;
      if (!placed && start <= s) {
        this.push(starts, ends, start, end);
        placed = true;
      }
      if (i < this.starts.length) this.push(starts, ends, s, this.ends[i]);
    }
    this.starts = starts;
    this.ends = ends;
  }

  /** Appends [s, e) to ranges sorted by start, merging it into the last one when they meet. */
  private push(starts: number[], ends: number[], s: number, e: number): void {
    const last = ends.length - 1;
    if (last >= 0 && s <= ends[last]) ends[last] = Math.max(ends[last], e);
    else {
      starts.push(s);
      ends.push(e);
    }
  }
}
