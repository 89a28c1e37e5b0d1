// Fits on several threads give exactly the one-thread numbers: the demeaning's columns are split over
// kernel threads on one shared WebAssembly memory (estimators/column-split.ts), and each column's
// arithmetic is its own (column-independence.test.ts). Kernel threads run the built JavaScript (dist/),
// which `npm test` builds first; the Node entry registers them.
import { availableParallelism } from "node:os";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { feols, eventStudy } from "../../dist/bindings/index.js";
import { fromColumns } from "../../dist/bindings/data/columns.js";
import { Xoshiro128 } from "../../dist/bindings/random/xoshiro.js";

const CORES = availableParallelism();
const CLI = join(import.meta.dirname, "../../dist/cli/main.js");

/** A worker x firm x year panel whose workers rarely move (a weakly connected graph: the CG solver), with
 *  weights and a staggered treatment for the event study. */
function workerFirmPanel(workers: number, years: number, firms: number, move: number) {
  const g = new Xoshiro128(2026, 12);
  const psi = Float64Array.from({ length: firms }, () => g.normal());
  const cols = { worker: [] as number[], firm: [] as number[], year: [] as number[], x1: [] as number[], x2: [] as number[], y: [] as number[], w: [] as number[], cohort: [] as number[] };
  for (let i = 0; i < workers; i++) {
    const a = g.normal();
    const cohort = i % 3 === 0 ? 0 : 2003 + (i % 4);
    let f = g.below(firms);
    for (let t = 0; t < years; t++) {
      if (t > 0 && g.uniform() < move) f = g.below(firms);
      const year = 2000 + t;
      const x1 = g.normal() + 0.5 * psi[f];
      const x2 = g.normal() + 0.5 * a;
      const d = cohort > 0 && year >= cohort ? 1 : 0;
      cols.worker.push(i + 1); cols.firm.push(f + 1); cols.year.push(year); cols.x1.push(x1); cols.x2.push(x2); cols.cohort.push(cohort);
      cols.y.push(x1 - 0.5 * x2 + a + psi[f] + 0.1 * t + 0.3 * d + g.normal());
      cols.w.push(0.5 + g.uniform());
    }
  }
  return cols;
}

const raw = workerFirmPanel(6000, 8, 900, 0.05);
const panel = fromColumns(raw);

function numbers(f: ReturnType<typeof feols>) {
  const j = f.toJSON() as Record<string, unknown> & { demeaning: { threads: number; columns: unknown } };
  return { coef: j.coefficients, columns: j.demeaning.columns, resid: Array.from(f.resid()), threads: j.demeaning.threads, notes: j.notes as Array<{ kind: string; message: string }> };
}

