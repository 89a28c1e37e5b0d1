// The wasm loader's memory contract (bindings/engine/wasm.ts): buffers are raw blocks of the kernels' TLSF
// heap with typed-array views on memory.buffer; growth detaches the old ArrayBuffer, so `.view` must be
// re-created after it; arena.release() returns every block; buffers of another backend are refused.
import { describe, expect, it } from "vitest";
import type { Backend, F64Buffer, I32Buffer } from "../../bindings/engine/backend.js";
import { freshBackend } from "../helpers/backends.js";

const MiB = 2 ** 20;

/** Current size of the instance's memory, read through any of its buffers. */
const memoryBytes = (b: F64Buffer | I32Buffer) => b.view.buffer.byteLength;

describe("wasm arena: allocation", () => {
  it("allocates zeroed, 16-byte aligned, disjoint buffers of the requested length", () => {
    const b = freshBackend("wasm");
    // Dirty the heap first, so that zeroing is the arena's doing and not fresh memory's.
    const dirty = b.arena();
    for (const n of [3, 100, 1000]) dirty.f64From(new Array(n).fill(NaN));
    dirty.i32From(new Array(77).fill(-1));
    dirty.release();

    const a = b.arena();
    const bufs: Array<F64Buffer | I32Buffer> = [a.f64(3), a.i32(77), a.f64(100), a.f64(0), a.i32(1), a.f64(1000)];
    expect(bufs.map((x) => x.length)).toEqual([3, 77, 100, 0, 1, 1000]);
    expect(bufs.map((x) => x.view.length)).toEqual([3, 77, 100, 0, 1, 1000]);
    for (const x of bufs) {
      expect(x.view.every((v) => v === 0)).toBe(true);
      expect(x.view.byteOffset % 16).toBe(0);
    }
    const ranges = bufs.map((x) => [x.view.byteOffset, x.view.byteOffset + x.view.byteLength] as const).sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
    a.release();
  });

  it("f64From and i32From copy the values in", () => {
    const a = freshBackend("wasm").arena();
    expect(Array.from(a.f64From([1.5, -0, 2 ** 60, -3]).view)).toEqual([1.5, -0, 2 ** 60, -3]);
    expect(Array.from(a.i32From(Int32Array.of(1, -2, 2 ** 31 - 1)).view)).toEqual([1, -2, 2 ** 31 - 1]);
    a.release();
  });

  it("refuses a single buffer above the heap's 1 GiB block limit with a TOO_LARGE error, before allocating", () => {
    const a = freshBackend("wasm").arena();
    const probe = a.f64(1);
    const before = memoryBytes(probe);
    expect(() => a.f64(2 ** 27 + 1)).toThrow(expect.objectContaining({ code: "TOO_LARGE" })); // 1 GiB + 8 bytes
    expect(() => a.f64(2 ** 27 + 1)).toThrow(/1 GiB block limit.*--backend reference/);
    expect(memoryBytes(probe)).toBe(before);
    a.release();
  });
});

describe("wasm arena: memory growth", () => {
  it("a large allocation grows memory; old buffers' views are re-created and still read the right values", () => {
    const b = freshBackend("wasm");
    const a = b.arena();
    const x = a.f64From([1.5, -2, 3]);
    const ids = a.i32From([7, 8, 9]);
    const out = a.f64(1);
    const oldView = x.view;
    const oldIds = ids.view;
    const oldMemory = oldView.buffer;
    const before = oldMemory.byteLength;

    const big = a.f64(16 * MiB); // 128 MiB: far beyond the initial 1 MiB (16 pages)
    expect(memoryBytes(x)).toBeGreaterThanOrEqual(before + 128 * MiB);

    // Growth detached the old ArrayBuffer: a view kept from before silently became empty ...
    expect(oldMemory.byteLength).toBe(0);
    expect(oldView.length).toBe(0);
    expect(oldIds.length).toBe(0);
    // ... while `.view` is a new view on the new buffer, at the same place, with the same values.
    expect(x.view === oldView).toBe(false);
    expect(x.view.buffer).toBe(big.view.buffer);
    expect(Array.from(x.view)).toEqual([1.5, -2, 3]);
    expect(Array.from(ids.view)).toEqual([7, 8, 9]);
    // The view is cached until the next growth.
    expect(x.view).toBe(x.view);

    // The big buffer is usable to its last element.
    big.view[big.length - 1] = 42;
    expect(big.view[big.length - 1]).toBe(42);

    // Kernels still find buffers allocated before the growth: x'x = 2.25 + 4 + 9 = 15.25.
    b.crossprod(3, 1, x, null, out);
    expect(out.view[0]).toBe(15.25);
    // Writes through a re-created view reach the kernels: x = (1, 2, 2) -> x'x = 9.
    x.view.set([1, 2, 2]);
    b.crossprod(3, 1, x, null, out);
    expect(out.view[0]).toBe(9);
    a.release();
  });

  it("views stay correct across several growths", () => {
    const b = freshBackend("wasm");
    const a = b.arena();
    const first = a.f64From([0.25, 0.5]);
    const sizes: number[] = [];
    for (let k = 0; k < 4; k++) {
      const blk = a.f64(2 * MiB); // 16 MiB each
      blk.view.fill(k);
      sizes.push(memoryBytes(first));
      expect(Array.from(first.view)).toEqual([0.25, 0.5]);
    }
    expect(sizes[3]).toBeGreaterThan(sizes[0]);
    a.release();
  });
});

