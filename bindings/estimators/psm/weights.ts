// Unit weights for the DID on the matched panel. Matched treated units weigh 1; a matched control weighs
// what it contributed to the matching:
//   "count"   (default) its summed shares, psmatch2's _weight: with one neighbour and replacement, the
//             number of treated units it was matched to; the matched controls then weigh as much in
//             total as the matched treated units, as in a data set of matched pairs;
//   "matchit" the same, rescaled so the controls' weights sum to the number of distinct matched controls,
//             as MatchIt's match.data() weights (ATT);
//   "none"    1 for every matched unit (an unweighted regression on the matched units).
// Units with weight 0 are not in the DID sample. With staggered adoption the choice moves the estimate
// (the time effects pool treated and control units); in a single-adoption 2x2 design it does not.
export type DidWeighting = "count" | "matchit" | "none";

export function didUnitWeights(treatedMatched: Uint8Array, controlWeight: Float64Array, scheme: DidWeighting): Float64Array {
  const U = treatedMatched.length;
  const w = new Float64Array(U);
  let distinct = 0;
  let total = 0;
  for (let u = 0; u < U; u++) {
    if (controlWeight[u] > 0) {
      distinct++;
      total += controlWeight[u];
    }
  }
  const scale = scheme === "matchit" ? distinct / total : 1;
  for (let u = 0; u < U; u++) {
    if (treatedMatched[u]) w[u] = 1;
    else if (controlWeight[u] > 0) w[u] = scheme === "none" ? 1 : controlWeight[u] * scale;
  }
  return w;
}
