// Nothing accepted and ignored: every option of every command's schema is walked. Each option either
// changes the result (the JSON differs from the same call without it), reaches the estimator's input (the
// engine's backend is the one whose kernels run; a column option is read: a missing column is named), or is
// refused with a clear error. The table of probes must name exactly the schema's options, so an option
// added without a probe fails this test.
import { afterAll, describe, expect, it } from "vitest";
import { COMMAND_SPECS, type CommandName } from "../../bindings/commands/registry.js";
import { runCommandByName } from "../../bindings/commands/run.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import type { Frame } from "../../bindings/data/frame.js";
import { defaultEngine } from "../../bindings/engine/engine.js";
import { isDidwasmError } from "../../bindings/errors.js";

type Options = Record<string, unknown>;

/** What a probe expects of an option. */
type Expect =
  | { readonly changes: Options; readonly base?: Options; readonly data?: Frame } // set these options (on top of base, on data if given) and the JSON differs
  | { readonly refused: Options; readonly message: RegExp; readonly base?: Options } // this combination is refused
  | { readonly reads: string; readonly base?: Options } // the option names a column: a missing one is reported
  | { readonly kernels: true; readonly base?: Options }; // backend: the reference kernels run

interface Case {
  readonly data: Frame;
  readonly base: Options;
  readonly probes: Readonly<Record<string, readonly Expect[]>>;
}

function panel(o: { balanced?: boolean; units?: number } = {}): Frame {
  const cols = generateSyntheticPanel({
    units: o.units ?? 60, periods: 8, regressors: 2, seed: 7, weights: true, unitsPerState: 12,
    singletons: o.balanced ? 0 : 3, missingRate: o.balanced ? 0 : 0.02,
    staggered: { cohorts: [2003, 2005], neverShare: 0.35, effect: 1 },
  });
  const n = (cols.unit as ArrayLike<unknown>).length;
  const grp = new Float64Array(n);
  for (let r = 0; r < n; r++) grp[r] = Number(cols.state[r]) % 2;
  return fromColumns({ ...cols, grp });
}

const P = panel();
const B = panel({ balanced: true });
/** honestdid: a non-staggered event study (the 2005 cohort against the rest) and two saved event studies. */
const HD = P.withColumn({ name: "D", kind: "numeric", values: Float64Array.from(P.numeric("cohort", "cohort"), (c) => (c === 2005 ? 1 : 0)) });
const savedEventStudy = (shift: number) => JSON.stringify({ event_vcov: { rel_time: [-3, -2, 0, 1], estimate: [0.01, -0.02, 0.3 + shift, 0.4], vcov: [[4, 1, 1, 0], [1, 4, 1, 1], [1, 1, 4, 1], [0, 1, 1, 4]].map((r) => r.map((v) => v * 1e-3)) } });
const HD_FORMULA = "y ~ i(year, D, ref = 2004) | unit + year";
const THREE_FE = "y ~ x1 + x2 | unit + year + state";
const PL = { formula: "y ~ treat + x1 | unit + year", treat: "treat", unit: "unit", time: "year", kind: "space", reps: 20, seed: 1 };
const BD = { formula: "y ~ treat + x1 | unit + year", group: "grp", coef: "treat", reps: 20, seed: 1 };
const BT = { formula: "y ~ treat + x1 | unit + year", coef: "treat", cluster: "unit", reps: 99, seed: 1 };
const ES = { y: "y", unit: "unit", time: "year", cohort: "cohort" };
const PS = { unit: "unit", time: "year", cohort: "cohort", covariates: ["x1", "x2"], y: "y" };
const nope = "no_such_column";
const kernels = { kernels: true } as const;

/** fepois and feglm share their options (bindings/commands/glm-options.ts): a 0/1 outcome fits both. */
const GLM = "treat ~ x1 + x2 | unit + year";
/** More fixed-effect levels than fepois's exact solve takes (estimators/dense-fixef.ts), even after the groups of
 *  only zero outcomes are removed (about a third of the units here). */
