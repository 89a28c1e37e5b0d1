// Where honestdid and pretrends take their event study from: a regression fitted here (DATA and --formula
// with an i() term, --vcov, --weights, --subset), or a result another command saved with --json (--from:
// its event rows and event_vcov). One set of options and one loader for both commands.
import type { Frame } from "../data/frame.js";
import { feols } from "../estimators/feols.js";
import { fitEventStudy } from "../estimators/honestdid/fit-event-study.js";
import { savedEventStudy } from "../estimators/honestdid/saved-result.js";
import type { Note } from "../notes.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { ParsedValues } from "./schema/types.js";

const notWithFrom = (o: ParsedValues) => (o.from !== undefined ? "applies to the regression fitted here, not with {from}" : null);

/** The options of the source: `fromHelp` says what --from takes. */
export function eventStudySourceOptions(fromHelp: string) {
  return {
    formula: { ...shared.formula("y ~ i(year, D, ref = 2013) | unit + year"), required: false, requiredUnless: "from", appliesWhen: (o: ParsedValues) => (o.from !== undefined ? "cannot be given with {from}: give one of them" : null) },
    vcov: { ...shared.vcov("cluster by the first fixed effect, else iid"), appliesWhen: notWithFrom },
    weights: { ...shared.weights, appliesWhen: notWithFrom },
    subset: { ...shared.subset, appliesWhen: notWithFrom },
    from: opt.text({ label: "Saved event study", valueName: "file.json", cliAndRunOnly: true, help: fromHelp }),
  };
}

export interface EventStudySource {
  readonly betahat: number[];
  readonly sigma: number[][];
  /** The coefficients' event times (null when a saved result does not record them). */
  readonly eventTimes: number[] | null;
  /** Pre-period coefficients, when known (the formula's ref = r, or the saved result's negative times). */
  readonly numPre: number | null;
  /** The omitted period: the formula's ref = r, or -1 for a saved result; null when unknown. */
  readonly reference: number | null;
  /** The regression's or the saved result's notes. */
  readonly notes: Note[];
}

interface SourceInputs {
  readonly from?: string;
  readonly formula?: string;
  readonly vcov?: string;
  readonly weights?: string;
  readonly subset?: string | null;
}

export function loadEventStudy(frame: Frame, o: SourceInputs): EventStudySource {
  if (o.from !== undefined) {
    const saved = savedEventStudy(o.from);
    return { ...saved, reference: -1, notes: [...saved.notes] };
  }
  const fit = feols(frame, o.formula!, { vcov: o.vcov, weights: o.weights, subset: o.subset });
  return { ...fitEventStudy(fit, o.formula!), notes: [...fit.notes] };
}
