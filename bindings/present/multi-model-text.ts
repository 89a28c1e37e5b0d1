// The models of one multiple estimation (c(y1, y2), stepwise, split) as ONE regression table with a column
// per model, as fixest's etable() shows them: the outcome row, the fixed-effect rows, the variance of each
// model when they differ, a "Sample (g)" row for a split, and each note once, with the columns it concerns.
import type { ModelResult, MultiModelFit } from "../estimators/multi-fit.js";
import { sampleText } from "../model/split.js";
import { regressionTable, type TableRowSpec } from "./tables/regression-table.js";
import { renderTable, type TableFormat } from "./tables/render.js";

/** The notes of the models, each message once, preceded by the columns it concerns ("(1), (3): ..."). */
function columnNotes(models: readonly ModelResult<MultiModelFit>[]): string[] {
  const where = new Map<string, number[]>();
  models.forEach((m, i) => {
    for (const n of m.fit.notes) where.set(n.message, [...(where.get(n.message) ?? []), i + 1]);
  });
  return [...where].map(([message, cols]) => (cols.length === models.length ? message : `${cols.map((c) => `(${c})`).join(", ")}: ${message}`));
}

/** A variance's name in a table row, as etable's "S.E. type" row: IID, Heterosk., by: a & b. */
function vcovShort(vcovType: string): string {
  if (vcovType === "iid") return "IID";
  if (vcovType === "hetero") return "Heterosk.";
  const m = /^cluster:(.+)$/.exec(vcovType);
  return m ? `by: ${m[1].split("+").join(" & ")}` : vcovType;
}

/** The fit statistics of a GLM that etable shows (GlmFit's fields). */
interface GlmStats {
  readonly nobs: number;
  readonly sqCor: number | null;
  readonly pseudoR2: number;
  readonly bic: number;
}

const STATS_DIGITS = 3;

function glmRows(fits: readonly GlmStats[]): TableRowSpec[] {
  const num = (v: number | null, digits = STATS_DIGITS) => (v === null ? "" : v.toFixed(digits));
  return [
    { label: "N", values: fits.map((f) => String(f.nobs)) },
    { label: "Squared cor.", values: fits.map((f) => num(f.sqCor)) },
    { label: "Pseudo R²", values: fits.map((f) => num(f.pseudoR2)) },
    { label: "BIC", values: fits.map((f) => num(f.bic, 1)) },
  ];
}

/** The table of several models in a format of render.ts (text for the CLI). */
export function multiModelTable(models: readonly ModelResult<MultiModelFit>[], format: TableFormat = "text"): string {
  const rows: TableRowSpec[] = [];
  const split = models.find((m) => m.sample !== null)?.sample;
  // Models that differ in their variance (fixest clusters by the first fixed effect, when there is one)
  // say which each has; a common one is said in the note under the table.
  if (new Set(models.map((m) => m.fit.vcovType)).size > 1) rows.push({ label: "S.E. type", values: models.map((m) => vcovShort(m.fit.vcovType)) });
  if (split) rows.push({ label: `Sample (${split.var})`, values: models.map((m) => (m.sample ? sampleText(m.sample) : "")) });
  // GLMs (fepois, feglm) have no R²: etable's rows for them instead, after N.
  const glm = models.every((m) => typeof (m.fit as Partial<GlmStats>).pseudoR2 === "number");
  if (glm) rows.push(...glmRows(models.map((m) => m.fit as unknown as GlmStats)));
  const stats = glm ? [] : (["nobs", "r2", "r2_within", "adj_r2"] as const);
  const table = regressionTable(models.map((m) => m.fit), { rows, stats: [...stats], notes: columnNotes(models) });
  return renderTable(table, format);
}