const GLM_MANY_LEVELS = panel({ units: 720 });
const glmProbes = (): Record<string, readonly Expect[]> => ({
  formula: [{ changes: { formula: "treat ~ x1 | unit + year" } }],
  vcov: [{ changes: { vcov: "hetero" } }],
  ssc: [{ changes: { ssc: "adj=false" } }, { refused: { ssc: "adj=maybe" }, message: /adj must be true or false/ }],
  panelId: [
    { base: { vcov: "DK(1)" }, changes: { panelId: ["year", "unit"] } },
    { refused: { panelId: ["unit", "year"] }, message: /panelId applies only with vcov NW\(L\) or DK\(L\)/ },
  ],
  lat: [
    { base: { vcov: "conley(100)", lat: "x1", lon: "x2" }, changes: { lat: "w" } },
    { base: { vcov: "conley(100)", lon: "x2" }, reads: "lat" },
    { refused: { lat: "x1" }, message: /lat applies only with vcov conley/ },
  ],
  lon: [
    { base: { vcov: "conley(100)", lat: "x1", lon: "x2" }, changes: { lon: "w" } },
    { base: { vcov: "conley(100)", lat: "x1" }, reads: "lon" },
    { refused: { lon: "x2" }, message: /lon applies only with vcov conley/ },
  ],
  weights: [{ changes: { weights: "w" } }, { reads: "weights" }],
  offset: [{ changes: { offset: "x2" } }, { reads: "offset" }],
  subset: [{ changes: { subset: "year >= 2002" } }],
  fixefRm: [{ changes: { fixefRm: "none" } }],
  backend: [kernels],
  threads: threadsProbe,
  tol: [{ base: { formula: "treat ~ x1 + x2 | unit + year + state" }, changes: { tol: 0.5 } }],
  // Past DENSE_MAX_GROUPS levels in all, where the sweeps (not the exact solve) absorb three fixed effects.
  maxIter: [{ base: { formula: "treat ~ x1 + x2 | unit + year + state" }, changes: { maxIter: 1 }, data: GLM_MANY_LEVELS }],
  glmTol: [{ changes: { glmTol: 0.5 } }],
  glmIter: [{ changes: { glmIter: 1 } }],
  wald: [{ changes: { wald: "x1" } }, { refused: { wald: "^z" }, message: /wald "\^z" matches no coefficient/ }],
  fixef: [{ changes: { fixef: true } }],
  split: [{ changes: { split: "grp" } }, { reads: "split" }],
  fsplit: [{ changes: { fsplit: "grp" } }, { reads: "fsplit" }, { refused: { split: "grp", fsplit: "grp" }, message: /fsplit cannot be given with split/ }],
});

/** threads: on kernel threads where they can run (dist/, see test/estimators/threads.test.ts), else one thread
 *  with a note saying why (here, the TypeScript sources): the result says so either way. */
const threadsProbe: readonly Expect[] = [{ changes: { threads: 2 } }, { refused: { threads: 0 }, message: /threads/ }];

