// Fresh per-row arrays from a region that idle kernel threads touch ahead (engine/fresh-arrays.ts,
// threads/protocol.ts touchWhileIdle): arrays from the region are zero however the memory was used before,
// never overlap, and keep every value written while the threads touch the region (touching changes no
// value); small arrays, arrays past the region's end, and arrays without a region are ordinary ones.
// Kernel threads run the built JavaScript (dist/), which `npm test` builds first.
import { describe, expect, it } from "vitest";
import "../../dist/bindings/index.js";
import { threadedEngine } from "../../dist/bindings/engine/threaded-engine.js";
import { FRESH_MIN_BYTES, dropFreshRegion, freshCopy, freshF64, freshI32, freshU8, useFreshRegion } from "../../dist/bindings/engine/fresh-arrays.js";
import { IDLE_CHUNK_BYTES, SEQ, controlBlock, idleTouchWords, setIdleTouch, touchWhileIdle } from "../../dist/bindings/engine/threads/protocol.js";

const shared = (a: ArrayBufferView) => a.buffer instanceof SharedArrayBuffer;

describe("fresh arrays", () => {
  it("come zeroed and disjoint from the region, in order; small ones and overflow are ordinary arrays", () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true }); // 4 MiB
    new Uint8Array(memory.buffer).fill(0xab); // memory some earlier use left dirty
    useFreshRegion(memory, 1024, 3 * 2 ** 20);
    try {
      const a = freshF64(2 ** 15); // 256 KiB
      const b = freshI32(2 ** 16 + 1);
      const c = freshU8(FRESH_MIN_BYTES);
      for (const x of [a, b, c]) {
        expect(shared(x)).toBe(true);
        expect(x.every((v) => v === 0)).toBe(true);
      }
      expect(a.byteOffset).toBe(1024);
      expect(b.byteOffset).toBe(a.byteOffset + a.byteLength);
      expect(c.byteOffset).toBeGreaterThanOrEqual(b.byteOffset + b.byteLength);
      expect(c.byteOffset % 8).toBe(0);
      expect(shared(freshF64(10))).toBe(false); // too small to bother
      expect(shared(freshF64(2 ** 19))).toBe(false); // 4 MiB: past the region's end
      const copy = freshCopy(Float64Array.from({ length: 2 ** 14 }, (_, i) => i / 3));
      expect(shared(copy)).toBe(true);
      expect(copy[3]).toBe(1);
    } finally {
      dropFreshRegion(memory);
    }
    expect(shared(freshF64(2 ** 15))).toBe(false); // no region
  });

  it("touching a region while idle changes no value, and stops at a new request", () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
    const control = controlBlock(1);
    const words = idleTouchWords(control);
    const slot = new Int32Array(8);
    const chunks = 8;
    const view = new Float64Array(memory.buffer, 0, (chunks * IDLE_CHUNK_BYTES) / 8);
    view.forEach((_, i) => (view[i] = i + 0.5));
    setIdleTouch(words, 0, chunks);
    Atomics.store(slot, SEQ, 5);
    touchWhileIdle(words, memory, slot, 4); // a request came (SEQ 5, not 4): nothing claimed
    expect(Atomics.load(words, 3)).toBe(0);
    touchWhileIdle(words, memory, slot, 5);
    expect(Atomics.load(words, 3)).toBeGreaterThanOrEqual(chunks);
    expect(view.every((v, i) => v === i + 0.5)).toBe(true);
  });

  it("with kernel threads: arrays written while the threads touch the region keep their values, and runs still work", () => {
    const engine = threadedEngine(2);
    expect(engine.threads.waitReady(30_000)).toBe(true);
    engine.threads.touchFreshAhead(32 * 2 ** 20);
    const arrays = Array.from({ length: 6 }, () => freshF64(2 ** 19)); // 6 x 4 MiB, taken as the thread touches
    expect(arrays.every(shared)).toBe(true);
    arrays.forEach((a, k) => a.forEach((_, i) => (a[i] = k * 1e7 + i)));
    // a kernel run meanwhile (the thread leaves its touching for it), then every value is still there
    const b = engine.backend;
    const arena = b.arena();
    try {
      const N = 4096;
      const X = arena.f64From(Array.from({ length: N }, (_, i) => (i % 7) - 3));
      const blocks = N / 512;
      const whole = arena.f64(blocks);
      b.crossprodBlocks(N, 1, X, null, 0, blocks, whole);
      const parts = arena.f64(blocks);
      engine.threads.run(Array.from({ length: 4 }, (_, j) => ({ kernel: "crossprodBlocks" as const, args: [N, 1, X, null, 2 * j, 2 * j + 2, arena.f64Part(parts, 2 * j, 2)] })));
      expect(Array.from(parts.view)).toEqual(Array.from(whole.view));
    } finally {
      arena.release();
    }
    const start = Date.now();
    while (Date.now() - start < 200); // let the thread finish touching the region
    expect(arrays.every((a, k) => a.every((v, i) => v === k * 1e7 + i))).toBe(true);
  });
});
