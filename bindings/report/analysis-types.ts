// The analysis types of a report spec. Each runs one command (subgroups: a fit per group and a bdiff) whose
// options it fills from the spec's roles; any other option of that command may be given in the analysis
// under the same key as run() and the CLI take (derived from the command's schema, so a new option is
// available here without touching this file). A few keys are the report's own: how a regression is built
// from roles (outcome, controls, fixef, extra, interact, trends) and the subgroup column.
import { COMMAND_SPECS, type CommandName } from "../commands/registry.js";
import { opt } from "../commands/schema/define.js";
import type { Schema } from "../commands/schema/types.js";

export const ANALYSIS_TYPES = ["describe", "regression", "eventstudy", "placebo", "bacon", "did2s", "imputation", "etwfe", "dcdh", "synthdid", "stacked", "sunab", "csdid", "psm", "subgroups", "compare", "honestdid", "pretrends"] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

/** The command an analysis type runs and whose options it accepts. */
export const ANALYSIS_COMMAND: Readonly<Record<AnalysisType, CommandName>> = {
  describe: "describe", regression: "fit", eventstudy: "eventstudy", placebo: "placebo", bacon: "bacon", did2s: "did2s", imputation: "imputation", etwfe: "etwfe", dcdh: "dcdh", synthdid: "synthdid", stacked: "stacked",
  sunab: "sunab", csdid: "csdid", psm: "psm", subgroups: "bdiff", compare: "compare", honestdid: "honestdid", pretrends: "pretrends",
};

/** `controls` in a spec: true (the roles' controls), false (none), or a list of columns. */
const controls = opt.columns({ label: "Controls", help: "true: the roles' controls; false: none; or a list of columns" });

/** Report-only keys per type (besides type and label). */
export const REPORT_KEYS: Readonly<Record<AnalysisType, Schema>> = {
  describe: {},
  regression: {
    outcome: opt.column({ label: "Outcome", help: "outcome instead of roles.outcome" }),
    outcomes: opt.columns({ label: "Outcomes", help: "several outcomes, one model each (c(y1, y2) ~ ...)" }),
    controls,
    fixef: opt.columns({ label: "Fixed effects", help: "true: unit and time; false: none; or a list of columns" }),
    extra: opt.columns({ label: "Extra regressors", help: "regressors added to the treatment and controls" }),
    interact: opt.column({ label: "Moderator", help: "a column interacted with the treatment (treatment:m + m)" }),
    trends: opt.columns({ label: "Initial-level trends", help: "for each column v, v's value in the unit's first period x (time - first period)" }),
  },
  eventstudy: { controls },
  placebo: { controls },
  bacon: { controls },
  did2s: { controls },
  imputation: { controls },
  etwfe: { controls },
  dcdh: {},
  stacked: { controls },
  synthdid: { controls },
  sunab: { controls },
  csdid: { controls },
  psm: { controls },
  subgroups: {
    by: opt.column({ label: "Groups", help: "a column with two values: the regression in each group and a bdiff test", required: true }),
    split: opt.choice(["median"] as const)({ label: "Split", help: "median: split a continuous column into units whose mean is above and at or below the median of the units' means" }),
    controls,
    vcov: COMMAND_SPECS.fit.options.vcov,
  },
  compare: {},
  honestdid: {},
  pretrends: {},
};

/** Command options an analysis type sets itself and a spec may not give. */
const SET_BY_REPORT: Readonly<Partial<Record<AnalysisType, readonly string[]>>> = {
  regression: [],
  subgroups: ["formula", "group", "coef"],
};

/** Every key an analysis of this type accepts, with its declaration (command options, then report keys). */
export function analysisKeys(type: AnalysisType): Schema {
  const command = COMMAND_SPECS[ANALYSIS_COMMAND[type]].options as Schema;
  const hidden = new Set(SET_BY_REPORT[type] ?? []);
  const out: Record<string, Schema[string]> = {};
  for (const [k, def] of Object.entries(command)) if (!hidden.has(k) && !def.cliAndRunOnly) out[k] = def;
  return { ...out, ...REPORT_KEYS[type] };
}
