// The logit and psm commands.
import { logit } from "../estimators/logit.js";
import { psm, type PsmResult } from "../estimators/psm/psm.js";
import { logitText, psmText } from "../present/psm-text.js";
import { scoreDensitySvg } from "../present/svg/score-density.js";
import { bool, common, int, list, need, num, oneOf, range, str } from "./options.js";
import type { CommandSpec, Options } from "./types.js";

export const logitCommand: CommandSpec = {
  name: "logit",
  phase: "fit",
  async execute(frame, o) {
    const c = common(o);
    const r = logit(frame, need(o, "formula"), { weights: c.weights, subset: c.subset, backend: c.backend, tol: num(o, "tol"), maxIter: c.maxIter });
    return { json: r.toJSON(), text: logitText(r), warnings: r.converged ? [] : [`the logit did not converge within ${r.iterations} iterations`] };
  },
};

/** A true/false flag whose absence means "use the default" (unlike bool(), which reads absence as false). */
const optionalBool = (o: Options, key: string) => (o[key] === undefined || o[key] === null ? undefined : bool(o, key));

function scoreFigure(r: PsmResult): string {
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
  );
}

export const psmCommand: CommandSpec = {
  name: "psm",
  phase: "fit",
  async execute(frame, o) {
    const c = common(o);
    const r = psm(frame, {
      unit: need(o, "unit"), time: need(o, "time"), cohort: need(o, "cohort"), covariates: list(o, "covariates") ?? [], pre: range(o, "pre"),
      never: num(o, "never"), method: oneOf(o, "method", ["nearest", "radius", "kernel"] as const), neighbors: int(o, "neighbors", 1),
      replace: optionalBool(o, "replace"), caliper: num(o, "caliper"), kernel: oneOf(o, "kernel", ["epan", "normal"] as const), bandwidth: num(o, "bandwidth"),
      common: optionalBool(o, "common"), y: str(o, "y"), controls: list(o, "controls"), formula: str(o, "formula"), vcov: c.vcov,
      didWeights: oneOf(o, "didWeights", ["count", "matchit", "none"] as const), compat: oneOf(o, "compat", ["matchit-4.5.1"] as const),
      backend: c.backend, tol: c.tol, maxIter: c.maxIter,
    });
    const warnings: string[] = [];
    if (r.fields.matching.unmatched) warnings.push(r.notes.find((n) => n.includes("dropped:")) ?? `${r.fields.matching.unmatched} treated unit(s) without a match`);
    if (r.did && !r.did.converged) warnings.push("demeaning did not converge in the DID on the matched panel");
    return { json: r.toJSON(), text: psmText(r), figure: () => scoreFigure(r), warnings };
  },
};
