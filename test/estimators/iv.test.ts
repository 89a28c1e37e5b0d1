// feols with instrumental variables beyond the golden numbers (test/golden/iv): withVcov recomputes the
// first stages and the statistics that depend on the variance; collinear instruments are a note naming
// them (and change nothing else), too few left is an error; an endogenous variable absorbed by the fixed
// effects is an error; the fit does not depend on the data's units; i() among the instruments; several
// outcomes share the first stage; a large fit recomputes its regressors for withVcov; other estimators
// refuse the IV part.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { feols, feolsMulti } from "../../bindings/estimators/feols.js";
import { IV_STORED_DESIGN_LIMIT } from "../../bindings/estimators/iv-core.js";
import { IvFit } from "../../bindings/estimators/iv-fit.js";
import { logit } from "../../bindings/estimators/logit.js";
import { errorOf } from "../helpers/frames.js";

const cig = readCsvFile(join(__dirname, "../golden/iv/cigarettes.csv"));
const col = (name: string) => cig.numeric(name, "test");
const base = {
  state: Array.from({ length: cig.nrow }, (_, r) => cig.cellText("state", r)),
  year: col("year"), lpacks: col("lpacks"), lrprice: col("lrprice"), lrincome: col("lrincome"), salestax: col("salestax"), cigtax: col("cigtax"),
};
const FE = "lpacks ~ lrincome | state + year | lrprice ~ salestax + cigtax";

