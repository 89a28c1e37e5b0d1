// Kernel threads run one instance of the kernels each on one shared memory (engine/threaded-engine.ts). A
// work area reserved with memory.data is the same bytes for every instance, so two threads in the same
// kernel would overwrite each other's numbers (it happened: fixef-schur's cell sums made the CG of two
// threads spin). Work areas come from thread-local.ts; only it may reserve static memory.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ASSEMBLY = join(import.meta.dirname, "../../assembly");

describe("kernels on shared memory", () => {
  it("no kernel reserves static memory but thread-local.ts", () => {
    const files = readdirSync(ASSEMBLY).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    const users = files.filter((f) => /memory\.data\s*[(<]/.test(readFileSync(join(ASSEMBLY, f), "utf8").replace(/\/\/.*$/gm, "")));
    expect(users).toEqual(["thread-local.ts"]);
  });
  it("thread-local offsets are in order and inside the area", () => {
    const src = readFileSync(join(ASSEMBLY, "thread-local.ts"), "utf8");
    const offsets = [...src.matchAll(/export const (TL_\w+): i32 = (\d+);/g)].map((m) => Number(m[2]));
    const total = Number(/THREAD_LOCAL_BYTES: i32 = (\d+)/.exec(src)![1]);
    expect(offsets.length).toBeGreaterThanOrEqual(4);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(Math.max(...offsets)).toBeLessThan(total);
  });
});
