// Every kernel test runs on both backends: a fresh engine per backend, never the shared defaults.
import { createEngine } from "../../bindings/engine/engine.js";
import type { Backend } from "../../bindings/engine/backend.js";

export const backendNames = ["wasm", "reference"] as const;

export function freshBackend(name: (typeof backendNames)[number]): Backend {
  return createEngine({ backend: name }).backend;
}
