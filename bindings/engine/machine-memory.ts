// The machine's memory, as the platform reports it (Node registers os.totalmem/os.freemem; browsers do not
// say, and jobs there are bounded by the WebAssembly heap alone). Jobs whose buffers live outside the heap
// are counted against it before they start, so that a job past the machine's memory ends in an error that
// says how much it needs instead of the process being killed halfway.

export interface MachineMemory {
  /** Bytes of memory in all. */
  readonly total: number;
  /** Bytes a process can still take without the system running short. */
  readonly available: number;
}

let probe: (() => MachineMemory) | null = null;

/** Lets jobs check the machine's memory (the Node entry and the CLI register os.totalmem/os.freemem). */
export function registerMachineMemory(p: () => MachineMemory): void {
  probe = p;
}

/** Tests set this environment variable (bytes) to stand for a machine with that much memory available. */
const FORCED_LIMIT_VARIABLE = "DIDWASM_TEST_MEMORY_BYTES";

/** The memory a test stands for, or null (cheap: no system call). */
export function forcedMachineMemory(): MachineMemory | null {
  const forced = forcedLimit();
  return forced === null ? null : { total: forced, available: forced };
}

function forcedLimit(): number | null {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[FORCED_LIMIT_VARIABLE];
  if (v === undefined || v === "") return null;
  const bytes = Number(v);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : null;
}

/** The machine's memory, or null where the platform does not say. */
export function machineMemory(): MachineMemory | null {
  const forced = forcedLimit();
  if (forced !== null) return { total: forced, available: forced };
  return probe ? probe() : null;
}
