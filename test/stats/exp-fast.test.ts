// expFast (the IRLS's exp) against the 0.54-ulp exp: at most 1 ulp apart everywhere, including the ends of
// the range, where both must agree on overflow, underflow and NaN.
import { describe, expect, it } from "vitest";
import { exp } from "../../bindings/stats/libm.js";
import { expFast } from "../../bindings/stats/libm/exp-fast.js";

const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);
function ulpsApart(a: number, b: number): number {
  bits[0] = a;
  const x = word[0];
  bits[0] = b;
  const y = word[0];
  return Number(x > y ? x - y : y - x);
}

describe("expFast", () => {
  it("is within 1 ulp of exp over the whole range (200,000 inputs, subnormal results included)", () => {
    let worst = 0;
    let state = 12345;
    for (let i = 0; i < 200_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const x = -745 + (1455 * state) / 2 ** 32;
      const d = ulpsApart(expFast(x), exp(x));
      if (d > worst) worst = d;
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("is within 1 ulp near 0, where IRLS means mostly live", () => {
    for (let i = -20_000; i <= 20_000; i++) {
      const x = i * 1e-3;
      expect(ulpsApart(expFast(x), exp(x))).toBeLessThanOrEqual(1);
    }
  });

  it("agrees with exp on exact points and at the ends", () => {
    expect(expFast(0)).toBe(1);
    expect(expFast(-0)).toBe(1);
    expect(ulpsApart(expFast(1), exp(1))).toBeLessThanOrEqual(1);
    expect(expFast(710)).toBe(Infinity);
    expect(expFast(Infinity)).toBe(Infinity);
    expect(expFast(-746)).toBe(0);
    expect(expFast(-Infinity)).toBe(0);
    expect(expFast(NaN)).toBeNaN();
    expect(ulpsApart(expFast(709.78), exp(709.78))).toBeLessThanOrEqual(1);
    expect(ulpsApart(expFast(-745.1), exp(-745.1))).toBeLessThanOrEqual(1);
  });
});
