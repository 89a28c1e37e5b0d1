// What test/browser/libm.test.ts bundles for the page: the deterministic elementary functions, the
// distribution functions built on them, the PRNG's normal draws and the demo panel generator.
export * as libm from "../../bindings/stats/libm.js";
export { chi2UpperP, fUpperP, normalQuantile, tQuantile, tTwoSidedP } from "../../bindings/stats/distributions.js";
export { Xoshiro128 } from "../../bindings/random/xoshiro.js";
export { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
