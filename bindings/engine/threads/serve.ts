// A kernel thread's life: instantiate the threads build on the shared memory, point its per-instance work
// area at its own block, say it is ready, then run the kernel calls posted to its slot until shut down.
// Platform-free: the Node and browser entries only receive the init and call serveKernels.
import { kernelImports } from "../kernel-imports.js";
import { KERNEL_NAMES } from "../kernel-signatures.js";
import {
  DONE, KERNEL, NARGS, READY, RESULT, RUN_QUEUED, SEQ, SHUTDOWN, STATUS, STATUS_ERROR, STATUS_OK, ZERO_FILL, ZERO_FILL_CLAIMED, slotViews, touchClaimedChunks, writeMessage,
  type KernelThreadInit,
} from "./protocol.js";
import { claimQueue, serveRun } from "./claim-queue.js";

type RawKernel = (...args: number[]) => number | undefined;

export function serveKernels(init: KernelThreadInit): void {
  const v = slotViews(init.control, init.slot);
  const instance = new WebAssembly.Instance(init.module, kernelImports(() => init.memory, init.memory));
  (instance.exports.setThreadLocal as (ptr: number) => void)(init.threadLocal);
  const kernels = KERNEL_NAMES.map((name) => instance.exports[name] as RawKernel);
  const queue = claimQueue(init.control);
  Atomics.store(v.ints, READY, 1);
  Atomics.notify(v.ints, READY);
  let seen = 0;
  for (;;) {
    Atomics.wait(v.ints, SEQ, seen);
    const seq = Atomics.load(v.ints, SEQ);
    if (seq === seen) continue;
    if (seq === SHUTDOWN) return;
    seen = seq;
    try {
      const args = Array.from(v.args.subarray(0, v.ints[NARGS]));
      // memory.buffer is read anew: the caller's thread may have grown the memory since the last request.
      if (v.ints[KERNEL] === ZERO_FILL) new Uint8Array(init.memory.buffer, args[0], args[1]).fill(0);
      else if (v.ints[KERNEL] === ZERO_FILL_CLAIMED) touchClaimedChunks(init.memory.buffer, args[0], args[1], args[2], args[3]);
      else if (v.ints[KERNEL] === RUN_QUEUED) serveRun(queue, args[0], args[1], init.slot, kernels, (message) => writeMessage(v, message));
      else v.ints[RESULT] = kernels[v.ints[KERNEL]](...args) ?? 0;
      v.ints[STATUS] = STATUS_OK;
    } catch (e) {
      writeMessage(v, e instanceof Error ? e.message : String(e));
      v.ints[STATUS] = STATUS_ERROR;
    }
    Atomics.store(v.ints, DONE, seq);
    Atomics.notify(v.ints, DONE);
  }
}
