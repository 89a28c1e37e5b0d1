// The fixest benchmark's RESULTS section (bench/lib/fixest-section.mjs): the easy panel's targets of issue 12
// are judged on the same-protocol times (bench/lib/feols-warm.mjs), with the fresh-process ratios beside
// them; a model without same-protocol times says why.
import { describe, expect, it } from "vitest";
import { fixestSection } from "../../bench/lib/fixest-section.mjs";

const machine = { date: "d", cpu: "c", cpuFamilyModel: "f", cores: 2, hypervisor: false, ramGiB: 1, kernel: "k", node: "v20", git: "abc", gitDirty: false };
const estimates = { coef: { x1: 1.5 }, se: { x1: 0.25 } };
const fresh = (fitMs: number) => ({ timedOut: false, fitMs, wallMs: fitMs + 900, runs: [{}, {}, {}], iterations: 1, converged: true, notes: [], ...estimates });

function run(warmOfEasy: unknown) {
  const easy = {
    model: { id: "easy", label: "easy panel", cluster: "unit", target: 0.35, threadsTarget: 0.6 },
    fixest: { best_s: 1.0, iterations: [1], warnings: [] },
    didwasm: fresh(450),
    threads2: fresh(315),
    warm: warmOfEasy,
    agreement: null,
  };
  const hard = {
    model: { id: "hard2", label: "hard panel", cluster: "worker", target: 0.5 },
    fixest: { best_s: 2.0, iterations: [80], warnings: [] },
    didwasm: fresh(7000),
    threads2: null,
    warm: null,
    agreement: null,
  };
  return {
    machine,
    fixestInfo: { ok: true, r: "R", fixest: "0.12", data_table: "1.14" },
    options: { runs: 3, reps: 3, timeoutS: 120, longRunS: 60, warm: ["easy"], tol: 1e-8 },
    datasets: [{ ds: { title: "t", describe: { generator: "g" } }, got: { reused: true }, models: [hard, easy] }],
    waits: [],
    totalS: 1,
  };
}

const targetRow = (text: string, start: string) => text.split("\n").find((l) => l.startsWith(`| ${start}`)) ?? "";

describe("fixest benchmark section", () => {
  const warm = { reps: 3, threads: { 1: { bestMs: 300, ...estimates }, 2: { bestMs: 200, ...estimates } } };

  it("judges the easy panel's targets on the same-protocol times, the fresh-process ratios beside them", () => {
    const text = fixestSection(run(warm));
    const one = targetRow(text, "easy panel: didwasm / fixest, 1 thread, same protocol");
    expect(one).toContain("0.30x (fresh process: 0.45x)");
    expect(one).toMatch(/\| pass/);
    const two = targetRow(text, "easy panel: 2 threads / 1 thread, didwasm, same protocol");
    expect(two).toContain("0.67x (fresh process: 0.70x)");
    expect(two).toContain("**FAIL**");
    expect(text).toContain("The easy panel's targets use the same-protocol times");
    expect(text).toContain("| 300 / 200 | 0.30 |");
    expect(text).toContain("the same-protocol fits' coefficients and standard errors (1 and 2 threads) are the fresh processes' to the bit");
  });

  it("shows each process's best beside the median of several processes", () => {
    const several = { reps: 3, processes: 3, threads: { 1: { bestMs: 300, processBestMs: [310, 300, 290], ...estimates }, 2: { bestMs: 200, processBestMs: [200, 240, 190], ...estimates } } };
    const text = fixestSection(run(several));
    expect(text).toContain("| 300 (310, 300, 290) / 200 (200, 240, 190) | 0.30 |");
    expect(text).toContain("the median of their bests reported");
  });

  it("says why a model has no same-protocol time, and when the estimates differ", () => {
    const differing = { reps: 3, threads: { 1: { bestMs: 300, coef: { x1: 1.5000000001 }, se: { x1: 0.25 } } } };
    const text = fixestSection(run(differing));
    expect(text).toContain("not run (`--warm`)");
    expect(text).toContain("| 300 / n/a |");
    expect(text).toContain("**the same-protocol estimates differ from the fresh process's** for easy");
  });
});
