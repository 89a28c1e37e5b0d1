// Browser entry point: the shared API (no Node built-ins). On a page's main thread call
// `await loadEngine()` once before estimating (browsers refuse synchronous compilation of large modules).
export * from "./api.js";