describe("a fit on several threads", () => {
  it.each([
    ["three fixed effects (CG)", "y ~ x1 + x2 | worker + firm + year", {}],
    ["two large fixed effects, weighted (CG)", "y ~ x1 + x2 | worker + firm", { weights: "w" }],
    ["two fixed effects, one small (direct solve)", "y ~ x1 + x2 | firm + year", { vcov: "hetero" }],
  ])("%s: the same bits for 1, 2 and 3 threads", (_label, formula, extra) => {
    const opts = { vcov: "cluster:worker", ...extra };
    const one = numbers(feols(panel, formula, { ...opts, threads: 1 }));
    expect(one.threads).toBe(1);
    for (const t of [2, 3]) {
      const many = numbers(feols(panel, formula, { ...opts, threads: t }));
      expect(many.threads).toBe(Math.min(t, CORES));
      expect(many.coef).toEqual(one.coef);
      expect(many.columns).toEqual(one.columns);
      expect(many.resid).toEqual(one.resid);
      const clamp = many.notes.filter((n) => n.kind === "threads");
      if (t > CORES) expect(clamp.map((n) => n.message).join()).toMatch(new RegExp(`threads ${t} is more than this machine's ${CORES} core`));
      else expect(clamp).toEqual([]);
    }
  });

  it("a balanced panel large enough for kernel threads to touch memory ahead: the same bits for 1, 2 and 3 threads", () => {
    // 150,000 units x 4 years: [y x1 x2] is 14 MB and the two id columns 4.8 MB, both over
    // TOUCH_AHEAD_MIN_BYTES, so their copies into the heap overlap kernel threads' zero-fills
    // (engine/touch-ahead.ts); the closed-form demeaning is split by columns.
    const units = 150_000;
    const years = 4;
    const g = new Xoshiro128(7, 12);
    const n = units * years;
    const cols = { unit: new Float64Array(n), year: new Float64Array(n), x1: new Float64Array(n), x2: new Float64Array(n), y: new Float64Array(n) };
    for (let r = 0; r < n; r++) {
      const u = Math.floor(r / years);
      cols.unit[r] = u;
      cols.year[r] = 2000 + (r % years);
      cols.x1[r] = g.normal() + 0.01 * (u % 97);
      cols.x2[r] = g.normal();
      cols.y[r] = cols.x1[r] - 0.5 * cols.x2[r] + 0.02 * (u % 89) + 0.1 * (r % years) + g.normal();
    }
    const big = fromColumns(cols);
    const opts = { vcov: "cluster:unit" };
    const one = numbers(feols(big, "y ~ x1 + x2 | unit + year", { ...opts, threads: 1 }));
    expect(one.columns).toEqual({ y: { iterations: 1, converged: true }, x1: { iterations: 1, converged: true }, x2: { iterations: 1, converged: true } });
    for (const t of [2, 3]) {
      const many = numbers(feols(big, "y ~ x1 + x2 | unit + year", { ...opts, threads: t }));
      expect(many.threads).toBe(Math.min(t, CORES));
      expect(many.coef).toEqual(one.coef);
      expect(many.resid).toEqual(one.resid);
    }
  });

  it("reports each demeaned column's iterations and convergence", () => {
    const j = feols(panel, "y ~ x1 + x2 | worker + firm + year", { threads: 2 }).toJSON() as { demeaning: { columns: Record<string, { iterations: number; converged: boolean }> } };
    expect(Object.keys(j.demeaning.columns)).toEqual(["y", "x1", "x2"]);
    for (const c of Object.values(j.demeaning.columns)) {
      expect(c.converged).toBe(true);
      expect(c.iterations).toBeGreaterThan(1);
    }
  });

  it("an event study on 2 threads equals the one-thread event study", () => {
    const o = { y: "y", unit: "worker", time: "year", cohort: "cohort", window: [-3, 3] as [number, number] };
    const { demeaning: d1, ...one } = eventStudy(panel, { ...o, threads: 1 }).toJSON() as Record<string, unknown> & { demeaning: { threads: number; columns: unknown } };
    const { demeaning: d2, ...two } = eventStudy(panel, { ...o, threads: 2 }).toJSON() as Record<string, unknown> & { demeaning: { threads: number; columns: unknown } };
    expect(two).toEqual(one);
    expect(d2.columns).toEqual(d1.columns);
    expect([d1.threads, d2.threads]).toEqual([1, Math.min(2, CORES)]);
  });

  it('"auto" runs small data on one thread without a note; the reference backend says it runs on one', () => {
    const auto = numbers(feols(panel, "y ~ x1 | worker + firm", {}));
    expect(auto.threads).toBe(1);
    expect(auto.notes.filter((n) => n.kind === "threads")).toEqual([]);
    const ref = numbers(feols(panel, "y ~ x1 | worker + firm", { threads: 2, backend: "reference" }));
    expect(ref.threads).toBe(1);
    expect(ref.notes.map((n) => n.message).join()).toMatch(/reference backend runs on one thread/);
  });

  it("refuses a thread count that is not a positive integer", () => {
    expect(() => feols(panel, "y ~ x1 | worker", { threads: 0 })).toThrow(/threads must be a positive integer/);
    expect(() => feols(panel, "y ~ x1 | worker", { threads: 1.5 })).toThrow(/threads must be a positive integer/);
  });
});

describe("--threads on the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "didwasm-threads-"));
  const file = join(dir, "panel.csv");
  const names = Object.keys(raw) as Array<keyof typeof raw>;
  writeFileSync(file, [names.join(","), ...raw.y.map((_, r) => names.map((c) => raw[c][r]).join(","))].join("\n"));
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, "fit", file, "--formula", "y ~ x1 + x2 | worker + firm + year", ...args], { encoding: "utf8", timeout: 60_000 });

  it("gives the one-thread numbers and says how many threads ran", () => {
    const one = JSON.parse(cli("--threads", "1", "--json").stdout);
    const two = JSON.parse(cli("--threads", "2", "--json").stdout);
    expect(two.demeaning.threads).toBe(Math.min(2, CORES));
    expect(two.coefficients).toEqual(one.coefficients);
  });
  it.each([["0"], ["-1"], ["1.5"], ["many"]])("--threads %s: exit 2 with a clear message", (v) => {
    const r = cli("--threads", v);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--threads/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
