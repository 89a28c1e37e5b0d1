// Which fixed-effect values are set to 0 (the references) and in what order the others are solved, by
// fixest 0.12's rule (fixef.fixest and its C++ cpp_get_fe_gnl, read for the rule; written anew here).
//
// With Q fixed effects, observation i carries the sum of its Q values, s_i = sum_q a_q[g_q(i)]. Knowing Q - 1
// of an observation's values gives the last one. The rule:
//   1. take the first observation of the sample; keep its first fixed effect free and set the values of
//      its other fixed effects to 0 (references);
//   2. solve every value that some observation now determines (Q - 1 of its values known), until none is
//      left (this closure does not depend on the order of solving);
//   3. if observations remain undetermined, pick, in sample order, the first one with Q - 2 known values,
//      else the first with the most known values, else the first; set to 0 all its unknown values but the
//      first, and go back to 2.
// With two fixed effects this sets one level of the second fixed effect to 0 per connected component of
// the bipartite graph of levels: the level of the component's first observation. The number of references
// of each fixed effect is what fixest reports (attr "references") and what ssc(fixef.force_exact = TRUE)
// subtracts from the parameter count.
import type { Groups } from "../model/groups.js";

export interface FixefPlan {
  readonly Q: number;
  /** Offset of fixed effect q's levels in the flat list of all levels. */
  readonly base: Int32Array;
  /** References per fixed effect. */
  readonly references: Int32Array;
  /** Solving steps in order, flattened (q, level, observation): that level's value is the observation's
   *  sum less its other, already known values. */
  readonly steps: Int32Array;
}

/** Levels' observations as one list, fixed effect by fixed effect (CSR: level l's in [start[l], start[l+1])). */
function observationsOfLevels(fixef: readonly Groups[], base: Int32Array, M: number): { start: Int32Array; obs: Int32Array } {
  const n = fixef[0].ids.length;
  const start = new Int32Array(M + 1);
  fixef.forEach((f, q) => {
    const ids = f.ids; // once: ids may be read through a getter (model/groups.ts)
    for (let i = 0; i < n; i++) start[base[q] + ids[i] + 1]++;
  });
  for (let l = 0; l < M; l++) start[l + 1] += start[l];
  const fill = start.slice(0, M);
  const obs = new Int32Array(n * fixef.length);
  fixef.forEach((f, q) => {
    const ids = f.ids;
    for (let i = 0; i < n; i++) obs[fill[base[q] + ids[i]]++] = i;
  });
  return { start, obs };
}

export function fixefPlan(fixef: readonly Groups[]): FixefPlan {
  const Q = fixef.length;
  const n = Q > 0 ? fixef[0].ids.length : 0;
  const base = new Int32Array(Q);
  for (let q = 1; q < Q; q++) base[q] = base[q - 1] + fixef[q - 1].G;
  const M = Q > 0 ? base[Q - 1] + fixef[Q - 1].G : 0;
  const references = new Int32Array(Q);
  const steps: number[] = [];
  if (Q === 0) return { Q, base, references, steps: new Int32Array(0) };
  if (Q === 1) {
    // One fixed effect: each value is its level's sum, read from the level's first observation.
    const seen = new Uint8Array(M);
    const ids0 = fixef[0].ids; // once: ids may be read through a getter (model/groups.ts)
    for (let i = 0; i < n; i++) {
      const g = ids0[i];
      if (!seen[g]) {
        seen[g] = 1;
        steps.push(0, g, i);
      }
    }
    return { Q, base, references, steps: Int32Array.from(steps) };
  }

  const { start, obs } = observationsOfLevels(fixef, base, M);
  const idsOf = fixef.map((f) => f.ids); // once each: ids may be read through a getter (model/groups.ts)
  const known = new Uint8Array(M);
  const count = new Int32Array(n); // known values per observation
  const queue: number[] = [];
  const markKnown = (level: number) => {
    known[level] = 1;
    for (let j = start[level]; j < start[level + 1]; j++) {
      const i = obs[j];
      if (++count[i] === Q - 1) queue.push(i);
    }
  };
  const solveAll = () => {
    while (queue.length > 0) {
      const i = queue.pop()!;
      if (count[i] !== Q - 1) continue;
      let q = 0;
      while (known[base[q] + idsOf[q][i]]) q++;
      const g = idsOf[q][i];
      steps.push(q, g, i);
      markKnown(base[q] + g);
    }
  };
  const setReferences = (i: number) => {
    let first = true;
    for (let q = 0; q < Q; q++) {
      const level = base[q] + idsOf[q][i];
      if (known[level]) continue;
      if (first) {
        first = false;
        continue;
      }
      references[q]++;
      markKnown(level);
    }
  };

  let cursor = 0; // observations before it are all determined
  setReferences(0);
  for (;;) {
    solveAll();
    while (cursor < n && count[cursor] === Q) cursor++;
    if (cursor === n) break;
    // fixest's choice of the next observation (step 3 above), over the undetermined ones in sample order.
    let pick = -1;
    let most = 0;
    for (let i = cursor; i < n; i++) {
      const c = count[i];
      if (c === Q) continue;
      if (c === Q - 2) {
        pick = i;
        break;
      }
      if (c > most) {
        most = c;
        pick = i;
      } else if (pick < 0) pick = i;
    }
    setReferences(pick);
  }
  return { Q, base, references, steps: Int32Array.from(steps) };
}

/** The values of every level given each observation's sum of fixed effects, following the plan (levels
 *  never solved are references: 0). Flat, in the plan's level order. */
export function solveFixef(plan: FixefPlan, fixef: readonly Groups[], sums: Float64Array): Float64Array {
  const M = plan.Q > 0 ? plan.base[plan.Q - 1] + fixef[plan.Q - 1].G : 0;
  const values = new Float64Array(M);
  const s = plan.steps;
  const idsOf = fixef.map((f) => f.ids); // once each: ids may be read through a getter (model/groups.ts)
  for (let k = 0; k < s.length; k += 3) {
    const q = s[k];
    const i = s[k + 2];
    let v = sums[i];
    for (let l = 0; l < plan.Q; l++) if (l !== q) v -= values[plan.base[l] + idsOf[l][i]];
    values[plan.base[q] + s[k + 1]] = v;
  }
  return values;
}
