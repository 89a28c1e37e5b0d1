// Tanh-sinh (double exponential) quadrature on [0, 1] (Takahasi and Mori 1974): x = 1 / (1 + e^(-pi sinh t))
// on the grid t = k h. The substitution makes the integrand decay double exponentially at both ends, so
// the trapezoidal rule in t converges exponentially even for integrands with log or power singularities
// at an endpoint, which Gauss-Legendre handles only algebraically. Such endpoint singularities are what the
// separated multivariate normal integrand (mvn-rectangle.ts) has when a limit lies far in a tail.
import { exp } from "./libm.js";

/** Nodes and weights for step h (the rule has about 2 * 3.2 / h points; halving h roughly doubles the digits). */
export function tanhSinh01(h: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes: number[] = [];
  const weights: number[] = [];
  const kMax = Math.ceil(3.2 / h);
  for (let k = -kMax; k <= kMax; k++) {
    const t = k * h;
    const et = exp(t);
    const sinh = (et - 1 / et) / 2;
    const cosh = (et + 1 / et) / 2;
    const e = exp(-Math.PI * sinh);
    // x and 1 - x each from its own formula, so neither loses digits next to its endpoint.
    const x = 1 / (1 + e);
    const oneMinusX = e / (1 + e);
    const w = h * Math.PI * cosh * x * oneMinusX;
    if (!(x > 0 && oneMinusX > 0 && w > 1e-300)) continue;
    nodes.push(x);
    weights.push(w);
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights) };
}
