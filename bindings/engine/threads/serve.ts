// A kernel thread's life: instantiate the threads build on the shared memory, point its per-instance work
// area at its own block, say it is ready, then serve the requests posted to its slot (touching memory
// ahead, taking kernel calls from the claim queue) until shut down.
// Platform-free: the Node and browser entries only receive the init and call serveKernels.
import { kernelImports } from "../kernel-imports.js";
import { KERNEL_NAMES } from "../kernel-signatures.js";
import {
  DONE, KERNEL, NARGS, READY, RUN_QUEUED, SEQ, SHUTDOWN, ZERO_FILL, ZERO_FILL_CLAIMED, idleTouchWords, slotViews, touchClaimedChunks, touchWhileIdle, writeMessage,
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
  const idle = idleTouchWords(init.control);
  Atomics.store(v.ints, READY, 1);
  Atomics.notify(v.ints, READY);
  let seen = 0;
  for (;;) {
    // Between requests: the first touch of the caller's fresh-array region, until a request comes.
    try {
      touchWhileIdle(idle, init.memory, v.ints, seen);
    } catch {
      // touching only saves the caller time: nothing is lost
    }
    Atomics.wait(v.ints, SEQ, seen);
    const seq = Atomics.load(v.ints, SEQ);
    if (seq === seen) continue;
    if (seq === SHUTDOWN) return;
    seen = seq;
    const args = Array.from(v.args.subarray(0, v.ints[NARGS]));
    const kind = v.ints[KERNEL];
    // Kernel calls come through the claim queue, which reports their failures itself (serveRun).
    if (kind === RUN_QUEUED) serveRun(queue, args[0], args[1], init.slot, kernels, (message) => writeMessage(v, message));
    else {
      try {
        // memory.buffer is read anew: the caller's thread may have grown the memory since the last request.
        if (kind === ZERO_FILL) new Uint8Array(init.memory.buffer, args[0], args[1]).fill(0);
        else if (kind === ZERO_FILL_CLAIMED) touchClaimedChunks(init.memory.buffer, args[0], args[1], args[2], args[3]);
        // TOUCH_IDLE: nothing here; it only woke the thread for touchWhileIdle at the top of the loop
      } catch {
        // Touching only runs ahead of the caller, which writes the memory itself anyway: nothing is lost,
        // and DONE must still be stored below.
      }
    }
    Atomics.store(v.ints, DONE, seq);
    Atomics.notify(v.ints, DONE);
  }
}
