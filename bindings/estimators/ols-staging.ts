// Where a least-squares job runs when it outgrows one WebAssembly heap (32-bit: 4 GiB, at most 1 GiB per
// buffer): its buffers move to ordinary typed arrays and each kernel call is streamed through the heap in
// blocks of columns or rows (engine/staged/), on the same engine and its kernel threads. Results agree
// with the in-heap path to rounding (the demeaning bit for bit). Before the job starts, what it needs is
// counted against the machine's memory, so that a job past it ends in an error that says how much.
import type { Backend } from "../engine/backend.js";
import { forcedMachineMemory, machineMemory } from "../engine/machine-memory.js";
import { DEFAULT_STAGING_LIMITS, createStagedBackend, isStagedBackend, testHeapLimits } from "../engine/staged/staged-backend.js";
import { DidwasmError } from "../errors.js";
import type { Groups } from "../model/groups.js";
import { fmtBytes, fmtInt } from "../present/format.js";
import { checkJobMemory, memoryLimitsOf, type JobShape } from "./ols-memory.js";

const stagedOf = new WeakMap<Backend, Backend>();

/** The staged backend over a wasm backend, made once per backend. */
function stagedBackendOf(inner: Backend): Backend {
  const testHeap = testHeapLimits();
  if (testHeap) return createStagedBackend(inner, testHeap);
  let s = stagedOf.get(inner);
  if (!s) stagedOf.set(inner, (s = createStagedBackend(inner)));
  return s;
}

type Job = JobShape & { readonly backend: Backend };

/**
 * The job itself when its backend can hold it; a wasm job too large for the heap on the staged backend
 * over the same engine, where the platform says how much memory the machine has (else the heap's limit
 * stands: nothing would stop a job past the machine's memory). Throws TOO_LARGE when the backend cannot hold it (a job with explicit
 * memoryLimits is never moved: tests use them to check the refusal) or the machine lacks the memory.
 */
export function jobThatFits<J extends Job>(job: J, n: number, groupsOf: (name: string) => Groups): J {
  const movable = job.backend.name === "wasm" && !job.memoryLimits && !isStagedBackend(job.backend) && machineMemory() !== null && rowsAreTheSize(job);
  if (!movable) {
    checkMachineMemory(checkJobMemory(job, n, groupsOf), n);
    return job;
  }
  const testHeap = testHeapLimits();
  try {
    const heap = testHeap ? { blockBytes: testHeap.blockBytes, totalBytes: testHeap.heapBytes } : undefined;
    checkMachineMemory(checkJobMemory({ ...job, memoryLimits: heap }, n, groupsOf), n);
    return job;
  } catch (e) {
    if (!(e instanceof DidwasmError && e.code === "TOO_LARGE" && e.details.totalLimitBytes !== undefined)) throw e;
  }
  const staged = { ...job, backend: stagedBackendOf(job.backend) };
  const hostBytes = checkJobMemory({ ...staged, memoryLimits: memoryLimitsOf("reference") }, n, groupsOf);
  // The buffers in host memory, the heap's copies of a block of them, and each outcome's residuals copied
  // into the result (twice: in the data's and in the fit's units).
  checkMachineMemory(hostBytes + Math.min(hostBytes, DEFAULT_STAGING_LIMITS.heapBytes) + 16 * n * job.outcomes.length, n);
  return staged;
}

/** Whether what is large is the rows (which staging splits), not the columns: the [Y X] crossproduct and the
 *  matrices derived from it (a few C x C) must fit one staged call, as they do unless i() has thousands of
 *  levels (then the wasm engine's refusal, naming those levels, stands). */
function rowsAreTheSize(job: Job & { readonly outcomes: readonly unknown[] }): boolean {
  const C = job.outcomes.length + job.design.columns.length;
  return 8 * 8 * C * C <= DEFAULT_STAGING_LIMITS.heapBytes;
}

/** Memory any machine that runs this has to spare: jobs needing less are not checked against the system. */
const SURELY_AVAILABLE_BYTES = 256 * 2 ** 20;

/** Refuses a job needing more than the machine has available (where the platform says). */
export function checkMachineMemory(bytes: number, n: number): void {
  // Asking the system costs a read of /proc/meminfo: not worth it for the many small fits of a placebo run.
  const m = bytes < SURELY_AVAILABLE_BYTES ? forcedMachineMemory() : machineMemory();
  if (!m || bytes <= m.available) return;
  throw new DidwasmError(
    "TOO_LARGE",
    `the estimation needs about ${fmtBytes(bytes)} of memory for its ${fmtInt(n)} rows, beyond the data already read, but this machine has ` +
      `${fmtBytes(m.available)} available (${fmtBytes(m.total)} in all): use a subset of the rows, fewer regressors or outcomes, or a machine with ` +
      `at least ${fmtBytes(bytes - m.available + m.total)} of memory`,
    { neededBytes: bytes, availableBytes: m.available, totalBytes: m.total },
  );
}
