// What a kernel module imports: `abort` (AssemblyScript's, with its message read from memory) and, for the
// threads build, the shared memory every instance of a thread pool works on. Kept apart from wasm.ts so
// that kernel threads load it without the embedded module bytes.

/** Reads an AssemblyScript string (UTF-16, byte length stored just before it) for abort messages. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

export function kernelImports(memory: () => WebAssembly.Memory | null, shared: WebAssembly.Memory | null): WebAssembly.Imports {
  const env: Record<string, WebAssembly.ImportValue> = {
    abort(msg: number, file: number, line: number, col: number): never {
      const m = memory();
      const text = m ? `${readAsString(m, msg)} at ${readAsString(m, file)}:${line}:${col}` : "abort";
      throw new Error(`wasm kernel aborted: ${text}`);
    },
  };
  if (shared) env.memory = shared;
  return { env };
}
