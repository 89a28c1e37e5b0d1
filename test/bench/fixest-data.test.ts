// The fixest benchmark's own pieces (bench/fixest.bench.mjs): the seeded data generators follow their
// stated designs, the trade data's logs are right, and the agreement check fails when it should.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COEF_REL_TOL, SE_REL_TOL, compareFits, relDiff } from "../../bench/lib/agreement.mjs";
import { difficultSizes, writeDifficult } from "../../bench/lib/gen-difficult.mjs";
import { writeWorkerFirmPanel } from "../../bench/lib/gen-worker-firm.mjs";
import { conformanceDir, writeTradeLn } from "../../bench/lib/trade-ln.mjs";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-fixest-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CSV as a header and rows of numbers (the generated files hold numbers only). */
function readNumeric(file: string): { head: string[]; rows: number[][] } {
  const [first, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  return { head: first.split(","), rows: lines.map((l) => l.split(",").map(Number)) };
}

describe("worker x firm x year panel", () => {
  const opts = { workers: 2_000, years: 10, firms: 100, moveProb: 0.02, firstYear: 2001 };
  const file = join(dir, "wf.csv");
  const stats = writeWorkerFirmPanel(file, new Xoshiro128(12), opts);
  const { head, rows } = readNumeric(file);

  it("has one row per worker and year, in order, with the stated columns", () => {
    expect(head).toEqual(["worker", "firm", "year", "x1", "x2", "y"]);
    expect(rows.length).toBe(20_000);
    expect(stats.rows).toBe(20_000);
    rows.forEach((r, i) => {
      expect(r[0]).toBe(Math.floor(i / 10) + 1);
      expect(r[2]).toBe(2001 + (i % 10));
      expect(r[1] >= 1 && r[1] <= 100).toBe(true);
    });
  });

  it("moves workers between firms about moveProb of the worker-years, as it reports", () => {
    let changes = 0;
    for (let i = 1; i < rows.length; i++) if (rows[i][0] === rows[i - 1][0] && rows[i][1] !== rows[i - 1][1]) changes++;
    expect(changes).toBe(stats.moves);
    // expected 2,000 x 9 x 0.02 x 99/100 = 356.4, standard deviation about 19: 5 sd either side
    expect(changes).toBeGreaterThan(260);
    expect(changes).toBeLessThan(455);
  });

  it("is a function of the seed", () => {
    const again = join(dir, "wf-again.csv");
    const other = join(dir, "wf-other.csv");
    writeWorkerFirmPanel(again, new Xoshiro128(12), opts);
    writeWorkerFirmPanel(other, new Xoshiro128(13), opts);
    expect(readFileSync(again, "utf8")).toBe(readFileSync(file, "utf8"));
    expect(readFileSync(other, "utf8")).not.toBe(readFileSync(file, "utf8"));
  });
});

describe("fixest's difficult case", () => {
  it("has fixest's group counts for 1M rows", () => {
    expect(difficultSizes(1e6)).toEqual({ indiv: 50_000, firms: 6_250, years: 63 });
  });

  const n = 20_000;
  const file = join(dir, "difficult.csv");
  writeDifficult(file, new Xoshiro128(1), n);
  const { head, rows } = readNumeric(file);
  const { indiv: I, firms: F, years: Y } = difficultSizes(n);

  it("draws ids in range, each firm within its individual's band of 21", () => {
    expect(head).toEqual(["id_indiv", "id_firm", "id_year", "x1", "x2", "y"]);
    expect(rows.length).toBe(n);
    for (const [indiv, firm, year] of rows) {
      expect(indiv >= 1 && indiv <= I && year >= 1 && year <= Y).toBe(true);
      const low = Math.max(1, Math.floor(indiv / 8) - 10);
      expect(firm).toBe(Math.min(firm, F));
      expect(firm >= Math.min(low, F) && firm <= Math.min(low + 20, F)).toBe(true);
    }
  });

  it("builds x1, x2 and y by fixest's formulas", () => {
    const noise = { x1: [] as number[], x2: [] as number[], y: [] as number[] };
    for (const [indiv, firm, year, x1, x2, y] of rows) {
      noise.x1.push(x1 - 5 * (Math.cos(indiv) + Math.sin(firm) + Math.sin(year)));
      noise.x2.push(x2 - (Math.cos(indiv) + Math.sin(firm) + Math.sin(year)));
      noise.y.push(y - 3 * x1 - 5 * x2 - Math.cos(indiv) - Math.cos(firm) ** 2 - Math.sin(year));
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
    // x1's noise is U(0, 1) (up to the 6 written decimals, 5 of them summed); x2's and y's are N(0, 1)
    expect(Math.min(...noise.x1)).toBeGreaterThan(-1e-5);
    expect(Math.max(...noise.x1)).toBeLessThan(1 + 1e-5);
    expect(mean(noise.x1)).toBeCloseTo(0.5, 1);
    for (const v of [noise.x2, noise.y]) {
      expect(Math.abs(mean(v))).toBeLessThan(0.05); // standard error 0.007
      expect(Math.abs(sd(v) - 1)).toBeLessThan(0.05);
    }
  });
});

describe("trade data with logs", () => {
  it("writes ln(Euros) and ln(dist_km) next to the four fixed-effect columns", () => {
    const src = join(dir, "trade-small.csv");
    writeFileSync(src, "Origin,Destination,Product,Year,dist_km,Euros,log_dist,log_euros\nBE,LU,1,2007,100,1000,0,0\nLU,BE,2,2008,2.5,7,0,0\n");
    const out = join(dir, "trade-ln-small.csv");
    expect(writeTradeLn(out, src)).toEqual({ rows: 2 });
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => l.split(","));
    expect(lines[0]).toEqual(["Origin", "Destination", "Product", "Year", "ln_euros", "log_dist_km"]);
    expect(lines[1].slice(0, 4)).toEqual(["BE", "LU", "1", "2007"]);
    expect(Number(lines[1][4])).toBe(Math.log(1000));
    expect(Number(lines[2][5])).toBe(Math.log(2.5));
  });

  it("refuses a flow it cannot take the log of, naming the row, and a missing column, naming it", () => {
    const zero = join(dir, "trade-zero.csv");
    writeFileSync(zero, "Origin,Destination,Product,Year,dist_km,Euros\nBE,LU,1,2007,100,1000\nBE,FR,1,2007,300,0\n");
    expect(() => writeTradeLn(join(dir, "z.csv"), zero)).toThrow(/row 3/);
    const noYear = join(dir, "trade-no-year.csv");
    writeFileSync(noYear, "Origin,Destination,Product,dist_km,Euros\nBE,LU,1,100,1000\n");
    expect(() => writeTradeLn(join(dir, "y.csv"), noYear)).toThrow(/no column Year/);
  });

  it("agrees with the shared file's own log columns", () => {
    const src = join(conformanceDir(), "data", "trade.csv");
    const out = join(dir, "trade-ln.csv");
    writeTradeLn(out, src);
    const mine = readFileSync(out, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const theirs = readFileSync(src, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    expect(mine.length).toBe(theirs.length);
    mine.forEach((r, i) => {
      expect(Math.abs(Number(r[4]) - Number(theirs[i][7]))).toBeLessThan(1e-12);
      expect(Math.abs(Number(r[5]) - Number(theirs[i][6]))).toBeLessThan(1e-12);
    });
  });
});

describe("agreement with fixest", () => {
  const fixest = { coef: { x1: 1.5, x2: -0.25 }, se: { x1: 0.01, x2: 0.002 } };

  it("passes identical numbers and numbers within the tolerances", () => {
    expect(compareFits(fixest, fixest)).toMatchObject({ coefMax: 0, seMax: 0, ok: true });
    const close = { coef: { x1: 1.5 * (1 + 0.5 * COEF_REL_TOL), x2: -0.25 }, se: { x1: 0.01 * (1 - 0.5 * SE_REL_TOL), x2: 0.002 } };
    expect(compareFits(close, fixest).ok).toBe(true);
  });

  it("fails a coefficient or a standard error beyond its tolerance", () => {
    const coefOff = { coef: { x1: 1.5, x2: -0.25 * (1 + 2 * COEF_REL_TOL) }, se: fixest.se };
    const r = compareFits(coefOff, fixest);
    expect(r.ok).toBe(false);
    expect(r.coefMax).toBeCloseTo(2 * COEF_REL_TOL, 12);
    const seOff = { coef: fixest.coef, se: { x1: 0.01 * (1 + 2 * SE_REL_TOL), x2: 0.002 } };
    expect(compareFits(seOff, fixest).ok).toBe(false);
  });

  it("fails a missing, extra or non-finite term", () => {
    expect(compareFits({ coef: { x1: 1.5 }, se: { x1: 0.01 } }, fixest)).toMatchObject({ coefMax: Infinity, ok: false });
    expect(compareFits({ coef: { ...fixest.coef, x3: 1 }, se: { ...fixest.se, x3: 1 } }, fixest).ok).toBe(false);
    expect(relDiff(Number.NaN, 1)).toBe(Infinity);
    expect(compareFits({ coef: {}, se: {} }, { coef: {}, se: {} }).ok).toBe(false);
  });
});
