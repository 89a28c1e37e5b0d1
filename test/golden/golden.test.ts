// Golden numbers: feols on the project's own generated panels against R (lm with factor dummies, the
// sandwich package, fixest 0.12's default small-sample corrections written out). The CSVs, the R script
// and expected.json are committed; make-golden.sh regenerates them. See README.md in this folder.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel, type SyntheticPanelOptions } from "../../bindings/data/demo/panel.js";
import type { Frame } from "../../bindings/data/frame.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { feols } from "../../bindings/estimators/feols.js";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "data");

/** The generator options of make-golden.sh (its CLI flags, as library options). */
const DATASETS: Record<string, SyntheticPanelOptions> = {
  "panel_str.csv": {
    units: 60, periods: 6, regressors: 3, unitsPerState: 6, seed: 7, weights: true, missingRate: 0.03, singletons: 4, stringIds: true,
  },
  "panel_num.csv": { units: 48, periods: 5, regressors: 2, unitsPerState: 4, seed: 11, singletons: 3 },
  "panel_cascade.csv": { units: 60, periods: 4, regressors: 2, unitsPerState: 3, seed: 1, weights: true, missingRate: 0.15, singletons: 3 },
};

// Tolerances. lm() solves the dummy regression by QR; didwasm demeans iteratively with its default
// tolerance (1e-8, stopping rule in assembly/demean.ts) and solves by Cholesky. On these small, well
// conditioned panels the two agree to ~1e-14 (coefficients) and ~1e-9 (standard errors, p-values), so these
// bounds leave a wide margin while still catching any formula difference (a wrong small-sample factor
// moves standard errors by 1e-3 or more).
/** Coefficients and reghdfe's constant: relative, or absolute for values near zero. */
const COEF_REL = 1e-8;
const COEF_ABS = 1e-10;
/** Standard errors and t statistics, relative. */
const SE_REL = 1e-7;
/** p-values, relative (the t tail is computed directly, so tiny p-values keep their relative accuracy). */
const P_REL = 1e-6;
/** r2, adj_r2, r2_within, absolute. */
const R2_ABS = 1e-9;

interface ExpectedCoef {
  term: string;
  estimate: number;
  std_error: number;
  statistic: number;
  p_value: number;
}
interface ExpectedModel {
  id: string;
  data: string;
  formula: string;
  vcov: string;
  weights: string | null;
  subset: string | null;
  fixef_rm: "none" | "singleton";
  expect: {
    nobs: number;
    singletons_removed: number;
    coefficients: ExpectedCoef[];
    r2: number;
    adj_r2: number;
    r2_within: number | null;
    constant: number | null;
    df_t: number;
    fixef_sizes: Record<string, number>;
    clusters: Array<{ name: string; G: number }>;
  };
  /** Facts about the R computation; vcov_repaired: fixest would repair this variance (negative diagonal). */
  info: { vcov_repaired: boolean };
}

const expected = JSON.parse(readFileSync(join(here, "expected.json"), "utf8")) as { models: ExpectedModel[] };

const frames = new Map<string, Frame>();
function frame(file: string): Frame {
  let f = frames.get(file);
  if (!f) {
    f = readCsvFile(join(dataDir, file));
    frames.set(file, f);
  }
  return f;
}

/** Largest deviation seen per quantity and backend (relative for coefficients, SEs, p-values; absolute for
 *  R2s), printed at the end when GOLDEN_REPORT=1. */
const worst: Record<string, { value: number; where: string }> = {};
function record(backend: string, what: string, dev: number, where: string): void {
  const key = `${backend} ${what}`;
  if (!worst[key] || dev > worst[key].value) worst[key] = { value: dev, where };
}
const relDev = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

afterAll(() => {
  if (process.env.GOLDEN_REPORT) {
    for (const [k, v] of Object.entries(worst).sort()) console.log(`${k.padEnd(30)} ${v.value.toExponential(2)}  (${v.where})`);
  }
});

