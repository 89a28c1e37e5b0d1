// sum log(y!) over a Poisson outcome, plain and prior-weighted: the constant of the Poisson log-likelihood,
// needed by the fit's and the null model's. Counts are mostly small whole numbers: their log-factorials
// come from a table of running sums of logs (exact to rounding, the same numbers as log-gamma to ~1e-15
// relative), built up to the largest count; other values (fractions, huge counts) from log-gamma.
// Computed once per outcome array; with a backend, by its kernels (logFactorialTop and logFactorialSums,
// the same bits: a fresh process runs them compiled, where these loops ran mostly unoptimised). The table is only worth building while it is short next to the
// outcome: one log per entry against a log-gamma (a few logs) per observation. Trade flows in euros
// (38,000 rows, counts up to millions) spent 60 ms filling a million-entry table for 38,000 look-ups.
import type { Backend } from "../../engine/backend.js";
import { log } from "../../stats/libm.js";
import { logGamma } from "../../stats/special.js";

/** Whole counts up to this use the table (8 MB at most). */
const TABLE_MAX = 1 << 20;
/** ... and up to this many entries per observation (plus a small fixed part): beyond it log-gamma per
 *  observation is cheaper than filling the table. */
const TABLE_PER_ROW = 2;
const TABLE_MIN = 1024;

export interface LogFactorialSums {
  readonly plain: number;
  readonly weighted: number;
}

const cache = new WeakMap<Float64Array, { pw: Float64Array | null; sums: LogFactorialSums }>();

export function logFactorialSums(y: Float64Array, pw: Float64Array | null, backend: Backend | null = null): LogFactorialSums {
  const known = cache.get(y);
  if (known && known.pw === pw) return known.sums;
  const limit = Math.min(TABLE_MAX, TABLE_MIN + TABLE_PER_ROW * y.length);
  const sums = backend ? onBackend(backend, y, pw, limit) : inTypeScript(y, pw, limit);
  cache.set(y, { pw, sums });
  return sums;
}

function onBackend(backend: Backend, y: Float64Array, pw: Float64Array | null, limit: number): LogFactorialSums {
  const arena = backend.arena();
  try {
    const n = y.length;
    const yB = arena.f64From(y);
    const pwB = pw === null ? null : arena.f64From(pw);
    const top = backend.logFactorialTop(n, yB, limit);
    const out = arena.f64(2, false);
    backend.logFactorialSums(n, yB, pwB, top, arena.f64(top + 1, false), out);
    return { plain: out.view[0], weighted: out.view[1] };
  } finally {
    arena.release();
  }
}

function inTypeScript(y: Float64Array, pw: Float64Array | null, limit: number): LogFactorialSums {
  let top = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === Math.floor(y[i]) && y[i] <= limit && y[i] > top) top = y[i];
  const table = new Float64Array(top + 1);
  for (let k = 2; k <= top; k++) table[k] = table[k - 1] + log(k);
  let plain = 0;
  let weighted = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const lf = v === Math.floor(v) && v <= top ? table[v] : logGamma(v + 1);
    plain += lf;
    weighted += pw === null ? lf : pw[i] * lf;
  }
  return { plain, weighted };
}
