// Gaussian kernel density estimate with Silverman's rule-of-thumb bandwidth
// h = 0.9 min(sd, IQR / 1.34) n^(-1/5), evaluated on a grid. exp and pow from ./libm.js (engine-independent).
import { exp, pow } from "./libm.js";

export function silvermanBandwidth(x: ArrayLike<number>): number {
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, n - 1));
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, n - 1)] - sorted[lo]);
  };
  const iqr = q(0.75) - q(0.25);
  const spread = Math.min(sd, iqr / 1.34) || sd || Math.abs(mean) || 1;
  return 0.9 * spread * pow(n, -0.2);
}

export function kernelDensity(x: ArrayLike<number>, grid: ArrayLike<number>, h = silvermanBandwidth(x)): Float64Array {
  const n = x.length;
  const c = 1 / (n * h * Math.sqrt(2 * Math.PI));
  return Float64Array.from(grid, (g) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = (g - x[i]) / h;
      s += exp(-0.5 * z * z);
    }
    return c * s;
  });
}