describe("wasm arena: release", () => {
  it("allocating and releasing 200 MB twenty times does not keep growing memory", () => {
    const b = freshBackend("wasm");
    const n = 25_000_000; // 200 MB of doubles
    const sizes: number[] = [];
    for (let r = 0; r < 20; r++) {
      const a = b.arena();
      const buf = a.f64(n);
      buf.view[0] = r;
      buf.view[n - 1] = r;
      a.f64(1000); // a small block after the big one, released with it
      sizes.push(memoryBytes(buf));
      a.release();
    }
    // The first round grows memory to hold 200 MB; later rounds reuse the freed block. Allow a few MiB of
    // slack for the heap's bookkeeping, nowhere near another 200 MB.
    expect(sizes[0]).toBeGreaterThanOrEqual(200e6);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(sizes[0] + 4 * MiB);
    expect(sizes[19]).toBe(sizes[1]);
  });

  it("control: without release, the same measurement does see memory grow", () => {
    const b = freshBackend("wasm");
    const a = b.arena();
    const first = a.f64(4 * MiB); // 32 MiB
    const s1 = memoryBytes(first);
    a.f64(4 * MiB);
    a.f64(4 * MiB);
    expect(memoryBytes(first)).toBeGreaterThanOrEqual(s1 + 64 * MiB - MiB);
    a.release();
  });

  it("a released block is reused by the next arena of the backend", () => {
    const b = freshBackend("wasm");
    const a1 = b.arena();
    const p1 = a1.f64(1000).view.byteOffset;
    a1.release();
    const a2 = b.arena();
    expect(a2.f64(1000).view.byteOffset).toBe(p1);
    a2.release();
  });
});

describe("wasm backend: buffers of another backend", () => {
  function jobs(wasm: Backend, bad: { f64: F64Buffer; i32: I32Buffer }, good: { f64: (n: number) => F64Buffer; i32: (n: number) => I32Buffer }) {
    return {
      "crossprod (X)": () => wasm.crossprod(2, 1, bad.f64, null, good.f64(1)),
      "crossprod (out)": () => wasm.crossprod(2, 1, good.f64(2), null, bad.f64),
      "crossprod (weights)": () => wasm.crossprod(2, 1, good.f64(2), bad.f64, good.f64(1)),
      "demean (fe)": () => wasm.demean(2, 1, 1, good.f64(2), good.f64(2), bad.i32, good.i32(1), null, 1e-8, 10, good.f64(7), good.i32(1)),
      "cholesky (keep)": () => wasm.cholesky(1, good.f64(1), good.f64(1), bad.i32, 1e-10),
      "meatCluster (cl)": () => wasm.meatCluster(2, 1, good.f64(2), good.f64(2), null, bad.i32, 1, good.f64(1), good.f64(1)),
    };
  }

  it("a buffer from the reference backend is refused with a clear TypeError", () => {
    const wasm = freshBackend("wasm");
    const ref = freshBackend("reference").arena();
    const bad = { f64: ref.f64From([1, 2]), i32: ref.i32From([0, 0]) };
    const a = wasm.arena();
    const good = { f64: (n: number) => a.f64(n), i32: (n: number) => a.i32(n) };
    for (const [label, job] of Object.entries(jobs(wasm, bad, good))) {
      expect(job, label).toThrow(TypeError);
      expect(job, label).toThrow("buffer was not allocated by this wasm backend's arena");
    }
    a.release();
  });

  it("a plain object shaped like a buffer is refused too", () => {
    const wasm = freshBackend("wasm");
    const a = wasm.arena();
    const fake = { length: 2, view: new Float64Array([1, 2]) };
    expect(() => wasm.crossprod(2, 1, fake, null, a.f64(1))).toThrow(TypeError);
    a.release();
  });

  // A pointer is only meaningful in the memory it came from: another instance's buffer must be refused,
  // not silently read at the same address in this instance's heap.
  it("a buffer from another wasm backend instance is refused", () => {
    const wasmA = freshBackend("wasm");
    const wasmB = freshBackend("wasm");
    const a = wasmA.arena();
    const x = a.f64From([1, 2, 3]);
    const out = a.f64(1);
    try {
      expect(() => wasmB.crossprod(3, 1, x, null, out)).toThrow(TypeError);
    } finally {
      a.release();
    }
  });
});
