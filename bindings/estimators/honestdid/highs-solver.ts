// HiGHS, the `highs` package (HiGHS compiled to WebAssembly: the same solver in Node and in browsers), for
// the sensitivity analysis's convex programs: the fixed-length interval's quadratic programs (flci.ts).
// It is loaded on first use only, so commands that never solve one do not pay for its 3.5 MB module.
//
// Loading: in Node the package finds its highs.wasm beside itself; in a browser the bundler serves the
// file the package names with `new URL("highs.wasm", import.meta.url)`. The loaded runtime is kept for
// the life of the page or process (compiling the module again for every analysis would cost more than
// the analysis): it holds no state between solves, each program gets its own model, disposed after use.
import type { Highs, Model } from "highs";
import type { Mat } from "./dense.js";

let runtime: Promise<Highs> | null = null;

/** The HiGHS runtime, loaded once. */
export function loadHighs(): Promise<Highs> {
  runtime ??= import("highs").then((m) => (m.default as unknown as (o?: object) => Promise<Highs>)()).catch((e: unknown) => {
    runtime = null;
    throw new Error(`could not load the HiGHS solver (the highs package's WebAssembly): ${(e as Error)?.message ?? String(e)}`);
  });
  return runtime;
}

/** min 1/2 x'Hx + c'x subject to rowLower <= A x <= rowUpper, colLower <= x <= colUpper (infinities as
 *  +-Infinity); H symmetric positive semidefinite, dense, or absent for a linear program. */
export interface DenseProgram {
  readonly cost: ArrayLike<number>;
  readonly colLower: ArrayLike<number>;
  readonly colUpper: ArrayLike<number>;
  readonly A: Mat;
  readonly rowLower: ArrayLike<number>;
  readonly rowUpper: ArrayLike<number>;
  readonly hessian?: Mat;
}

export interface ProgramSolution {
  readonly optimal: boolean;
  /** HiGHS's model status name ("Optimal", "Infeasible", ...). */
  readonly status: string;
  readonly x: Float64Array;
  readonly objective: number;
}

/** A program kept in HiGHS between solves whose linear costs change (warm-started). */
export interface ProgramModel {
  setCost(cost: ArrayLike<number>): void;
  solve(): ProgramSolution;
  dispose(): void;
}

const finite = (v: number, inf: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);

export function createProgram(highs: Highs, p: DenseProgram): ProgramModel {
  const inf = highs.infinity;
  const { A } = p;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      const v = A.data[i * A.cols + j];
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    }
    starts.push(indices.length);
  }
  let hessian;
  if (p.hessian) {
    const H = p.hessian;
    const hs = [0];
    const hi: number[] = [];
    const hv: number[] = [];
    for (let j = 0; j < H.cols; j++) {
      for (let i = j; i < H.rows; i++) {
        const v = H.data[i * H.cols + j];
        if (v !== 0) {
          hi.push(i);
          hv.push(v);
        }
      }
      hs.push(hi.length);
    }
    hessian = { format: "triangular" as const, dimension: H.cols, starts: hs, indices: hi, values: hv };
  }
  const n = A.cols;
  const model: Model = highs.createModel({
    numCols: n, numRows: A.rows,
    colCost: Array.from(p.cost),
    colLower: Array.from(p.colLower, (v) => finite(v, inf)), colUpper: Array.from(p.colUpper, (v) => finite(v, inf)),
    rowLower: Array.from(p.rowLower, (v) => finite(v, inf)), rowUpper: Array.from(p.rowUpper, (v) => finite(v, inf)),
    matrix: { format: "csr", numRows: A.rows, numCols: n, starts, indices, values },
    ...(hessian ? { hessian } : {}),
  });
  model.options.set({ output_flag: false });
  const statusName = (code: number) => Object.entries(highs.constants.modelStatus).find(([, c]) => c === code)?.[0] ?? String(code);
  return {
    setCost(cost) {
      model.changeColsCost({ kind: "range", from: 0, to: n - 1 }, Array.from(cost));
    },
    solve() {
      const run = model.run();
      const optimal = run.modelStatus === highs.constants.modelStatus.optimal;
      const x = optimal ? Float64Array.from(model.getSolution().colValue) : new Float64Array(n).fill(NaN);
      return { optimal, status: statusName(run.modelStatus), x, objective: optimal ? model.getObjectiveValue() : NaN };
    },
    dispose() {
      model.dispose();
    },
  };
}
