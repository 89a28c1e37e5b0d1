// HiGHS, the `highs` package (HiGHS compiled to WebAssembly: the same solver in Node and in browsers), for
// the sensitivity analysis's convex programs: the fixed-length interval's quadratic programs (flci.ts).
// It is loaded on first use only, so commands that never solve one do not pay for its 3.5 MB module.
//
// Loading: in Node the package finds its highs.wasm beside itself; in a browser the bundler serves the
// file the package names with `new URL("highs.wasm", import.meta.url)`. The loaded runtime is kept for
// the life of the page or process (compiling the module again for every analysis would cost more than
// the analysis): it holds no state between solves, each program gets its own model, disposed after use.
//
// A platform may compile the module itself and be told when calls into HiGHS begin and end
// (useHighsPlatform; Node's is highs-node.ts, which keeps HiGHS on V8's baseline compiler). Every call into
// HiGHS from this file runs between the two.
import type { Highs, Model } from "highs";
import type { Mat } from "./dense.js";

/** What a platform does about HiGHS's WebAssembly module. */
export interface HighsPlatform {
  /** HiGHS's module compiled from the package's highs.wasm, or null to let the package compile it. */
  compile(): WebAssembly.Module | null;
  /** Calls into HiGHS begin (the first call of a HiGHS function compiles that function)... */
  enter(): void;
  /** ...and end. */
  leave(): void;
}

let platform: HighsPlatform | null = null;
/** Depth of nested stretches of calls into HiGHS: the platform hears of the outermost only. */
let depth = 0;

/** Lets this process compile and call HiGHS its own way (before the first loadHighs; null: the package's). */
export function useHighsPlatform(p: HighsPlatform | null): void {
  platform = p;
}

/** Runs `f`, a stretch of synchronous calls into HiGHS. */
export function inHighs<T>(f: () => T): T {
  enterHighs();
  try {
    return f();
  } finally {
    leaveHighs();
  }
}

function enterHighs(): void {
  if (depth++ === 0) platform?.enter();
}

function leaveHighs(): void {
  if (--depth === 0) platform?.leave();
}

type HighsFactory = (options?: object) => Promise<Highs>;

let runtime: Promise<Highs> | null = null;

/** The HiGHS runtime, loaded once. */
export function loadHighs(): Promise<Highs> {
  runtime ??= import("highs").then((m) => startRuntime(m.default as unknown as HighsFactory)).catch((e: unknown) => {
    runtime = null;
    throw new Error(`could not load the HiGHS solver (the highs package's WebAssembly): ${(e as Error)?.message ?? String(e)}`);
  });
  return runtime;
}

/** The package's loader, given the platform's compiled module when it has one; the runtime's start-up
 *  calls into HiGHS (its C++ initialisers, a probe model) count as calls. */
async function startRuntime(factory: HighsFactory): Promise<Highs> {
  enterHighs();
  try {
    const module = platform?.compile() ?? null;
    if (!module) return await factory();
    return await new Promise<Highs>((resolve, reject) => {
      // Emscripten's hook: it imports from `imports` and starts the runtime once handed the instance.
      const instantiateWasm = (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) => {
        WebAssembly.instantiate(module, imports).then(receive, reject);
        return {};
      };
      factory({ instantiateWasm }).then(resolve, reject);
    });
  } finally {
    leaveHighs();
  }
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
  const spec = {
    numCols: n, numRows: A.rows,
    colCost: Array.from(p.cost),
    colLower: Array.from(p.colLower, (v) => finite(v, inf)), colUpper: Array.from(p.colUpper, (v) => finite(v, inf)),
    rowLower: Array.from(p.rowLower, (v) => finite(v, inf)), rowUpper: Array.from(p.rowUpper, (v) => finite(v, inf)),
    matrix: { format: "csr" as const, numRows: A.rows, numCols: n, starts, indices, values },
    ...(hessian ? { hessian } : {}),
  };
  const model: Model = inHighs(() => {
    const created = highs.createModel(spec);
    created.options.set({ output_flag: false });
    return created;
  });
  const statusName = (code: number) => Object.entries(highs.constants.modelStatus).find(([, c]) => c === code)?.[0] ?? String(code);
  return {
    setCost(cost) {
      inHighs(() => model.changeColsCost({ kind: "range", from: 0, to: n - 1 }, Array.from(cost)));
    },
    solve() {
      return inHighs(() => {
        const run = model.run();
        const optimal = run.modelStatus === highs.constants.modelStatus.optimal;
        const x = optimal ? Float64Array.from(model.getSolution().colValue) : new Float64Array(n).fill(NaN);
        return { optimal, status: statusName(run.modelStatus), x, objective: optimal ? model.getObjectiveValue() : NaN };
      });
    },
    dispose() {
      inHighs(() => model.dispose());
    },
  };
}
