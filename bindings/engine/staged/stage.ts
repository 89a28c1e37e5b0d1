// Copies of host buffers (ordinary typed arrays, outside the WebAssembly heap) in an inner backend's arena,
// for one kernel call or one part of it. The same view passed twice (a kernel told to work in place: in_NC
// and out_NC are one buffer) gets one copy, so the kernel sees the aliasing the caller meant.
import type { Arena, F64Buffer, I32Buffer } from "../buffers.js";
import { DidwasmError } from "../../errors.js";

export type HostBuffer = F64Buffer | I32Buffer;
type View = Float64Array | Int32Array;

/** How much of the inner heap a staged call may use. */
export interface StagingLimits {
  /** All buffers of one staged call (or one part of it) together, in bytes. */
  readonly heapBytes: number;
  /** The largest single buffer, in bytes (the heap's block limit). */
  readonly blockBytes: number;
}

const sameView = (a: View, b: View) => a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length && a.constructor === b.constructor;

/** Bytes of the distinct views among `buffers` (nulls skipped). */
export function distinctBytes(buffers: ReadonlyArray<HostBuffer | null>): number {
  const seen: View[] = [];
  let bytes = 0;
  for (const b of buffers) {
    if (b === null || seen.some((v) => sameView(v, b.view))) continue;
    seen.push(b.view);
    bytes += b.view.byteLength;
  }
  return bytes;
}

/** A host buffer on part of a host view (no copy). */
export function hostPart(view: View, from: number, to: number): HostBuffer {
  const v = view.subarray(from, to);
  return { length: v.length, view: v } as HostBuffer;
}

export function tooLargeForStaging(kernel: string, bytes: number, limits: StagingLimits, why: string): DidwasmError {
  return new DidwasmError(
    "TOO_LARGE",
    `${kernel}: even split into blocks, ${why} needs ${(bytes / 2 ** 20).toFixed(1)} MiB of the WebAssembly heap, which gives a staged call ` +
      `${(limits.heapBytes / 2 ** 20).toFixed(1)} MiB (${(limits.blockBytes / 2 ** 20).toFixed(1)} MiB per buffer): use a subset of the rows or fewer columns`,
    { bytes, heapBytes: limits.heapBytes, blockBytes: limits.blockBytes },
  );
}

export class Stage {
  private readonly copies: Array<{ host: View; inner: HostBuffer }> = [];
  constructor(readonly arena: Arena) {}

  /** The heap copy of a host buffer, made once per distinct view. */
  of<B extends HostBuffer | null>(host: B): B {
    if (host === null) return host;
    const v = host.view;
    const known = this.copies.find((c) => sameView(c.host, v));
    if (known) return known.inner as B;
    const inner = v instanceof Float64Array ? this.arena.f64From(v) : this.arena.i32From(v);
    this.copies.push({ host: v, inner });
    return inner as B;
  }

  /** Rows r0..r1 of each of `cols` columns of an N-row column-major host buffer, packed column-major. */
  rows<B extends HostBuffer | null>(host: B, N: number, cols: number, r0: number, r1: number): B {
    if (host === null) return host;
    const R = r1 - r0;
    const v = host.view;
    const inner = v instanceof Float64Array ? this.arena.f64(R * cols, false) : this.arena.i32(R * cols, false);
    const iv = inner.view;
    for (let c = 0; c < cols; c++) iv.set(v.subarray(c * N + r0, c * N + r1), c * R);
    return inner as B;
  }
}
