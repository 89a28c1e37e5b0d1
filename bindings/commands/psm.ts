// didwasm psm: propensity-score matching of units (logit on pre-period covariate averages), pstest-style
// balance, and the DID on the matched units' panel.
import { DEFAULT_BANDWIDTH, psm, type PsmResult } from "../estimators/psm/psm.js";
import { psmText } from "../present/psm-text.js";
import { scoreDensitySvg, type ScoreDensityText } from "../present/svg/score-density.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { ParsedValues } from "./schema/types.js";
import { defineCommand, type FigureText } from "./types.js";

const method = (...m: string[]) => (o: ParsedValues) => (m.includes(String(o.method)) ? null : `applies only with {method} ${m.join(" or ")}`);
const withDid = (o: ParsedValues) => (o.y !== undefined || o.formula !== undefined ? null : "applies only to the DID on the matched panel: give {y} or {formula}");

function scoreFigure(r: PsmResult, text?: ScoreDensityText): string {
  const f = r.fields;
  const pick = (keep: (u: number) => boolean, weight?: (u: number) => number) => {
    const scores: number[] = [];
    const weights: number[] = [];
    for (let u = 0; u < f.score.length; u++) {
      if (!f.inSample[u] || !keep(u)) continue;
      scores.push(f.score[u]);
      weights.push(weight ? weight(u) : 1);
    }
    return { scores, weights };
  };
  const treated = (u: number) => f.table.treated[u] === 1;
  return scoreDensitySvg(
    { treated: pick(treated), control: pick((u) => !treated(u)) },
    { treated: pick((u) => f.matching.treatedMatched[u] === 1), control: pick((u) => !treated(u), (u) => f.matching.controlWeight[u]) },
    { text },
  );
}

export const psmCommand = defineCommand({
  name: "psm",
  summary: "PSM-DID: ever-treated vs never-treated units matched on a logit score of pre-period covariate averages, balance table, DID on the matched panel",
  example: "--unit city --time year --cohort cohort --covariates lngdp,lnfin --pre 2007:2011 --y ire --controls lngdp",
  phase: "fit",
  options: {
    unit: shared.unit,
    time: shared.time,
    cohort: shared.cohort,
    covariates: opt.columns({ label: "Covariates", help: "covariates of the propensity score, averaged per unit over the pre period", required: true, web: { prefer: "numeric" } }),
    pre: opt.range({ label: "Pre period", help: "pre period lo:hi, inclusive", defaultText: "every period before the first adoption", min: -1e9, max: 1e9 }),
    never: shared.never,
    method: opt.choice(["nearest", "radius", "kernel"] as const)({ label: "Matching", help: "nearest, radius or kernel", default: "nearest" }),
    neighbors: opt.integer({ label: "Neighbours", help: "nearest: neighbours per treated unit", default: 1, min: 1, max: 1000, appliesWhen: method("nearest") }),
    replace: opt.flag({ label: "With replacement", help: "nearest: reuse controls (true) or not (false)", default: true, appliesWhen: method("nearest") }),
    caliper: opt.number({ label: "Caliper", help: "largest propensity-score distance of a match (radius: the radius)", min: 0, minExclusive: true }),
    kernel: opt.choice(["epan", "normal"] as const)({ label: "Kernel", help: "kernel: epan or normal", default: "epan", appliesWhen: method("kernel") }),
    bandwidth: opt.number({ label: "Bandwidth", help: "kernel bandwidth", default: DEFAULT_BANDWIDTH, min: 0, minExclusive: true, appliesWhen: method("kernel") }),
    common: opt.flag({ label: "Common support", help: "drop treated units outside the controls' score range (common support)" }),
    compat: opt.choice(["matchit-4.5.1"] as const)({
      label: "Compatibility", help: "matchit-4.5.1: reproduce MatchIt 4.5.1-4.5.3's (truncated-distance) nearest-neighbour matches", appliesWhen: method("nearest"), cliAndRunOnly: true,
    }),
    y: opt.column({
      label: "Outcome", help: "outcome of the default DID: Y ~ treat_post | UNIT + TIME", web: { prefer: "numeric" },
      appliesWhen: (o) => (o.formula !== undefined ? "cannot be given with {formula} (the formula names the outcome)" : null),
    }),
    controls: { ...shared.controls, help: "time-varying controls of the default DID formula", appliesWhen: (o) => (o.y !== undefined ? null : "applies only with {y} (add controls to {formula} instead)") },
    formula: opt.formula({ label: "DID formula", help: "DID formula on the matched panel (fixest syntax; may use treat_post)" }),
    vcov: { ...shared.vcov("cluster by the first fixed effect"), appliesWhen: withDid },
    didWeights: opt.choice(["count", "matchit", "none"] as const)({ label: "DID weights", help: "unit weights of the DID: count, matchit or none", default: "count", appliesWhen: withDid }),
    backend: shared.backend,
    tol: { ...shared.tol, appliesWhen: withDid },
    maxIter: { ...shared.maxIter, appliesWhen: withDid },
  },
  output: {},
  figure: "write the propensity-score densities before and after matching",
  async execute(frame, o) {
    const r = psm(frame, o);
    return { json: r.toJSON(), text: psmText(r), figure: (words?: FigureText) => scoreFigure(r, words?.scoreDensity), notes: r.notes };
  },
});
