// Writing fresh buffers on several threads' page faults. The first write to memory the process has never
// touched costs far more than the write (the system maps each page on its first touch: ~3 ms per MB on a
// virtual machine, against ~0.04 ms per MB for writing touched memory). A fit copies its columns into fresh
// WebAssembly memory, and only this thread can read the columns it copies; so, with kernel threads, this
// thread writes its share of the buffer while each kernel thread zero-fills (touches) a later share, then
// writes the rest into memory already touched. What ends up in the buffer is exactly what the writes put
// there, whatever the thread count: the threads only touch memory nothing has written yet.
import type { Backend, F64Buffer, I32Buffer } from "./backend.js";
import type { Arena } from "./buffers.js";

/** Below this many bytes a buffer is written by this thread alone (handing work over costs ~0.1 ms). */
export const TOUCH_AHEAD_MIN_BYTES = 4 * 2 ** 20;

/** One write into columns [from, to) of an n-row column-major buffer. */
export interface ColumnWrite {
  readonly from: number;
  readonly to: number;
  readonly write: () => void;
}

/**
 * Runs `writes` (disjoint column ranges covering columns 0..C-1 of `data`, n rows each): on a backend with
 * kernel threads, the first writes (about a 1/threads share of the columns) while the kernel threads touch
 * the others' columns, then the others.
 */
export function writeColumnsTouchingAhead(backend: Backend, arena: Arena, data: F64Buffer, n: number, writes: readonly ColumnWrite[]): void {
  const runner = backend.threads;
  const C = writes.reduce((m, w) => Math.max(m, w.to), 0);
  const ordered = [...writes].sort((a, b) => a.from - b.from);
  if (!runner || runner.threads < 2 || 8 * n * C < TOUCH_AHEAD_MIN_BYTES) {
    for (const w of ordered) w.write();
    return;
  }
  const share = C / runner.threads;
  let k = 0;
  while (k < ordered.length && ordered[k].to <= share) k++;
  if (k === 0) k = 1; // the first write alone is more than a share: still one to overlap with
  const first = ordered.slice(0, k);
  const rest = ordered.slice(k);
  const c0 = first[first.length - 1].to;
  const parts = runner.threads - 1;
  const ahead: F64Buffer[] = [];
  for (let p = 0; p < parts; p++) {
    const a = c0 + Math.floor(((C - c0) * p) / parts);
    const b = c0 + Math.floor(((C - c0) * (p + 1)) / parts);
    if (b > a) ahead.push(arena.f64Part(data, a * n, (b - a) * n));
  }
  runner.touchWhile(ahead, () => first.forEach((w) => w.write()));
  for (const w of rest) w.write();
}

/** Writes fresh buffers (i32 ids, typically: `write` gets the buffer's view), each kernel thread touching
 *  one of the later buffers while this thread writes the first; on one thread, plain writes. */
export function writeTouchingAhead(backend: Backend, pairs: ReadonlyArray<{ readonly into: I32Buffer; readonly write: (view: Int32Array) => void }>): void {
  const runner = backend.threads;
  const bytes = pairs.reduce((s, p) => s + p.into.view.byteLength, 0);
  if (!runner || runner.threads < 2 || pairs.length < 2 || bytes < TOUCH_AHEAD_MIN_BYTES) {
    for (const p of pairs) p.write(p.into.view);
    return;
  }
  runner.touchWhile(pairs.slice(1).map((p) => p.into), () => pairs[0].write(pairs[0].into.view));
  for (const p of pairs.slice(1)) p.write(p.into.view);
}
