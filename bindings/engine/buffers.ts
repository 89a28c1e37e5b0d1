// The buffers kernels work on. A buffer is a handle owned by the backend that allocated it (WebAssembly
// memory for "wasm", an ordinary typed array for "reference"), so the wasm backend passes pointers without
// copying. Buffer names carry their length (see assembly/demean.ts).

/** A buffer of doubles owned by one backend. `view` is always current: the wasm backend re-creates it
 *  after memory growth (an old view of grown memory silently has length 0). */
export interface F64Buffer {
  readonly length: number;
  readonly view: Float64Array;
}

/** A buffer of 32-bit integers owned by one backend; see F64Buffer. */
export interface I32Buffer {
  readonly length: number;
  readonly view: Int32Array;
}

/** The buffers of one job. Allocate what the job needs, run kernels, then release everything at once. */
export interface Arena {
  /** Zero-filled unless `zero` is false (for buffers the caller overwrites entirely). */
  f64(length: number, zero?: boolean): F64Buffer;
  i32(length: number, zero?: boolean): I32Buffer;
  f64From(values: ArrayLike<number>): F64Buffer;
  /** A handle on part of an existing buffer (no copy; valid as long as the buffer is). */
  f64Part(buffer: F64Buffer, offset: number, length: number): F64Buffer;
  i32From(values: ArrayLike<number>): I32Buffer;
  release(): void;
}
