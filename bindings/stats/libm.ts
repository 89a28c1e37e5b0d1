// Deterministic elementary functions: the same bits in Node and in every browser.
//
// WHY. ECMAScript leaves Math.exp, log, pow, sin, cos, tanh, ... "implementation-approximated", and V8
// has changed them between versions (Node 20's and Chromium 156's differ in the last ulp on some
// inputs), so a p-value or a kernel weight computed with them is not reproducible across engines. The
// operations + - * /, Math.sqrt, floor, abs, comparisons and reading a double's bits are exact IEEE-754
// everywhere. Every function here is built from those alone (argument reduction, then a series), so
// its result is a fixed function of its input, whatever the engine. Accuracy (largest error against
// mpmath on 10,000-15,000 inputs per function, test/stats/libm-reference.py): exp 0.54 ulp, expm1 0.58,
// log, log1p and log10 0.50, sin 0.56, cos 0.54, pow 0.54, tanh 1.2 (V8's own are up to 1-2 ulp off).
// Speed: 1.5 to 3 times the time of Math.*, which no numeric path here notices.
//
// Use these, never Math.exp & co, for anything that ends up in a result (test/stats/no-engine-math.test.ts
// enforces it for bindings/). The wasm kernels use AssemblyScript's own libm compiled into the module, which
// is engine-independent as well.
export { exp, expm1, tanh } from "./libm/exp.js";
export { expFast } from "./libm/exp-fast.js";
export { log, log1p, log10 } from "./libm/log.js";
export { pow, pow10 } from "./libm/pow.js";
export { cos, sin } from "./libm/trig.js";