function close(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

describe("feols IV", () => {
  it("withVcov gives what estimating with that variance gives, first stages and IV statistics included", () => {
    const hetero = feols(cig, FE, { vcov: "hetero" }) as IvFit;
    const direct = feols(cig, FE, { vcov: "iid" }).toJSON() as any;
    const switched = hetero.withVcov("iid");
    expect(switched).toBeInstanceOf(IvFit);
    const json = switched.toJSON() as any;
    expect(json.vcov).toBe("iid");
    expect(json.first_stages[0].vcov).toBe("iid");
    // The statistics moved with the variance (ivf's df2 counts the fixed effects under iid: 44, not 92).
    expect(json.first_stages[0].ivf.df2).toBe(44);
    expect((hetero.toJSON() as any).first_stages[0].ivwald.stat).not.toBeCloseTo(json.first_stages[0].ivwald.stat, 3);
    for (const [got, want] of [
      [json.coefficients[0].std_error, direct.coefficients[0].std_error],
      [json.first_stages[0].coefficients[1].std_error, direct.first_stages[0].coefficients[1].std_error],
      [json.first_stages[0].ivf.stat, direct.first_stages[0].ivf.stat],
      [json.first_stages[0].ivwald.stat, direct.first_stages[0].ivwald.stat],
      [json.iv.ivwald2.stat, direct.iv.ivwald2.stat],
      [json.iv.ivf2.stat, direct.iv.ivf2.stat],
    ]) {
      expect(close(got, want, 1e-12), `${got} vs ${want}`).toBe(true);
    }
  });

  it("removes a collinear instrument with a note naming it, and estimates the rest unchanged", () => {
    const data = { ...base, cigtax2: base.cigtax.map((v) => 2 * v) };
    const fit = feols(data, "lpacks ~ lrincome | state + year | lrprice ~ salestax + cigtax + cigtax2") as IvFit;
    const plain = feols(data, FE) as IvFit;
    expect(fit.notes.find((n) => n.kind === "collinear_removed")?.message).toBe("collinear instrument(s) removed from the first stage: cigtax2");
    expect(fit.iv.instruments).toEqual(["salestax", "cigtax"]);
    expect(close(fit.coef("fit_lrprice"), plain.coef("fit_lrprice"), 1e-10)).toBe(true);
    expect(close(fit.fitstat.firstStages[0].ivf.stat, plain.fitstat.firstStages[0].ivf.stat, 1e-10)).toBe(true);
    expect(fit.fitstat.firstStages[0].ivf.df1).toBe(2);
  });

  it("refuses a model left with fewer instruments than endogenous variables after collinear ones are removed", () => {
    const data = { ...base, cigtax2: base.cigtax.map((v) => 2 * v), e2: base.salestax.map((v, i) => v * base.lrincome[i]) };
    const e = errorOf(() => feols(data, "lpacks ~ lrincome | state | lrprice + e2 ~ cigtax + cigtax2"));
    expect(e.code).toBe("ALL_COLLINEAR");
    expect(e.message).toMatch(/\(cigtax2\), 1 instrument\(s\) remain for 2 endogenous variable\(s\) \(lrprice, e2\)/);
  });

  it("refuses an endogenous variable the fixed effects absorb, naming it", () => {
    const data = { ...base, statewide: base.state.map((s) => s.charCodeAt(0) + s.charCodeAt(1) / 100) };
    const e = errorOf(() => feols(data, "lpacks ~ lrincome | state | statewide ~ cigtax"));
    expect(e.code).toBe("NO_VARIANCE");
    expect(e.message).toMatch(/endogenous variable "statewide" is constant within the fixed effects \(state\)/);
  });

  it("does not depend on the outcome's units, even far outside f64's comfortable range", () => {
    const scale = 2 ** -900;
    const tiny = feols({ ...base, lpacks: base.lpacks.map((v) => v * scale) }, FE) as IvFit;
    const plain = feols(base, FE) as IvFit;
    expect(close(tiny.coef("fit_lrprice") / scale, plain.coef("fit_lrprice"), 1e-12)).toBe(true);
    expect(close(tiny.se("fit_lrprice") / scale, plain.se("fit_lrprice"), 1e-12)).toBe(true);
    expect(close(tiny.fitstat.wh!.stat, plain.fitstat.wh!.stat, 1e-10)).toBe(true);
    expect(close(tiny.fitstat.ivf2.stat, plain.fitstat.ivf2.stat, 1e-10)).toBe(true);
  });

  it("takes i() among the instruments, dropping its first level as fixest's IV model matrix does", () => {
    const data = { ...base, y95: base.year.map((y) => (y === 1995 ? 1 : 0)) };
    const a = feols(data, "lpacks ~ lrincome | lrprice ~ cigtax + i(year)") as IvFit;
    const b = feols(data, "lpacks ~ lrincome | lrprice ~ cigtax + y95") as IvFit;
    expect(a.iv.instruments).toEqual(["cigtax", "year::1995"]);
    expect(close(a.coef("fit_lrprice"), b.coef("fit_lrprice"), 1e-12)).toBe(true);
    expect(close(a.se("fit_lrprice"), b.se("fit_lrprice"), 1e-12)).toBe(true);
  });

  it("fits several outcomes on one first stage, each as its own formula would", () => {
    const data = { ...base, other: base.lpacks.map((v, i) => v + 0.3 * base.lrincome[i]) };
    const [a, b] = feolsMulti(data, "c(lpacks, other) ~ lrincome | state | lrprice ~ salestax + cigtax") as IvFit[];
    const b1 = feols(data, "other ~ lrincome | state | lrprice ~ salestax + cigtax") as IvFit;
    expect([a.outcome, b.outcome]).toEqual(["lpacks", "other"]);
    expect(close(b.coef("fit_lrprice"), b1.coef("fit_lrprice"), 1e-12)).toBe(true);
    expect(close(b.fitstat.wh!.stat, b1.fitstat.wh!.stat, 1e-12)).toBe(true);
    expect(a.iv.firstStages[0].fit).toBe(b.iv.firstStages[0].fit);
  });

  it("recomputes a large fit's regressors for withVcov (they are not kept), with the same numbers", () => {
    // 600,000 rows x 2 or 3 regressors per stage: more than IV_STORED_DESIGN_LIMIT doubles, so withVcov
    // runs the job again for both stages.
    const n = 600_000;
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648 - 0.5);
    const g = new Float64Array(n), x = new Float64Array(n), z1 = new Float64Array(n), z2 = new Float64Array(n), e = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      g[i] = i % 1000;
      x[i] = rnd();
      z1[i] = rnd();
      z2[i] = rnd();
      const c = rnd();
      e[i] = z1[i] + z2[i] + x[i] + c + rnd();
      y[i] = e[i] - x[i] + 2 * c + rnd();
    }
    const data = { g, x, z1, z2, e, y };
    const formula = "y ~ x | g | e ~ z1 + z2";
    expect(2 * n).toBeGreaterThan(IV_STORED_DESIGN_LIMIT);
    const switched = (feols(data, formula, { vcov: "iid" }) as IvFit).withVcov("hetero") as IvFit;
    const direct = feols(data, formula, { vcov: "hetero" }) as IvFit;
    expect(close(switched.se("fit_e"), direct.se("fit_e"), 1e-12)).toBe(true);
    expect(close(switched.iv.firstStages[0].fit.se("z2"), direct.iv.firstStages[0].fit.se("z2"), 1e-12)).toBe(true);
    expect(close(switched.fitstat.ivwald2!.stat, direct.fitstat.ivwald2!.stat, 1e-12)).toBe(true);
  });

  it("is refused by estimators that do not estimate it", () => {
    const e = errorOf(() => logit(base, "lpacks ~ lrincome | lrprice ~ cigtax"));
    expect(e.message).toMatch(/instrumental variables .* are estimated by fit \(feols\) only/);
  });
});
