// Goodman-Bacon (2021) decomposition of the two-way fixed-effects DID estimate into every 2x2 comparison
// of treatment-timing groups, with bacondecomp's labels and weights. Balanced panels only: the identity
// TWFE = sum of weight x 2x2 estimate does not hold otherwise.
//
// Without controls, for timing groups k (treated) and l (control) the comparison uses the periods in
// which l's treatment status is constant (all periods for never- or always-treated l; before l's start
// when l is later; from l's start when l is earlier). Its estimate is the 2x2 DID of means, its weight
// (n_k + n_l)^2 p (1 - p) D (1 - D) rescaled so all weights sum to one, where n are observations in the
// window, p = n_k / (n_k + n_l) and D is the share of k's window observations that are treated.
// With controls see bacon-controlled.ts (within/between decomposition, Omega and beta_within).
import { toFrame, type DataInput } from "../../data/columns.js";
import { info, warning, type Note } from "../../notes.js";
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { groupIds } from "../../model/groups.js";
import { buildSample, sampleValues } from "../../model/sample.js";
import type { Engine } from "../../engine/engine.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import { timingFromTreatment } from "./cohorts.js";
import { baconControlled } from "./bacon-controlled.js";
import type { BaconPair, BaconPanel, BaconType } from "./bacon-types.js";
import { smallOls } from "./small-ols.js";

export type { BaconPair, BaconType } from "./bacon-types.js";

export interface BaconResult {
  readonly twfe: number;
  readonly pairs: readonly BaconPair[];
  readonly byType: ReadonlyArray<{ readonly type: BaconType; readonly weight: number; readonly estimate: number }>;
  /** With controls: the weight of the within-timing-group estimate, and that estimate. */
  readonly omega: number | null;
  readonly betaWithin: number | null;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

export interface BaconOptions extends Pick<CommonFitOptions, "backend" | "engine" | "subset"> {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly treat: string;
  readonly controls?: readonly string[];
}

function preparePanel(frame: Frame, o: BaconOptions): BaconPanel {
  const timing = timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat });
  const sample = buildSample(frame, {
    numeric: [
      { name: o.y, role: "outcome" }, { name: o.treat, role: "treatment variable" }, { name: o.time, role: "time variable" },
      ...(o.controls ?? []).map((c) => ({ name: c, role: "control" })),
    ],
    categorical: [{ name: o.unit, role: "unit variable" }],
    subset: o.subset ?? null, fixef: [], fixefRm: "none",
  });
  const rows = sample.rows;
  if (sample.dropped.missing > 0) {
    throw new DidwasmError("BAD_DATA", `${sample.dropped.missing} row(s) have missing values: the decomposition needs a balanced panel without gaps`);
  }
  const unit = { ...groupIds(frame, o.unit, rows), name: o.unit };
  const period = { ...groupIds(frame, o.time, rows), name: o.time };
  if (unit.G * period.G !== rows.length) {
    throw new DidwasmError(
      "BAD_DATA",
      `unbalanced panel: ${unit.G} units x ${period.G} periods would be ${unit.G * period.G} rows, but the sample has ${rows.length}; ` +
        "the Goodman-Bacon decomposition holds only in balanced panels",
    );
  }
  const seen = new Uint8Array(unit.G * period.G);
  const unitIds = unit.ids; // once: ids may be read through a getter (model/groups.ts)
  const periodIds = period.ids;
  for (let i = 0; i < rows.length; i++) {
    const k = unitIds[i] * period.G + periodIds[i];
    if (seen[k]) throw new DidwasmError("BAD_DATA", `unit ${frame.cellText(o.unit, rows[i])} appears twice in period ${frame.cellText(o.time, rows[i])}`);
    seen[k] = 1;
  }
  const time = sampleValues(frame, o.time, rows, "time variable");
  const group = Float64Array.from(rows, (r) => timing.cohortOfRow[r]);
  if (!group.some((g) => Number.isFinite(g) && g > timing.firstPeriod)) {
    throw new DidwasmError("BAD_DATA", "no unit starts treatment inside the panel: there is nothing to decompose");
  }
  return {
    frame, rows, y: sampleValues(frame, o.y, rows, "outcome"), d: sampleValues(frame, o.treat, rows, "treatment variable"), time, group,
    unit, period, firstPeriod: timing.firstPeriod,
  };
}

export function typeOf(treated: number, untreated: number, firstPeriod: number): BaconType {
  if (untreated === Infinity) return "Treated vs Untreated";
  if (untreated === firstPeriod) return "Later vs Always Treated";
  return treated > untreated ? "Later vs Earlier Treated" : "Earlier vs Later Treated";
}

