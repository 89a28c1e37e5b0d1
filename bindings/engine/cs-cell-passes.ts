// Where a Callaway-Sant'Anna cell's passes over its units run (estimators/did/cs-panel-2x2.ts says what
// they estimate): on a backend's kernels (assembly/cs-cells.ts, or its TypeScript twin on the reference
// backend), over buffers of the backend that hold the cell's design and per-unit arrays; or, for arrays
// built elsewhere (repeated cross sections, tests), the TypeScript twin run on those arrays directly. All
// give the same bits.
import type { Backend, F64Buffer } from "./backend.js";
import type { Arena } from "./buffers.js";
import * as twin from "./reference/cs-cells.js";

/** A cell's per-unit arrays: the design (n x k, row-major), the cohort indicator, the outcome change, the
 *  propensity score and trimming, dr's residuals (then influence function) and control weights. */
export interface CellArrays {
  readonly x: Float64Array;
  readonly D: Float64Array;
  readonly dy: Float64Array;
  readonly ps: Float64Array;
  readonly trim: Float64Array;
  readonly r: Float64Array;
  readonly wc: Float64Array;
}

/** The passes over one cell's n units (k design columns), reading and writing its CellArrays. */
export interface CellPasses {
  /** The arrays, views of n (x: n k) entries; an engine's are taken afresh, valid until it allocates again. */
  arrays(): CellArrays;
  /** Lower triangles of H = X' diag(p (1 - p)) X and g = X'(D - p) at b (the logit's Newton pass). */
  logitPass(b: Float64Array, H: Float64Array, g: Float64Array): void;
  /** ps and trim at the logit's coefficients. */
  propensity(coef: Float64Array, psCap: number, trimLevel: number): void;
  /** Lower triangle of X'X over the controls (D = 0). */
  controlCross(out: Float64Array): void;
  /** X'dY over the controls (D != 1). */
  drMoments(xty: Float64Array): void;
  /** dr's first pass at the outcome coefficients b: r, wc, the four sums and the moments M1, M3, Mr. */
  drSums(b: Float64Array, sums: Float64Array, M1: Float64Array, M3: Float64Array, Mr: Float64Array): void;
  /** dr's influence function, over r. */
  drInfluence(v1: Float64Array, v2: Float64Array, v3: Float64Array, et: number, ec: number, mwt: number, mwc: number): void;
}

const EMPTY = new Float64Array(0);

/** The twin kernels on arrays the caller owns (each of at least the cell's length); the design and D are
 *  needed, the others only by the passes that read or write them (absent: empty). */
export function arrayPasses(given: Pick<CellArrays, "x" | "D"> & Partial<CellArrays>, n: number, k: number): CellPasses {
  const a: CellArrays = { dy: EMPTY, ps: EMPTY, trim: EMPTY, r: EMPTY, wc: EMPTY, ...given };
  const { x, D, dy, ps, trim, r, wc } = a;
  return {
    arrays: () => a,
    logitPass: (b, H, g) => twin.csLogitPass(n, k, x, D, b, H, g),
    propensity: (coef, psCap, trimLevel) => twin.csPropensity(n, k, x, coef, D, psCap, trimLevel, ps, trim),
    controlCross: (out) => twin.csControlCross(n, k, x, D, out),
    drMoments: (xty) => twin.csDrMoments(n, k, x, D, dy, xty),
    drSums: (b, sums, M1, M3, Mr) => twin.csDrSums(n, k, x, dy, D, ps, trim, b, r, wc, sums, M1, M3, Mr),
    drInfluence: (v1, v2, v3, et, ec, mwt, mwc) => twin.csDrInfluence(n, k, x, D, ps, trim, wc, v1, v2, v3, et, ec, mwt, mwc, r),
  };
}

const PER_UNIT = ["x", "D", "dy", "ps", "trim", "r", "wc"] as const;
const SMALL = ["b", "H", "g", "sums", "M1", "M3", "Mr", "v1", "v2", "v3"] as const;

/** A backend's buffers for cells of up to `units` units and k design columns, allocated once for every
 *  cell (a fresh array per cell costs more in first-touch page faults than the passes' arithmetic). */
export class EngineCellPasses {
  private readonly arena: Arena;
  private readonly unit: { readonly [K in (typeof PER_UNIT)[number]]: F64Buffer };
  private readonly small: { readonly [K in (typeof SMALL)[number]]: F64Buffer };

  constructor(private readonly backend: Backend, units: number, private readonly k: number) {
    this.arena = backend.arena();
    const arena = this.arena;
    this.unit = Object.fromEntries(PER_UNIT.map((name) => [name, arena.f64(Math.max(1, name === "x" ? units * k : units), false)])) as EngineCellPasses["unit"];
    this.small = Object.fromEntries(SMALL.map((name) => [name, arena.f64(Math.max(4, k * k), false)])) as EngineCellPasses["small"];
  }

  /** The passes over a cell of n units (n <= units). */
  forCell(n: number): CellPasses {
    const { backend, unit: u, small: s, k } = this;
    /** Copies v into a small buffer and returns the buffer. */
    const into = (buf: F64Buffer, v: Float64Array) => {
      buf.view.set(v.subarray(0, Math.min(v.length, buf.length)));
      return buf;
    };
    const out = (buf: F64Buffer, v: Float64Array, length: number) => v.set(buf.view.subarray(0, length));
    return {
      arrays: () => ({
        x: u.x.view.subarray(0, n * k), D: u.D.view.subarray(0, n), dy: u.dy.view.subarray(0, n), ps: u.ps.view.subarray(0, n),
        trim: u.trim.view.subarray(0, n), r: u.r.view.subarray(0, n), wc: u.wc.view.subarray(0, n),
      }),
      logitPass: (b, H, g) => {
        backend.csLogitPass(n, k, u.x, u.D, into(s.b, b), s.H, s.g);
        out(s.H, H, k * k);
        out(s.g, g, k);
      },
      propensity: (coef, psCap, trimLevel) => backend.csPropensity(n, k, u.x, into(s.b, coef), u.D, psCap, trimLevel, u.ps, u.trim),
      controlCross: (o) => {
        backend.csControlCross(n, k, u.x, u.D, s.H);
        out(s.H, o, k * k);
      },
      drMoments: (xty) => {
        backend.csDrMoments(n, k, u.x, u.D, u.dy, s.g);
        out(s.g, xty, k);
      },
      drSums: (b, sums, M1, M3, Mr) => {
        backend.csDrSums(n, k, u.x, u.dy, u.D, u.ps, u.trim, into(s.b, b), u.r, u.wc, s.sums, s.M1, s.M3, s.Mr);
        out(s.sums, sums, 4);
        out(s.M1, M1, k);
        out(s.M3, M3, k);
        out(s.Mr, Mr, k);
      },
      drInfluence: (v1, v2, v3, et, ec, mwt, mwc) =>
        backend.csDrInfluence(n, k, u.x, u.D, u.ps, u.trim, u.wc, into(s.v1, v1), into(s.v2, v2), into(s.v3, v3), et, ec, mwt, mwc, u.r),
    };
  }

  release(): void {
    this.arena.release();
  }
}
