// copyOut (engine/threads/copy-out.ts): a bit-exact copy of doubles out of the WebAssembly memory, shared
// (kernel threads) or not, into fresh JavaScript memory that later writes to the memory do not reach.
import { describe, expect, it } from "vitest";
import { copyOut } from "../../bindings/engine/threads/copy-out.js";

const specials = [0, -0, 1.5, -2.25e-310, Number.MAX_VALUE, Infinity, -Infinity, NaN];

describe.each([true, false])("copyOut, shared memory %s", (shared) => {
  it("copies every bit of a view at an offset (-0, subnormals, infinities, NaN payloads) into unshared memory", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared });
    const view = new Float64Array(memory.buffer, 24, 1000);
    for (let i = 0; i < view.length; i++) view[i] = i < specials.length ? specials[i] : Math.sin(i) * 10 ** ((i % 40) - 20);
    // a NaN with a payload, written as its bit pattern
    new BigInt64Array(memory.buffer, 24 + 8 * 999, 1)[0] = 0x7ff8_0000_dead_beefn;
    const copy = copyOut(view);
    expect(copy.buffer).toBeInstanceOf(ArrayBuffer);
    expect(copy.length).toBe(view.length);
    expect(Array.from(new BigInt64Array(copy.buffer))).toEqual(Array.from(new BigInt64Array(memory.buffer, 24, 1000)));
    expect(Object.is(copy[1], -0)).toBe(true);
    view[5] = 42;
    expect(copy[5]).toBe(Infinity);
  });
});
