// Copies of buffers out of the WebAssembly memory into the JavaScript heap. With kernel threads that memory
// is shared, and V8 copies a typed array out of a SharedArrayBuffer (slice, set) element by element with
// atomic loads: a million doubles take ~12 ms, ten times a plain copy. The same bytes seen as 64-bit
// integers copy word by word in ~2 ms (measured on Node 20), so doubles are copied that way. Bit-exact: the
// integers are the doubles' bit patterns, NaN payloads and -0 included.

const sharedMemory = (buffer: ArrayBufferLike): boolean => typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;

/** A copy of `view` in fresh JavaScript memory (as view.slice(), faster out of shared memory). */
export function copyOut(view: Float64Array): Float64Array {
  const out = new Float64Array(view.length);
  if (sharedMemory(view.buffer)) new BigInt64Array(out.buffer).set(new BigInt64Array(view.buffer, view.byteOffset, view.length));
  else out.set(view);
  return out;
}
