// Stacked DID's two regressions are computed without ever writing the event-time dummies as columns
// (stacked-regression.ts: one absorption of y and the controls, the dummies' crossproducts and fixed-effect
// fits from group sums). Here the stack is written out as data, dummies and all, and fitted by feols with
// sub-experiment x unit and x period fixed effects: the same coefficients, clustered standard errors and
// event-time covariance, on an unbalanced panel with a control, with and without the corrective weights,
// clustered by the unit, by a coarser variable and by one that varies within units, and with an event time
// that has no treated row (dropped as feols drops it).
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { feols } from "../../bindings/estimators/feols.js";
import { stacked } from "../../bindings/estimators/did/stacked.js";
import { buildStack, experimentOfRow } from "../../bindings/estimators/did/stacked-build.js";
import { correctiveWeights } from "../../bindings/estimators/did/stacked-weights.js";
import { timingFromCohort, unitIdsOfFrame } from "../../bindings/estimators/did/cohorts.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const WINDOW: [number, number] = [-3, 2];
const EVENTS = [-3, -2, 0, 1, 2];
const name = (e: number) => (e < 0 ? `d_m${-e}` : `d_${e}`);

/** 40 units over 2000..2011: cohorts 2004, 2006, 2008 and never treated; a tenth of the rows missing at
 *  random, and (with `gap`) every treated row at event time 1 missing. */
function panel(gap: boolean) {
  const rng = new Xoshiro128(77, 3);
  const cols = { unit: [] as number[], year: [] as number[], cohort: [] as number[], x1: [] as number[], y: [] as number[], state: [] as number[], region: [] as number[] };
  for (let u = 0; u < 40; u++) {
    const cohort = [2004, 2006, 2008, 0][u % 4];
    const a = rng.normal();
    for (let t = 2000; t <= 2011; t++) {
      const x1 = rng.normal();
      const drop = rng.uniform() < 0.1 || (gap && cohort > 0 && t - cohort === 1);
      if (drop) continue;
      const effect = cohort > 0 && t >= cohort ? 1 + 0.3 * (t - cohort) : 0;
      cols.unit.push(u); cols.year.push(t); cols.cohort.push(cohort); cols.x1.push(x1);
      cols.state.push(u % 7);
      cols.region.push((u % 3) * 10 + (t % 4));
      cols.y.push(a + 0.2 * (t - 2000) + 0.5 * x1 + effect + rng.normal());
    }
  }
  return fromColumns(cols);
}

/** The stack written out: one row per stacked row, its fixed effects, weight, dummies and post. */
function writtenStack(f: ReturnType<typeof panel>, weighting: "corrective" | "none") {
  const units = unitIdsOfFrame(f, "unit");
  const timing = timingFromCohort(f, { unit: "unit", time: "year", cohort: "cohort", never: 0 });
  const stack = buildStack({ timing, time: f.numeric("year"), unitIds: units.ids, units: units.G, usable: new Uint8Array(f.nrow).fill(1), window: WINDOW, cleanControls: "notyet" });
  const w = weighting === "corrective" ? correctiveWeights(stack, WINDOW) : null;
  const out: Record<string, number[]> = { y: [], x1: [], su: [], st: [], w: [], post: [], unit: [], state: [], region: [] };
  for (const e of EVENTS) out[name(e)] = [];
  stack.source.forEach((r, k) => {
    const b = experimentOfRow(stack, k);
    const e = stack.event[k];
    const treated = stack.treated[k] === 1;
    out.y.push(f.numeric("y")[r]);
    out.x1.push(f.numeric("x1")[r]);
    out.su.push(b * 1000 + f.numeric("unit")[r]);
    out.st.push(b * 10000 + f.numeric("year")[r]);
    out.w.push(w ? w[k] : 1);
    out.post.push(treated && e >= 0 ? 1 : 0);
    for (const ev of EVENTS) out[name(ev)].push(treated && e === ev ? 1 : 0);
    for (const c of ["unit", "state", "region"]) out[c].push(f.numeric(c)[r]);
  });
  return fromColumns(out);
}

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));

describe("stacked DID's regressions equal feols on the stack written out", () => {
  for (const gap of [false, true]) {
    for (const weighting of ["corrective", "none"] as const) {
      for (const cluster of ["unit", "state", "region"]) {
        it(`${weighting} weights, clustered by ${cluster}${gap ? ", event time 1 without treated rows" : ""}`, () => {
          const f = panel(gap);
          const r = stacked(f, { y: "y", unit: "unit", time: "year", cohort: "cohort", never: 0, controls: ["x1"], window: WINDOW, weighting, cluster: cluster === "unit" ? null : cluster });
          const s = writtenStack(f, weighting);
          const options = { vcov: `cluster:${cluster}`, weights: weighting === "corrective" ? "w" : null };
          const eventFit = feols(s, `y ~ x1 + ${EVENTS.map(name).join(" + ")} | su + st`, options);
          const attFit = feols(s, "y ~ x1 + post | su + st", options);
          const kept = EVENTS.filter((e) => eventFit.coefNames.includes(name(e)));
          expect(kept).toEqual(gap ? [-3, -2, 0, 2] : EVENTS);
          expect(r.event.map((e) => e.rel_time)).toEqual(kept);
          expect(r.nobs).toBe(eventFit.nobs);
          const coef = eventFit.coef();
          const se = eventFit.se();
          r.event.forEach((row) => {
            near(row.estimate, coef[name(row.rel_time)]);
            near(row.std_error, se[name(row.rel_time)]);
          });
          const V = eventFit.vcov;
          const at = kept.map((e) => eventFit.coefNames.indexOf(name(e)));
          r.eventVcov.vcov.forEach((row, i) => row.forEach((v, j) => near(v, V[at[i]][at[j]])));
          near(r.att.estimate, attFit.coef().post);
          near(r.att.std_error, attFit.se("post"));
          near(r.att.p_value, attFit.tidy().find((t) => t.term === "post")!.p_value);
          expect(r.notes.some((n) => n.kind === "collinear_removed")).toBe(gap);
        });
      }
    }
  }
});