describe("golden data sets", () => {
  it("has every data set of expected.json", () => {
    const used = new Set(expected.models.map((m) => m.data));
    expect([...used].sort()).toEqual(Object.keys(DATASETS).sort());
  });
  for (const [file, options] of Object.entries(DATASETS)) {
    it(`the generator reproduces ${file} byte for byte`, () => {
      const committed = readFileSync(join(dataDir, file), "utf8");
      expect(toCsv(generateSyntheticPanel(options)) === committed).toBe(true);
    });
  }
});

describe.each(["wasm", "reference"] as const)("feols golden numbers (%s)", (backend) => {
  const engine = createEngine({ backend });
  it("has models to run", () => expect(expected.models.length).toBeGreaterThan(20));
  for (const m of expected.models) {
    it(m.id, () => {
      const fit = feols(frame(m.data), m.formula, {
        vcov: m.vcov,
        weights: m.weights,
        subset: m.subset,
        fixefRm: m.fixef_rm,
        engine,
      });
      const got = fit.toJSON() as any;
      const e = m.expect;
      expect(fit.converged).toBe(true);
      expect(got.nobs).toBe(e.nobs);
      expect(got.singletons_removed).toBe(e.singletons_removed);
      expect(got.df_t).toBe(e.df_t);
      expect(got.fixef_sizes).toEqual(e.fixef_sizes);
      expect(got.clusters).toEqual(e.clusters);
      expect(got.removed).toEqual([]);
      const repairNote = got.notes.some((n: { message: string }) => n.message.includes("multiway-clustered variance"));
      expect(repairNote, `${m.id}: variance repaired`).toBe(m.info.vcov_repaired);
      expect(got.coefficients.map((c: any) => c.term)).toEqual(e.coefficients.map((c) => c.term));

      e.coefficients.forEach((w, j) => {
        const g = got.coefficients[j];
        const at = `${m.id} ${w.term}`;
        const dEst = Math.abs(g.estimate - w.estimate);
        record(backend, "coefficient (rel)", dEst / Math.abs(w.estimate), at);
        expect(dEst, `${at} estimate ${g.estimate} vs ${w.estimate}`).toBeLessThanOrEqual(Math.max(COEF_REL * Math.abs(w.estimate), COEF_ABS));
        record(backend, "std_error (rel)", relDev(g.std_error, w.std_error), at);
        expect(relDev(g.std_error, w.std_error), `${at} std_error ${g.std_error} vs ${w.std_error}`).toBeLessThanOrEqual(SE_REL);
        record(backend, "statistic (rel)", relDev(g.statistic, w.statistic), at);
        expect(relDev(g.statistic, w.statistic), `${at} statistic ${g.statistic} vs ${w.statistic}`).toBeLessThanOrEqual(SE_REL);
        record(backend, "p_value (rel)", relDev(g.p_value, w.p_value), at);
        expect(relDev(g.p_value, w.p_value), `${at} p_value ${g.p_value} vs ${w.p_value}`).toBeLessThanOrEqual(P_REL);
      });

      for (const k of ["r2", "adj_r2"] as const) {
        record(backend, `${k} (abs)`, Math.abs(got[k] - e[k]), m.id);
        expect(Math.abs(got[k] - e[k]), `${m.id} ${k} ${got[k]} vs ${e[k]}`).toBeLessThanOrEqual(R2_ABS);
      }
      if (e.r2_within === null) {
        expect(got.r2_within).toBeNull();
        expect(got.constant).toBeNull();
      } else {
        record(backend, "r2_within (abs)", Math.abs(got.r2_within - e.r2_within), m.id);
        expect(Math.abs(got.r2_within - e.r2_within), `${m.id} r2_within`).toBeLessThanOrEqual(R2_ABS);
        const dC = Math.abs(got.constant - e.constant!);
        record(backend, "constant (rel)", dC / Math.abs(e.constant!), m.id);
        expect(dC, `${m.id} constant ${got.constant} vs ${e.constant}`).toBeLessThanOrEqual(Math.max(COEF_REL * Math.abs(e.constant!), COEF_ABS));
      }
    });
  }
});
