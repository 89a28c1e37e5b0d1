// didwasm bacon: the Goodman-Bacon decomposition of the TWFE DID estimate.
import { bacon } from "../estimators/did/bacon.js";
import { baconText } from "../present/did-text.js";
import { scatterSvg } from "../present/svg/scatter.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const baconCommand = defineCommand({
  name: "bacon",
  summary: "Goodman-Bacon decomposition of the TWFE DID estimate (balanced panels; with controls: Omega, within and between 2x2s)",
  example: "--y l_homicide --unit state --time year --treat post --plot bacon.svg",
  phase: "fit",
  options: {
    ...shared.panel,
    treat: shared.treat,
    controls: shared.controls,
    subset: shared.subset,
    backend: shared.backend,
  },
  output: {},
  figure: "write the estimate-vs-weight scatter plot",
  async execute(frame, o) {
    const r = bacon(frame, o);
    const figure = () =>
      scatterSvg(
        r.pairs.map((p) => ({ x: p.weight, y: p.estimate, group: p.type, tip: `${p.treated} vs ${p.untreated ?? "never"}: estimate ${p.estimate.toPrecision(4)}, weight ${p.weight.toPrecision(3)}` })),
        { title: "Goodman-Bacon decomposition", xLabel: "Weight", yLabel: "2x2 DID estimate", hLine: { y: r.twfe, label: `TWFE = ${r.twfe.toPrecision(4)}` } },
      );
    return { json: r.toJSON(), text: baconText(r), figure, notes: r.notes };
  },
});
