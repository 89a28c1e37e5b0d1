// Kernel calls claimed one at a time (engine/threads/claim-queue.ts): each call runs exactly once whoever
// takes it, a thread that wakes for a run already over claims nothing, a failure on a kernel thread is
// reported without leaving the caller waiting, and a run of more calls than threads gives the one-call
// numbers. Kernel threads run the built JavaScript (dist/), which `npm test` builds first.
import { describe, expect, it } from "vitest";
import "../../dist/bindings/index.js";
import { threadedEngine } from "../../dist/bindings/engine/threaded-engine.js";
import { awaitRun, claim, claimQueue, finish, nextGeneration, openRun, serveRun, QUEUE_BYTES } from "../../dist/bindings/engine/threads/claim-queue.js";
import { Xoshiro128 } from "../../dist/bindings/random/xoshiro.js";

const queue = () => claimQueue(new SharedArrayBuffer(64 + QUEUE_BYTES));

describe("the claim queue", () => {
  it("hands out each call once, in order, to the run's generation only", () => {
    const q = queue();
    const gen = nextGeneration(41);
    openRun(q, gen, [{ kernel: 3, raw: [1, 2] }, { kernel: 4, raw: [] }, { kernel: 5, raw: [7] }]);
    expect(claim(q, gen - 1, 3)).toBe(-1); // a thread woken for an earlier run
    expect([claim(q, gen, 3), claim(q, gen, 3), claim(q, gen, 3), claim(q, gen, 3)]).toEqual([0, 1, 2, -1]);
    [0, 1, 2].forEach((i) => finish(q, i, 10 + i));
    expect(awaitRun(q, 3)).toBe(0);
    expect(Array.from(q.results.subarray(0, 3))).toEqual([10, 11, 12]);
    // the next run starts over, and the old generation still claims nothing
    const next = nextGeneration(gen);
    openRun(q, next, [{ kernel: 1, raw: [] }]);
    expect(claim(q, gen, 3)).toBe(-1);
    expect(claim(q, next, 1)).toBe(0);
  });

  it("a failing call is reported before it counts as finished, and the thread stops claiming", () => {
    const q = queue();
    openRun(q, 7, [{ kernel: 0, raw: [1] }, { kernel: 1, raw: [2] }, { kernel: 0, raw: [3] }]);
    const ran: number[] = [];
    const messages: string[] = [];
    const kernels = [(a: number) => (ran.push(a), a * 2), () => { throw new Error("boom"); }];
    serveRun(q, 7, 3, 2, kernels, (m) => messages.push(m));
    expect(ran).toEqual([1]);
    expect(messages).toEqual(["boom"]);
    // the caller takes what is left, and learns which slot failed (slot 2, as 3)
    expect(claim(q, 7, 3)).toBe(2);
    finish(q, 2, 0);
    expect(awaitRun(q, 3)).toBe(3);
  });

  it("a threaded run of more calls than threads: every call once, the one-call numbers", () => {
    const engine = threadedEngine(2);
    expect(engine.threads.waitReady(20_000)).toBe(true);
    const b = engine.backend;
    const a = b.arena();
    const N = 40_000;
    const K = 3;
    const g = new Xoshiro128(9);
    const X = a.f64From(Array.from({ length: N * K }, () => g.normal()));
    const blocks = Math.ceil(N / 512);
    const T = (K * (K + 1)) / 2;
    const whole = a.f64(blocks * T);
    b.crossprodBlocks(N, K, X, null, 0, blocks, whole);
    const parts = a.f64(blocks * T);
    const ranges = Array.from({ length: 13 }, (_, j) => [Math.floor((j * blocks) / 13), Math.floor(((j + 1) * blocks) / 13)]);
    const results = engine.threads.run(ranges.map(([b0, b1]) => ({ kernel: "crossprodBlocks", args: [N, K, X, null, b0, b1, a.f64Part(parts, b0 * T, (b1 - b0) * T)] })));
    expect(results).toHaveLength(13);
    expect(Array.from(parts.view)).toEqual(Array.from(whole.view));
    // a call the argument checks refuse fails the run before any thread starts it
    const bad = Array.from({ length: 4 }, () => ({ kernel: "crossprodBlocks" as const, args: [N, K, X, null, 0, blocks + 10_000, parts] }));
    expect(() => engine.threads.run(bad)).toThrow();
    // and the pool still works afterwards
    engine.threads.run(ranges.map(([b0, b1]) => ({ kernel: "crossprodBlocks", args: [N, K, X, null, b0, b1, a.f64Part(parts, b0 * T, (b1 - b0) * T)] })));
    expect(Array.from(parts.view)).toEqual(Array.from(whole.view));
    a.release();
  });
});
