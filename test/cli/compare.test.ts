// didwasm compare on the command line: the table (a column per estimator, the overall ATT row), the JSON
// (each estimator's path equals its own command's), the figure (offset points, intervals, a legend in
// Okabe-Ito colours), an estimator that cannot run left out with a note, and input errors (exit 2).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { OKABE_ITO } from "../../bindings/present/svg/series-plot.js";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-compare-"));
const file = (name: string) => join(dir, name);
const cols = generateSyntheticPanel({ units: 80, periods: 8, regressors: 1, seed: 11, staggered: { cohorts: [2003, 2005], neverShare: 0.4, effect: 1 } });
writeFileSync(file("p.csv"), toCsv(cols));
const noNever = generateSyntheticPanel({ units: 60, periods: 8, regressors: 1, seed: 12, staggered: { cohorts: [2003, 2005], neverShare: 0, effect: 1 } });
writeFileSync(file("all-treated.csv"), toCsv(noNever));
const PANEL = ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"];

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

type Row = Record<string, any>;

describe("didwasm compare", () => {
  it("prints one column per estimator, writes the figure, and each path is its command's", async () => {
    const text = await cli(["compare", file("p.csv"), ...PANEL, "--plot", file("c.svg")]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/event time\s+TWFE\s+did2s\s+Imputation\s+Sun-Abraham\s+Callaway-Sant'Anna[\s\S]*overall ATT/);
    const svg = readFileSync(file("c.svg"), "utf8");
    for (const c of OKABE_ITO.slice(0, 5)) expect(svg).toContain(c);
    for (const name of ["TWFE", "did2s", "Imputation", "Sun-Abraham", "Callaway-Sant&#39;Anna"]) expect(svg.replace(/'/g, "&#39;")).toContain(name);

    const j = JSON.parse((await cli(["compare", file("p.csv"), ...PANEL, "--json"])).stdout);
    const path = (key: string) => (j.event as Row[]).filter((p) => p.estimator === key);
    const sa = JSON.parse((await cli(["sunab", file("p.csv"), ...PANEL, "--json"])).stdout);
    for (const p of path("sunab")) expect(p.estimate).toBeCloseTo(sa.coefficients.find((c: Row) => c.rel_time === p.rel_time).estimate, 12);
    const cs = JSON.parse((await cli(["csdid", file("p.csv"), ...PANEL, "--json"])).stdout);
    expect(path("csdid").map((p) => p.estimate)).toEqual(cs.dynamic.map((d: Row) => d.att));
    const overall = Object.fromEntries((j.estimators as Row[]).map((e) => [e.key, e.overall.estimate]));
    expect(overall.sunab).toBeCloseTo(sa.coefficients.find((c: Row) => c.term === "ATT").estimate, 12);
    expect(overall.csdid).toBeCloseTo(cs.overall.simple.att, 12);
    // did2s and imputation impute the same Y(0): the same overall ATT and post-period path.
    expect(overall.did2s).toBeCloseTo(overall.imputation, 9);
    for (const p of path("imputation")) expect(p.estimate).toBeCloseTo(path("did2s").find((q) => q.rel_time === p.rel_time)!.estimate, 9);
    // With never-treated controls and no covariates, Sun-Abraham's cohort-by-period cells are Callaway-
    // Sant'Anna's post-period ATT(g,t) (both against g - 1), weighted the same way in their overall ATT.
    expect(overall.sunab).toBeCloseTo(overall.csdid, 9);
    for (const p of path("sunab").filter((q) => q.rel_time >= 0)) expect(p.estimate).toBeCloseTo(path("csdid").find((q) => q.rel_time === p.rel_time)!.estimate, 9);
    // ETWFE, stacked and dCDH run too, each path its own command's.
    expect(text.stdout).toMatch(/Callaway-Sant'Anna\s+ETWFE\s+Stacked\s+dCDH/);
    const et = JSON.parse((await cli(["etwfe", file("p.csv"), ...PANEL, "--aggregate", "event", "--vcov", "cluster:unit", "--json"])).stdout);
    expect(path("etwfe").map((p) => p.estimate)).toEqual(et.event.map((e: Row) => e.estimate));
    expect(overall.etwfe).toBe(et.att.estimate);
    // ETWFE with not-yet-treated controls (its default) and no covariates imputes Y(0) as did2s does: the
    // same effect at event time 0.
    expect(path("etwfe").find((p) => p.rel_time === 0)!.estimate).toBeCloseTo(path("did2s").find((p) => p.rel_time === 0)!.estimate, 9);
    const window = (j.estimators as Row[]).find((e) => e.key === "stacked")!.overall.what.match(/window (-\d+:\d+)/)![1];
    const st = JSON.parse((await cli(["stacked", file("p.csv"), ...PANEL, "--window", window, "--json"])).stdout);
    expect(overall.stacked).toBe(st.att.estimate);
    expect(path("stacked").map((p) => p.estimate)).toEqual(st.event.map((e: Row) => e.estimate));
    const dc = JSON.parse((await cli(["dcdh", file("p.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--effects", "6", "--placebo", "5", "--json"])).stdout);
    expect(path("dcdh").map((p) => p.estimate)).toEqual(dc.event.map((e: Row) => e.estimate));
    expect(overall.dcdh).toBe(dc.average_total_effect.estimate);
  });

  it("an estimator that cannot run on the panel is left out with a note", async () => {
    const r = await cli(["compare", file("all-treated.csv"), ...PANEL, "--estimators", "did2s,sunab", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.estimators.map((e: Row) => e.key)).toEqual(["did2s"]);
    expect(j.warnings.join(" ")).toMatch(/Sun-Abraham left out: no never-treated units/);
  });

  it("exits 2 with a message on bad input", async () => {
    for (const [args, message] of [
      [["--cohort", "nope"], /nope/],
      [["--estimators", "sunabb"], /unknown estimator "sunabb" \(did you mean "sunab"\?\)/],
    ] as const) {
      const r = await cli(["compare", file("p.csv"), ...PANEL, ...args]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
