// Preload for `node --import bench/lib/warm-engine-preload.mjs dist/cli/main.js fit ...`: warms the shared
// wasm engine up with 20 small calls of each kernel the fit uses before the CLI starts, so V8 has
// optimised code for them by the time the real (single, long) calls run. It emulates a warm-up inside
// engine creation, to price that fix; the CLI's timing_ms.fit does not include the warm-up itself
// (a few milliseconds), which is recorded in process.env.DIDWASM_BENCH_WARMUP_MS.
import { demeanScratchLength } from "../../dist/bindings/engine/backend.js";
import { defaultEngine } from "../../dist/bindings/engine/engine.js";

const t0 = performance.now();
const b = defaultEngine("wasm").backend;
const a = b.arena();
const N = 2000;
const C = 3;
const U = 100;
const T = 20;
const K = 2;
const x = a.f64(N * C);
for (let i = 0; i < N * C; i++) x.view[i] = Math.sin(i);
const fe = a.i32(2 * N);
for (let i = 0; i < N; i++) {
  fe.view[i] = Math.floor(i / T);
  fe.view[N + i] = i % T;
}
const G = a.i32From([U, T]);
const scratch = a.f64(demeanScratchLength(U + T));
const iter = a.i32(C);
const A = a.f64(C * C);
const cl = a.i32From(fe.view.subarray(0, N));
const S = a.f64(U * K);
const meat = a.f64(K * K);
for (let r = 0; r < 20; r++) {
  b.demean(N, C, 2, x, x, fe, G, null, 1e-8, 100, scratch, iter);
  b.crossprod(N, C, x, null, A);
  b.meatCluster(N, K, x, x, null, cl, U, S, meat);
}
a.release();
process.env.DIDWASM_BENCH_WARMUP_MS = String(performance.now() - t0);
