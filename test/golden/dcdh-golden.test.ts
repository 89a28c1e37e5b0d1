// Golden numbers for dcdh (de Chaisemartin and D'Haultfoeuille 2024): dcdh() on three generated panels (binary
// staggered, on/off, 0/1/2 treatment) and on the package's public favara_imbs data against dcdh/dcdh.R, an R
// computation of the estimators as per-switcher DIDs (not as didwasm's influence-function sums), with the
// package's cohort-centred variance, clustering, weights, normalisation and same-switchers restriction.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { dcdh } from "../../bindings/estimators/did/dcdh.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Row { term: string; estimate: number; std_error: number; switchers?: number }
interface Test { statistic: number; df: number; p_value: number }
interface Case {
  id: string; data: string; y: string; g: string; t: string; d: string; effects: number; placebo: number;
  normalized?: boolean; w?: string; cl?: string; same_switchers?: boolean;
  expect: { effects: Row[]; placebos: Row[]; ate: Row; vcov: number[][]; joint_placebos: Test | null; joint_effects: Test | null; delta: number[] | null };
}
const { cases } = JSON.parse(readFileSync(join(here, "dcdh", "dcdh-expected.json"), "utf8")) as { cases: Case[] };
const file = (data: string) => (data === "favara" ? join(here, "data", "favara_imbs.csv") : join(here, "dcdh", `panel-${data}.csv`));
// Both sides add the same terms in a different order: agreement to rounding.
const TOL = 1e-10;
const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(want)));

it("covers the three designs, the public example, clusters, weights, normalisation and same switchers", () => {
  expect(new Set(cases.map((c) => c.data))).toEqual(new Set(["absorbing", "onoff", "multi", "favara"]));
  expect(cases.some((c) => c.normalized) && cases.some((c) => c.w) && cases.some((c) => c.cl) && cases.some((c) => c.same_switchers)).toBe(true);
});

it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
  const r = dcdh(readCsvFile(file(c.data)), {
    y: c.y, unit: c.g, time: c.t, treat: c.d, effects: c.effects, placebo: c.placebo, normalized: c.normalized ?? false,
    weights: c.w ?? null, cluster: c.cl ?? null, sameSwitchers: c.same_switchers ?? false,
  });
  const e = c.expect;
  expect(r.effects.map((x) => x.term)).toEqual(e.effects.map((x) => x.term));
  expect(r.placebos.map((x) => x.term)).toEqual(e.placebos.map((x) => x.term));
  r.effects.forEach((x, i) => {
    near(x.estimate, e.effects[i].estimate);
    near(x.std_error, e.effects[i].std_error);
    expect(x.switchers).toBe(e.effects[i].switchers);
  });
  r.placebos.forEach((x, i) => {
    near(x.estimate, e.placebos[i].estimate);
    near(x.std_error, e.placebos[i].std_error);
  });
  near(r.ate.estimate, e.ate.estimate);
  near(r.ate.std_error, e.ate.std_error);
  // the full covariance, effects then placebos, against event_vcov (ordered by event time)
  const L = r.effects.length;
  const pos = (rt: number) => (rt >= 0 ? rt : L + (-rt - 2));
  const rt = r.eventVcov.rel_time;
  rt.forEach((a, i) => rt.forEach((b, j) => near(r.eventVcov.vcov[i][j], e.vcov[pos(a)][pos(b)])));
  if (e.joint_placebos) near(r.jointPlacebos!.statistic, e.joint_placebos.statistic);
  else expect(r.jointPlacebos).toBeNull();
  if (e.joint_effects) {
    near(r.jointEffects!.statistic, e.joint_effects.statistic);
    near(r.jointEffects!.p_value, e.joint_effects.p_value);
  }
  if (e.delta) r.deltas!.forEach((d, i) => near(d, e.delta![i]));
});

// The package's own printed output on favara_imbs (dcdh/package-output.txt, written by dcdh/package-output.R
// from the package's public R sources): effects 1-8, placebos 1-3 clustered by state, then normalised with
// same switchers and the equality test. Every printed digit is reproduced.
it("reproduces did_multiplegt_dyn's printed output on favara_imbs", () => {
  const text = readFileSync(join(here, "dcdh", "package-output.txt"), "utf8");
  const runs = text.split("Estimation of treatment effects").slice(1);
  expect(runs).toHaveLength(2);
  const data = readCsvFile(file("favara"));
  runs.forEach((printed, k) => {
    const normalized = k === 1;
    const r = dcdh(data, { y: "Dl_vloans_b", unit: "county", time: "year", treat: "inter_bra", effects: 8, placebo: 3, cluster: "state_n", normalized, sameSwitchers: normalized, effectsEqual: normalized });
    const rows = new Map(printed.split("\n").filter((l) => /^(Effect|Placebo)_\d/.test(l)).map((l) => [l.split(/\s+/)[0], l.split(/\s+/).slice(1).map(Number)]));
    expect(rows.size).toBe(11);
    for (const e of [...r.effects, ...r.placebos]) {
      const [est, se, lb, ub, n, sw] = rows.get(e.term)!;
      expect([e.estimate, e.std_error, e.conf_low, e.conf_high].map((x) => x.toFixed(5)).map(Number)).toEqual([est, se, lb, ub]);
      expect([e.nobs, e.switchers]).toEqual([n, sw]);
    }
    const ate = printed.split("\n").find((l) => /^\s+0\.\d+\s/.test(l))!.trim().split(/\s+/).map(Number);
    expect([r.ate.estimate, r.ate.std_error, r.ate.conf_low, r.ate.conf_high].map((x) => Number(x.toFixed(5)))).toEqual(ate.slice(0, 4));
    expect([r.ate.nobs, r.ate.switchers]).toEqual(ate.slice(4));
    expect(printed).toContain(`accumulated: ${r.avgPeriodsAccumulated.toFixed(4)}`);
    expect(printed).toContain(`placebos : p-value = ${r.jointPlacebos!.p_value.toFixed(4)}`);
    expect(printed).toContain(`effects : p-value = ${r.jointEffects!.p_value.toFixed(4)}`);
  });
});
