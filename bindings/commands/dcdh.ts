// didwasm dcdh: de Chaisemartin and D'Haultfoeuille's event-study estimators (did_multiplegt_dyn), for
// treatments that may be non-binary and switch on and off.
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const dcdhCommand = defineCommand({
  name: "dcdh",
  summary: "de Chaisemartin and D'Haultfoeuille (2024) event-study DID (did_multiplegt_dyn): switchers against not-yet-switched groups with the same period-one treatment; non-binary treatments that go up and down, placebos, normalised effects, average total effect",
  example: "--y Dl_vloans_b --unit county --time year --treat inter_bra --effects 8 --placebo 3 --cluster state_n",
  conventions: [
    "Effect_l (l = 1..effects) compares each switcher's outcome change from F_g - 1 to F_g - 1 + l with that of groups with the same period-one treatment whose treatment has not changed yet; in the event table it is event time l - 1; Placebo_l is event time -1 - l (reference F_g - 1 = -1)",
    "standard errors: the package's influence functions with cohort-centred changes and sqrt(n/(n-1)) corrections, clustered by the group (or --cluster), normal intervals; joint tests use a generalised inverse",
  ],
  phase: "fit",
  options: {
    ...shared.panel,
    unit: { ...shared.unit, label: "Group identifier", help: "group identifier column (the package's group)" },
    treat: opt.column({ label: "Treatment", help: "treatment column: any numeric values (binary or not), may change several times in either direction", required: true, web: { prefer: "numeric" } }),
    effects: opt.integer({ label: "Effects", help: "number of event-study effects", default: 1, min: 1, max: 10_000 }),
    placebo: opt.integer({ label: "Placebos", help: "number of placebo estimators (at most the number of effects)", default: 0, min: 0, max: 10_000 }),
    normalized: opt.flag({ label: "Normalized", help: "divide each effect by the switchers' mean cumulative treatment change (effects per unit of treatment)", default: false }),
    sameSwitchers: opt.flag({ label: "Same switchers", help: "only switchers for which every requested effect can be estimated", default: false, web: { advanced: true } }),
    effectsEqual: opt.flag({
      label: "Test equal effects", help: "chi-squared test that all effects are equal", default: false, web: { advanced: true },
      appliesWhen: (o) => ((o.effects as number | undefined ?? 1) < 2 ? "needs {effects} of at least 2" : null),
    }),
    switchers: opt.choice(["both", "in", "out"] as const)({
      label: "Switchers", help: "use groups whose treatment went up (in), down (out), or both", default: "both", web: { advanced: true },
    }),
    controls: { ...shared.controls, help: "not supported yet by dcdh: refused with an explanation", web: { ...shared.controls.web, hidden: true } },
    cluster: opt.column({ label: "Cluster by", help: "cluster variable of the standard errors (groups nested within it)", defaultText: "the group", web: { prefer: "id" } }),
    weights: shared.weights,
    subset: shared.subset,
    threads: { ...shared.threads, help: shared.TOUCH_THREADS_HELP },
  },
  output: {},
  figure: "write the event-study plot (effects at event times 0..L-1, placebos before -1)",
  async execute(frame, o) {
    // Loaded on first use, so that the CLI and the web page do not load every estimator at start.
    const [{ dcdh }, { dcdhText }] = await Promise.all([import("../estimators/did/dcdh.js"), import("../present/dcdh-text.js")]);
    const r = dcdh(frame, o);
    const figure = () => coefPlotSvg(r.event.map((e) => ({ rel_time: e.rel_time!, estimate: e.estimate, conf_low: e.conf_low, conf_high: e.conf_high })), { ref: -1, title: `dCDH event study: ${o.y}` });
    return { json: r.toJSON(), text: dcdhText(r), figure, notes: r.notes };
  },
});