const CASES: Readonly<Record<CommandName, Case>> = {
  fit: {
    data: P, base: { formula: "y ~ x1 + x2 | unit + year" },
    probes: {
      formula: [{ changes: { formula: "y ~ x1 | unit + year" } }],
      vcov: [{ changes: { vcov: "hetero" } }],
      weights: [{ changes: { weights: "w" } }, { reads: "weights" }],
      subset: [{ changes: { subset: "year >= 2002" } }],
      fixefRm: [{ changes: { fixefRm: "singleton" } }],
      split: [{ changes: { split: "grp" } }, { reads: "split" }],
      fsplit: [{ changes: { fsplit: "grp" } }, { reads: "fsplit" }, { refused: { split: "grp", fsplit: "grp" }, message: /fsplit cannot be given with split/ }],
      ssc: [{ changes: { ssc: "adj=false" } }, { refused: { ssc: "adj=maybe" }, message: /adj must be true or false/ }],
      panelId: [
        { base: { vcov: "DK(1)" }, changes: { panelId: ["unit", "cohort"] } },
        { refused: { panelId: ["unit", "year"] }, message: /panelId applies only with vcov NW\(L\) or DK\(L\)/ },
      ],
      lat: [
        { base: { vcov: "conley(100)", lat: "x1", lon: "x2" }, changes: { lat: "w" } },
        { base: { vcov: "conley(100)", lon: "x2" }, reads: "lat" },
        { refused: { lat: "x1" }, message: /lat applies only with vcov conley/ },
      ],
      lon: [
        { base: { vcov: "conley(100)", lat: "x1", lon: "x2" }, changes: { lon: "w" } },
        { base: { vcov: "conley(100)", lat: "x1" }, reads: "lon" },
        { refused: { lon: "x2" }, message: /lon applies only with vcov conley/ },
      ],
      wald: [{ changes: { wald: "x1" } }, { refused: { wald: "^z" }, message: /wald "\^z" matches no coefficient/ }],
      fixef: [{ changes: { fixef: true } }],
      backend: [kernels],
      threads: threadsProbe,
      tol: [{ base: { formula: THREE_FE }, changes: { tol: 0.5 } }],
      maxIter: [{ base: { formula: THREE_FE }, changes: { maxIter: 1 } }],
    },
  },
  fepois: { data: P, base: { formula: GLM }, probes: glmProbes() },
  feglm: {
    data: P, base: { formula: GLM, family: "logit" },
    probes: { ...glmProbes(), family: [{ changes: { family: "probit" } }] },
  },
  dcdh: {
    // dd: the treatment reversed (1 down to 0) in half of the states, so groups switch both ways
    data: P.withColumn({ name: "dd", kind: "numeric", values: Float64Array.from(P.numeric("treat", "t"), (d, r) => (P.numeric("grp", "g")[r] === 1 ? 1 - d : d)) }),
    base: { y: "y", unit: "unit", time: "year", treat: "treat", effects: 2 },
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], treat: [{ reads: "treat" }],
      effects: [{ changes: { effects: 3 } }], placebo: [{ changes: { placebo: 1 } }],
      normalized: [{ changes: { normalized: true } }],
      sameSwitchers: [{ base: { effects: 5 }, changes: { sameSwitchers: true } }],
      effectsEqual: [{ changes: { effectsEqual: true } }, { base: { effects: 1 }, refused: { effectsEqual: true }, message: /effectsEqual needs effects of at least 2/ }],
      switchers: [{ base: { treat: "dd" }, changes: { switchers: "in" } }, { refused: { switchers: "out" }, message: /no group whose treatment went down/ }],
      controls: [{ refused: { controls: ["x1"] }, message: /does not support controls/ }],
      cluster: [{ changes: { cluster: "state" } }, { reads: "cluster" }], weights: [{ changes: { weights: "w" } }],
      subset: [{ changes: { subset: "year >= 2001" } }],
      threads: threadsProbe,
    },
  },
  stacked: {
    data: P, base: { ...ES, window: [-2, 1] },
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], cohort: [{ reads: "cohort" }],
      treat: [{ refused: { treat: "treat" }, message: /treat cannot be given with cohort/ }, { base: { cohort: undefined }, reads: "treat" }],
      window: [{ changes: { window: [-1, 1] } }, { refused: { window: [0, 2] }, message: /lo <= -1/ }],
      cleanControls: [{ changes: { cleanControls: "never" } }], weighting: [{ changes: { weighting: "none" } }],
      controls: [{ changes: { controls: ["x1"] } }], cluster: [{ changes: { cluster: "state" } }, { reads: "cluster" }],
      subset: [{ changes: { subset: "year >= 2001" } }],
      never: [{ changes: { never: "2005" } }, { base: { cohort: undefined, treat: "treat" }, refused: { never: "2005" }, message: /never applies only with cohort/ }],
      backend: [kernels],
      threads: threadsProbe,
    },
  },
  eventstudy: {
    data: P, base: ES,
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], cohort: [{ reads: "cohort" }],
      treat: [{ refused: { treat: "treat" }, message: /treat cannot be given with cohort/ }, { base: { cohort: undefined, treat: "treat" }, changes: { subset: "year >= 2001" } }],
      controls: [{ changes: { controls: ["x1"] } }], vcov: [{ changes: { vcov: "hetero" } }], window: [{ changes: { window: [-2, 2] } }],
      bin: [{ changes: { bin: 2 } }], ref: [{ changes: { ref: -2 } }], weights: [{ changes: { weights: "w" } }], subset: [{ changes: { subset: "year >= 2001" } }],
      never: [{ changes: { never: "2005" } }, { base: { cohort: undefined, treat: "treat" }, refused: { never: "2005" }, message: /never applies only with cohort/ }],
      backend: [kernels],
      threads: threadsProbe,
    },
  },
  bacon: {
    data: B, base: { y: "y", unit: "unit", time: "year", treat: "treat" },
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], treat: [{ reads: "treat" }],
      controls: [{ changes: { controls: ["x1"] } }], subset: [{ changes: { subset: "year >= 2001" } }], backend: [kernels],
    },
  },
  did2s: {
    data: P, base: { y: "y", unit: "unit", time: "year", treat: "treat" },
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], treat: [{ reads: "treat" }],
      controls: [{ changes: { controls: ["x1"] } }],
      event: [{ changes: { event: true, cohort: "cohort" } }],
      cohort: [{ refused: { cohort: "cohort" }, message: /cohort applies only with event/ }, { base: { event: true }, reads: "cohort" }],
      ref: [{ base: { event: true, cohort: "cohort" }, changes: { ref: -2 } }, { refused: { ref: -2 }, message: /ref applies only with event/ }],
      window: [{ base: { event: true, cohort: "cohort" }, changes: { window: [-2, 2] } }, { refused: { window: [-2, 2] }, message: /window applies only with event/ }],
      bin: [{ base: { event: true, cohort: "cohort" }, changes: { bin: 2 } }, { refused: { bin: 2 }, message: /bin applies only with event/ }],
      never: [{ base: { event: true, cohort: "cohort" }, changes: { never: "2005" } }, { refused: { never: "2005" }, message: /never applies only with event/ }],
      cluster: [{ changes: { cluster: "state" } }], weights: [{ changes: { weights: "w" } }], subset: [{ changes: { subset: "year >= 2001" } }], backend: [kernels],
      threads: threadsProbe,
    },
  },
  imputation: {
    data: P, base: { y: "y", unit: "unit", time: "year", treat: "treat", avgEffectsBy: "horizon" },
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], treat: [{ reads: "treat" }],
      controls: [{ changes: { controls: ["x1"] } }],
      horizons: [{ changes: { horizons: "0:1" } }, { refused: { horizons: "-2:1" }, message: /-2 is negative/ }],
      pretrends: [{ changes: { pretrends: 2 } }],
      wtr: [{ changes: { wtr: "w" } }, { reads: "wtr" }],
      cluster: [{ changes: { cluster: "state" } }],
      leaveOut: [{ changes: { leaveOut: false } }],
      avgEffectsBy: [{ changes: { avgEffectsBy: "treated" } }],
      weights: [{ changes: { weights: "w" } }], subset: [{ changes: { subset: "year >= 2001" } }], backend: [kernels],
      threads: threadsProbe,
    },
  },
  etwfe: {
    data: P, base: { y: "y", unit: "unit", time: "year", cohort: "cohort" },
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], cohort: [{ reads: "cohort" }],
      treat: [{ base: { cohort: undefined }, reads: "treat" }, { refused: { treat: "treat" }, message: /exactly one of cohort/ }],
      controls: [{ changes: { controls: ["x1"] } }],
      aggregate: [{ changes: { aggregate: "event" } }],
      cgroup: [{ changes: { cgroup: "never" } }],
      fe: [{ changes: { fe: "none" } }, { base: { vcov: "cluster:unit", controls: ["x1"] }, changes: { fe: "vs" } }, { base: { y: "w", family: "poisson" }, refused: { fe: "feo" }, message: /gaussian family only/ }],
      family: [{ base: { y: "w" }, changes: { family: "poisson" } }],
      vcov: [{ changes: { vcov: "hetero" } }, { refused: { vcov: "twoway" }, message: /etwfe supports --vcov iid, hetero or cluster/ }],
      subset: [{ changes: { subset: "year >= 2001" } }],
      never: [{ changes: { never: "2005" } }, { base: { cohort: undefined, treat: "treat" }, refused: { never: "0" }, message: /never applies only with/ }],
      threads: threadsProbe,
      backend: [kernels],
    },
  },
  synthdid: {
    data: B, base: { y: "y", unit: "unit", time: "year", treat: "treat", vcov: "bootstrap", reps: 10, seed: 1 },
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], treat: [{ reads: "treat" }],
      method: [{ changes: { method: "sc" } }], vcov: [{ changes: { vcov: "jackknife", reps: undefined, seed: undefined } }],
      controls: [{ changes: { controls: ["x1"] } }],
      reps: [{ changes: { reps: 12 } }, { base: { vcov: "jackknife", seed: undefined }, refused: { reps: 12 }, message: /reps does not apply with vcov jackknife/ }],
      seed: [{ changes: { seed: 2 } }, { base: { vcov: "jackknife", reps: undefined }, refused: { seed: 2 }, message: /seed does not apply with vcov jackknife/ }],
      replicates: [
        { changes: { replicates: "1:5" } }, { refused: { replicates: "1:11" }, message: /outside this run's replicates 1:10/ },
        { base: { seed: undefined }, refused: { replicates: "1:5" }, message: /replicates needs seed/ },
      ],
      subset: [{ changes: { subset: "year >= 2001" } }],
      // the covariate regression's threads: without covariates there is nothing for them to do
      threads: [
        { base: { controls: ["x1"] }, changes: { threads: 2 } }, { refused: { threads: 2 }, message: /threads applies with controls only/ },
        { base: { controls: ["x1"] }, refused: { threads: 0 }, message: /threads/ },
      ],
    },
  },
  honestdid: {
    data: HD, base: { formula: HD_FORMULA },
    probes: {
      formula: [{ changes: { formula: "y ~ i(year, D, ref = 2004) + x1 | unit + year" } }],
      vcov: [{ changes: { vcov: "hetero" } }, { base: { formula: undefined, from: savedEventStudy(0) }, refused: { vcov: "iid" }, message: /vcov applies to the regression fitted here/ }],
      weights: [{ changes: { weights: "w" } }, { reads: "weights" }],
      subset: [{ changes: { subset: "year >= 2001" } }],
      from: [
        { base: { formula: undefined, from: savedEventStudy(0) }, changes: { from: savedEventStudy(0.1) } },
        { refused: { from: savedEventStudy(0) }, message: /formula cannot be given with from/ },
      ],
      numPre: [{ changes: { numPre: 3 } }],
      numPost: [{ refused: { numPost: 2 }, message: /add up to 7/ }],
      delta: [{ changes: { delta: "sd" } }],
      mbar: [{ changes: { mbar: [1] } }, { refused: { delta: "sd", mbar: [1] }, message: /mbar applies only with delta rm/ }],
      m: [{ base: { delta: "sd" }, changes: { m: [0, 0.1] } }, { refused: { m: [0.1] }, message: /m applies only with delta sd/ }],
      lVec: [{ changes: { lVec: [0.5, 0.5, 0] } }],
      method: [{ changes: { method: "arp" } }, { refused: { method: "flci" }, message: /flci applies only with delta sd/ }],
      alpha: [{ changes: { alpha: 0.1 } }],
      gridPoints: [{ changes: { gridPoints: 100 } }, { refused: { delta: "sd", gridPoints: 100 }, message: /gridPoints applies only to the conditional tests/ }],
    },
  },
  compare: {
    data: B, base: ES,
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], cohort: [{ reads: "cohort" }],
      estimators: [{ changes: { estimators: ["twfe", "sunab"] } }, { refused: { estimators: ["sunabb"] }, message: /unknown estimator "sunabb" \(did you mean "sunab"\?\)/ }],
    },
  },
  pretrends: {
    data: HD, base: { formula: undefined, from: savedEventStudy(0) },
    probes: {
      formula: [{ base: { from: undefined, formula: HD_FORMULA }, changes: { formula: "y ~ i(year, D, ref = 2004) + x1 | unit + year" } }],
      vcov: [{ base: { from: undefined, formula: HD_FORMULA }, changes: { vcov: "hetero" } }, { refused: { vcov: "iid" }, message: /vcov applies to the regression fitted here/ }],
      weights: [{ base: { from: undefined, formula: HD_FORMULA }, changes: { weights: "w" } }, { base: { from: undefined, formula: HD_FORMULA }, reads: "weights" }],
      subset: [{ base: { from: undefined, formula: HD_FORMULA }, changes: { subset: "year >= 2001" } }],
      from: [{ changes: { from: savedEventStudy(0.1) } }, { refused: { formula: HD_FORMULA }, message: /formula cannot be given with from/ }],
      reference: [{ changes: { reference: -0.5 } }, { refused: { reference: 0 }, message: /reference period 0 is one of the coefficients' event times/ }],
      slope: [{ changes: { slope: 0.1 } }, { refused: { slope: 0.1, delta: [0, 0, 0, 0] }, message: /slope cannot be given with delta/ }],
      delta: [{ changes: { delta: [-0.1, -0.05, 0.05, 0.1] } }, { refused: { delta: [0.1] }, message: /delta has 1 entries; the event study has 4 coefficients/ }],
      power: [{ changes: { power: [0.6] } }, { refused: { power: [0.01] }, message: /not above the test's size/ }],
      z: [{ changes: { z: 1.645 } }],
    },
  },
  sunab: {
    data: P, base: ES,
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], cohort: [{ reads: "cohort" }],
      controls: [{ changes: { controls: ["x1"] } }], vcov: [{ changes: { vcov: "hetero" } }], ref: [{ changes: { ref: -2 } }],
      weights: [{ changes: { weights: "w" } }], subset: [{ changes: { subset: "year >= 2001" } }], never: [{ changes: { never: "2005" } }], backend: [kernels],
      threads: threadsProbe,
    },
  },
  csdid: {
    data: B, base: ES,
    probes: {
      y: [{ changes: { y: "x1" } }], unit: [{ reads: "unit" }], time: [{ reads: "time" }], cohort: [{ reads: "cohort" }],
      controls: [{ changes: { controls: ["x1"] } }],
      estMethod: [{ base: { ...ES, controls: ["x1"] }, changes: { estMethod: "ipw" } }, { refused: { estMethod: "ipw" }, message: /needs controls/ }],
      anticipation: [{ changes: { anticipation: 1 } }], basePeriod: [{ changes: { basePeriod: "universal" } }], panel: [{ changes: { panel: false } }],
      controlGroup: [{ changes: { controlGroup: "notyet" } }],
      bootstrap: [{ changes: { bootstrap: 49, seed: 1 } }],
      seed: [{ base: { bootstrap: 49, seed: 1 }, changes: { seed: 2 } }, { refused: { seed: 2 }, message: /seed applies only with bootstrap/ }],
      alpha: [{ changes: { alpha: 0.1 } }], subset: [{ changes: { subset: "year >= 2001" } }], never: [{ changes: { never: "2005" } }],
      threads: threadsProbe,
      backend: [kernels, { refused: { panel: false, backend: "reference" }, message: /applies only to a panel/ }],
    },
  },
  placebo: {
    data: P, base: PL,
    probes: {
      formula: [{ changes: { formula: "y ~ treat | unit + year" } }], treat: [{ reads: "treat" }], unit: [{ reads: "unit" }], time: [{ reads: "time" }],
      kind: [{ changes: { kind: "mixed" } }],
      variant: [{ base: { kind: "mixed" }, changes: { variant: "2" } }, { refused: { variant: "2" }, message: /variant applies only with kind mixed/ }],
      shift: [{ base: { kind: "time", reps: undefined, seed: undefined }, changes: { shift: [1, 2] } }, { refused: { shift: [1] }, message: /shift applies only with kind time/ }],
      keepPost: [{ base: { kind: "time", reps: undefined, seed: undefined }, changes: { keepPost: true } }, { refused: { keepPost: true }, message: /keepPost applies only with kind time/ }],
      reps: [{ changes: { reps: 25 } }, { base: { kind: "time", seed: undefined }, refused: { reps: 25 }, message: /reps applies only with kind space or mixed/ }],
      seed: [{ changes: { seed: 2 } }, { base: { kind: "time", reps: undefined }, refused: { seed: 2 }, message: /seed applies only with kind space or mixed/ }],
      tStats: [{ changes: { tStats: true } }],
      // A range of the replicates gives a partial result (test/partial/ merges parts back into one run).
      replicates: [
        { changes: { replicates: "1:10" } }, { refused: { replicates: "1:21" }, message: /replicates 1:21 lie outside this run's replicates 1:20/ },
        { base: { seed: undefined }, refused: { replicates: "1:10" }, message: /replicates needs seed/ },
        { base: { kind: "time", reps: undefined, seed: undefined }, refused: { replicates: "1:2" }, message: /replicates applies only with kind space or mixed/ },
      ],
      cohort: [{ reads: "cohort" }, { changes: { cohort: "cohort", never: "2005" } }],
      never: [{ base: { cohort: "cohort" }, changes: { never: "2005" } }, { refused: { never: "2005" }, message: /never applies only with cohort/ }],
      vcov: [{ changes: { vcov: "hetero" } }], weights: [{ changes: { weights: "w" } }], subset: [{ changes: { subset: "year >= 2001" } }], backend: [kernels],
      tol: [{ base: { formula: "y ~ treat + x1 | unit + year + state" }, changes: { tol: 0.5 } }],
      // One sweep cannot demean a fake treatment: the draws refuse to run rather than use it undemeaned.
      maxIter: [{ base: { formula: "y ~ treat + x1 | unit + year + state" }, refused: { maxIter: 1 }, message: /did not converge within 1 sweeps/ }],
    },
  },
  bdiff: {
    data: P, base: BD,
    probes: {
      formula: [{ changes: { formula: "y ~ treat | unit + year" } }], group: [{ reads: "group" }], coef: [{ changes: { coef: "x1" } }],
      method: [{ changes: { method: "bootstrap" } }], reps: [{ changes: { reps: 25 } }], seed: [{ changes: { seed: 2 } }],
      replicates: [
        { changes: { replicates: "3:20" } }, { refused: { replicates: "20:21" }, message: /replicates 20:21 lie outside this run's replicates 1:20/ },
        { base: { seed: undefined }, refused: { replicates: "1:10" }, message: /replicates needs seed/ },
        { base: { clusterLevel: "state", exact: true, reps: undefined, seed: undefined }, changes: { replicates: "1:2" } },
      ],
      clusterLevel: [{ changes: { clusterLevel: "unit" } }],
      exact: [
        { base: { clusterLevel: "state" }, changes: { exact: true, reps: undefined, seed: undefined } },
        { refused: { exact: true, method: "bootstrap" }, message: /exact applies only with method permutation/ },
        { refused: { exact: true }, message: /reps cannot be given with exact/ },
      ],
      weights: [{ changes: { weights: "w" } }], subset: [{ changes: { subset: "year >= 2001" } }], backend: [kernels],
      tol: [{ base: { formula: "y ~ treat + x1 | unit + year + state" }, changes: { tol: 0.5 } }],
      maxIter: [{ base: { formula: "y ~ treat + x1 | unit + year + state" }, changes: { maxIter: 1 } }],
    },
  },
  boot: {
    data: P, base: BT,
    probes: {
      formula: [{ changes: { formula: "y ~ treat | unit + year" } }], coef: [{ changes: { coef: "x1" } }], cluster: [{ changes: { cluster: "state" } }],
      method: [{ changes: { method: "pairs" } }],
      weights: [{ changes: { weights: "webb" } }, { refused: { method: "pairs", weights: "webb" }, message: /weights applies only with method wild/ }],
      imposeNull: [{ changes: { imposeNull: false } }], null: [{ changes: { null: 0.5 } }],
      enumerate: [{ base: { cluster: "state", reps: 4 }, changes: { enumerate: true } }],
      alpha: [{ changes: { alpha: 0.1 } }, { refused: { method: "ri", alpha: 0.1 }, message: /alpha does not apply with method ri/ }],
      reps: [{ changes: { reps: 49 } }], seed: [{ changes: { seed: 2 } }], obsWeights: [{ changes: { obsWeights: "w" } }],
      replicates: [
        { changes: { replicates: "1:50" } }, { refused: { replicates: "99:100" }, message: /replicates 99:100 lie outside this run's replicates 1:99/ },
        { base: { seed: undefined }, refused: { replicates: "1:10" }, message: /replicates needs seed/ },
      ],
      subset: [{ changes: { subset: "year >= 2001" } }], backend: [kernels],
      tol: [{ base: { formula: "y ~ treat + x1 | unit + year + state" }, changes: { tol: 0.5 } }],
      maxIter: [{ base: { formula: "y ~ treat + x1 | unit + year + state" }, changes: { maxIter: 1 } }],
    },
  },
  describe: {
    data: P, base: {},
    probes: { vars: [{ changes: { vars: ["y"] } }], by: [{ changes: { by: "grp" } }], percentiles: [{ changes: { percentiles: [50] } }] },
  },
  logit: {
    data: P, base: { formula: "treat ~ x1 + x2" },
    probes: {
      formula: [{ changes: { formula: "treat ~ x1" } }], weights: [{ changes: { weights: "w" } }], subset: [{ changes: { subset: "year >= 2001" } }],
      backend: [kernels], tol: [{ changes: { tol: 0.5 } }], maxIter: [{ changes: { maxIter: 1 } }],
    },
  },
  psm: {
    data: P, base: PS,
    probes: {
      unit: [{ reads: "unit" }], time: [{ reads: "time" }], cohort: [{ reads: "cohort" }], covariates: [{ changes: { covariates: ["x1"] } }],
      pre: [{ changes: { pre: [2000, 2001] } }], never: [{ changes: { never: "2005" } }],
      method: [{ changes: { method: "kernel" } }],
      neighbors: [{ changes: { neighbors: 2 } }, { refused: { method: "kernel", neighbors: 2 }, message: /neighbors applies only with method nearest/ }],
      replace: [{ changes: { replace: false } }, { refused: { method: "kernel", replace: false }, message: /replace applies only with method nearest/ }],
      caliper: [{ changes: { caliper: 0.05 } }],
      kernel: [{ base: { method: "kernel" }, changes: { kernel: "normal" } }, { refused: { kernel: "normal" }, message: /kernel applies only with method kernel/ }],
      bandwidth: [{ base: { method: "kernel" }, changes: { bandwidth: 0.3 } }, { refused: { bandwidth: 0.3 }, message: /bandwidth applies only with method kernel/ }],
      common: [{ changes: { common: true } }],
      compat: [{ changes: { compat: "matchit-4.5.1" } }, { refused: { method: "kernel", compat: "matchit-4.5.1" }, message: /compat applies only with method nearest/ }],
      y: [{ changes: { y: "x1" } }, { refused: { formula: "y ~ treat_post | unit + year" }, message: /y cannot be given with formula/ }],
      controls: [{ changes: { controls: ["x1"] } }, { base: { y: undefined }, refused: { controls: ["x1"] }, message: /controls applies only with y/ }],
      formula: [{ base: { y: undefined }, changes: { formula: "y ~ treat_post + x1 | unit + year" } }],
      vcov: [{ changes: { vcov: "hetero" } }, { base: { y: undefined }, refused: { vcov: "hetero" }, message: /vcov applies only to the DID/ }],
      didWeights: [{ changes: { didWeights: "none" } }],
      backend: [kernels],
      tol: [{ base: { y: undefined, formula: "y ~ treat_post | unit + year + state" }, changes: { tol: 0.5 } }],
      maxIter: [{ base: { y: undefined, formula: "y ~ treat_post | unit + year + state" }, changes: { maxIter: 1 } }],
    },
  },
};

const withoutTiming = ({ timing_ms: _t, ...rest }: Record<string, unknown>) => rest;
const merge = (...parts: Options[]): Options => {
  const out: Options = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) if (v === undefined) delete out[k]; else out[k] = v;
  return out;
};
const runIt = (command: string, data: Frame, options: Options) => runCommandByName(command, data, options);

/** Counts calls of the reference backend's kernels while `f` runs. */
async function referenceKernelCalls(f: () => Promise<unknown>): Promise<number> {
  const backend = defaultEngine("reference").backend as unknown as Record<string, unknown>;
  let calls = 0;
  const saved = new Map<string, unknown>();
  const names = new Set<string>([...Object.keys(backend), ...Object.getOwnPropertyNames(Object.getPrototypeOf(backend) ?? {})]);
  for (const k of names) {
    const fn = backend[k];
    if (typeof fn !== "function" || k === "constructor" || k === "arena") continue;
    saved.set(k, fn);
    backend[k] = (...args: unknown[]) => {
      calls++;
      return (fn as (...a: unknown[]) => unknown).apply(backend, args);
    };
  }
  try {
    await f();
  } finally {
    for (const [k, fn] of saved) backend[k] = fn;
  }
  return calls;
}

const covered: string[] = [];

describe("every option of every command changes the result or is refused", () => {
  for (const [command, c] of Object.entries(CASES) as Array<[CommandName, Case]>) {
    it(`${command}: the probes name exactly the schema's options`, () => {
      expect(Object.keys(c.probes).sort()).toEqual(Object.keys(COMMAND_SPECS[command].options).sort());
    });
    for (const [key, probes] of Object.entries(c.probes)) {
      it(`${command} ${key}`, async () => {
        for (const p of probes) {
          const base = merge(c.base, p.base ?? {});
          if ("changes" in p) {
            const data = p.data ?? c.data;
            const without = withoutTiming(await runIt(command, data, base));
            const withIt = withoutTiming(await runIt(command, data, merge(base, p.changes)));
            expect(withIt, `${command} with ${JSON.stringify(p.changes)}`).not.toEqual(without);
          } else if ("refused" in p) {
            const e = await runIt(command, c.data, merge(base, p.refused)).then(() => null, (err: unknown) => err);
            expect(isDidwasmError(e), `${command} ${JSON.stringify(p.refused)} should be refused`).toBe(true);
            expect((e as Error).message).toMatch(p.message);
          } else if ("reads" in p) {
            const e = await runIt(command, c.data, merge(base, { [p.reads]: nope })).then(() => null, (err: unknown) => err);
            expect(isDidwasmError(e), `${command} ${p.reads}=${nope} should fail`).toBe(true);
            expect((e as Error).message).toContain(nope);
          } else {
            expect(await referenceKernelCalls(() => runIt(command, c.data, base))).toBe(0);
            expect(await referenceKernelCalls(() => runIt(command, c.data, merge(base, { backend: "reference" })))).toBeGreaterThan(0);
          }
        }
        covered.push(`${command}.${key}`);
      });
    }
  }
});

afterAll(() => {
  // Every command of the registry has a case.
  expect(Object.keys(CASES).sort()).toEqual(Object.keys(COMMAND_SPECS).sort());
});
