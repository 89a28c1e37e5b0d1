// The machine's memory in Node: os.totalmem, and os.freemem (the kernel's estimate of memory available to
// new work without swapping).
import { freemem, totalmem } from "node:os";
import { registerMachineMemory } from "./machine-memory.js";

export function useNodeMachineMemory(): void {
  registerMachineMemory(() => ({ total: totalmem(), available: freemem() }));
}