export function summariseByType(pairs: readonly BaconPair[]): BaconResult["byType"] {
  const types = [...new Set(pairs.map((p) => p.type))].sort();
  return types.map((type) => {
    const ps = pairs.filter((p) => p.type === type);
    const weight = ps.reduce((s, p) => s + p.weight, 0);
    return { type, weight, estimate: ps.reduce((s, p) => s + p.weight * p.estimate, 0) / weight };
  });
}

function uncontrolledPairs(p: BaconPanel): BaconPair[] {
  const groups = [...new Set(p.group)].sort((a, b) => a - b);
  const raw: Array<Omit<BaconPair, "weight"> & { w: number }> = [];
  for (const k of groups) {
    if (k === Infinity || k === p.firstPeriod) continue;
    for (const l of groups) {
      if (l === k) continue;
      const inWindow = (t: number) => (l === Infinity || l === p.firstPeriod ? true : k < l ? t < l : t >= l);
      // cell sums: [group][post]
      const sum = [[0, 0], [0, 0]];
      const cnt = [[0, 0], [0, 0]];
      let treatedObs = 0;
      for (let i = 0; i < p.rows.length; i++) {
        const g = p.group[i];
        if ((g !== k && g !== l) || !inWindow(p.time[i])) continue;
        const a = g === k ? 0 : 1;
        const post = p.time[i] >= k ? 1 : 0;
        sum[a][post] += p.y[i];
        cnt[a][post]++;
        if (a === 0 && p.d[i] === 1) treatedObs++;
      }
      const nk = cnt[0][0] + cnt[0][1];
      const nl = cnt[1][0] + cnt[1][1];
      if (cnt[0][0] === 0 || cnt[0][1] === 0 || cnt[1][0] === 0 || cnt[1][1] === 0) continue;
      const estimate = (sum[0][1] / cnt[0][1] - sum[0][0] / cnt[0][0]) - (sum[1][1] / cnt[1][1] - sum[1][0] / cnt[1][0]);
      const share = nk / (nk + nl);
      const D = treatedObs / nk;
      raw.push({ treated: k, untreated: l === Infinity ? null : l, type: typeOf(k, l, p.firstPeriod), estimate, w: (nk + nl) ** 2 * share * (1 - share) * D * (1 - D) });
    }
  }
  const total = raw.reduce((s, r) => s + r.w, 0);
  return raw.map(({ w, ...r }) => ({ ...r, weight: w / total }));
}

export function bacon(data: DataInput, o: BaconOptions): BaconResult {
  const frame = toFrame(data);
  const { engine } = resolveCommon(o, { type: "iid" }) as { engine: Engine };
  const panel = preparePanel(frame, o);
  const controls = o.controls ?? [];
  const regressors = [{ name: o.treat, values: panel.d }, ...controls.map((c) => ({ name: c, values: sampleValues(frame, c, panel.rows, "control") }))];
  const twfeFit = smallOls(engine, panel.y, regressors, [panel.unit, panel.period]);
  const twfe = twfeFit.coef.get(o.treat);
  if (twfe === undefined) throw new DidwasmError("ALL_COLLINEAR", `the treatment "${o.treat}" is collinear with the fixed effects`);
  const notes: Note[] = [];
  const always = new Set([...panel.group].filter((g) => g === panel.firstPeriod)).size;
  if (always) notes.push(info("method", "always-treated units (treated in the first period) serve only as controls (\"Later vs Always Treated\"), as in bacondecomp"));
  let pairs: BaconPair[];
  let omega: number | null = null;
  let betaWithin: number | null = null;
  if (controls.length === 0) pairs = uncontrolledPairs(panel);
  else {
    const c = baconControlled(engine, panel, controls.map((nm) => sampleValues(frame, nm, panel.rows, "control")));
    pairs = c.pairs;
    omega = c.omega;
    betaWithin = c.betaWithin;
  }
  const byType = summariseByType(pairs);
  const implied = (omega ?? 0) * (betaWithin ?? 0) + (1 - (omega ?? 0)) * pairs.reduce((s, p) => s + p.weight * p.estimate, 0);
  if (Math.abs(implied - twfe) > 1e-6 * Math.max(1, Math.abs(twfe))) {
    notes.push(warning("precision_loss", `the weighted 2x2 estimates add up to ${implied}, not the TWFE estimate ${twfe}`));
  }
  return {
    twfe, pairs, byType, omega, betaWithin, notes,
    toJSON() {
      return {
        twfe,
        ...(omega !== null ? { omega, beta_within: betaWithin } : {}),
        by_type: byType,
        pairs,
        notes,
      };
    },
  };
}
