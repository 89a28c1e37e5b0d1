// What fit's result options add to its output: a Wald test (--wald, JSON field `wald`), the fixed effects'
// values (--fixef, JSON field `fixef`; --fixef-out writes them as CSV) and fitted values and residuals
// aligned to the input rows (--predict writes them as CSV). One place for the single-model and the
// multi-model outputs, and for fit's least squares and fepois/feglm's GLMs (whose fitted values are means).
import { fixefRows, type FixefValues, type WaldResult } from "../estimators/fit-results.js";
import { info, type Note } from "../notes.js";
import { fmtNumber, fmtP } from "../present/format.js";
import type { OutputFile } from "./types.js";

export interface FitResultOptions {
  readonly wald?: string;
  readonly fixef?: boolean;
}

/** What the results need of a fit: least squares (Fit) and GLMs (GlmFit) both have these. */
export interface FitWithResults {
  wald(keep: string): WaldResult;
  fixef(): FixefValues;
  predict(): Float64Array;
  resid(): Float64Array;
}

export interface FitFileOptions {
  readonly fixefOut?: string;
  readonly predict?: string;
}

/** The JSON fields, table lines and notes `o` adds to one fit's result. */
export function fitExtras(fit: FitWithResults, o: FitResultOptions): { json: Record<string, unknown>; text: string; notes: Note[] } {
  const json: Record<string, unknown> = {};
  const lines: string[] = [];
  const notes: Note[] = [];
  if (o.wald !== undefined) {
    const w = fit.wald(o.wald);
    json.wald = { keep: w.keep, coefficients: [...w.coefficients], stat: w.stat, p: w.p, df1: w.df1, df2: w.df2, vcov: w.vcov };
    lines.push(
      `Wald test, H0: ${w.coefficients.length > 1 ? "joint " : ""}nullity of ${w.coefficients.join(", ")}`,
      ` stat = ${fmtNumber(w.stat)}, p-value: ${fmtP(w.p)}, on ${w.df1} and ${w.df2} DoF, VCOV: ${w.vcov}.`,
    );
  }
  if (o.fixef) {
    const fe = fit.fixef();
    json.fixef = fixefRows(fe);
    json.fixef_references = Object.fromEntries(fe.effects.map((e) => [e.name, e.references]));
    if (!fe.regular) notes.push(irregularNote(fe.effects));
  }
  return { json, text: lines.length ? `\n${lines.join("\n")}\n` : "", notes };
}

/** The files the CLI writes: fixed-effect values (long: fe, level, value; with several models a `model`
 *  column first, numbered as the JSON's models) and fitted values and residuals (one line per input row,
 *  empty cells for rows a model did not use; with several models, fitted_k and residual_k per model k). */
export function fitFiles(fits: readonly FitWithResults[], o: FitFileOptions): OutputFile[] {
  const files: OutputFile[] = [];
  const several = fits.length > 1;
  if (o.fixefOut !== undefined) {
    // Computed now, so that a model without fixed effects is an error before anything is written.
    const rows = fits.map((f) => fixefRows(f.fixef()));
    files.push({
      path: o.fixefOut, what: "fixed-effect values",
      text: () =>
        csv(
          [...(several ? ["model"] : []), "fe", "level", "value"],
          rows.flatMap((r, m) => r.map((x) => [...(several ? [String(m + 1)] : []), x.fe, x.level, num(x.value)])),
        ),
    });
  }
  if (o.predict !== undefined) {
    const columns = fits.map((f) => ({ fitted: f.predict(), resid: f.resid() }));
    files.push({
      path: o.predict, what: "fitted values and residuals",
      text: () => {
        const header = ["row", ...columns.flatMap((_, m) => (several ? [`fitted_${m + 1}`, `residual_${m + 1}`] : ["fitted", "residual"]))];
        const nrow = columns[0].fitted.length;
        const body = Array.from({ length: nrow }, (_, r) => [String(r + 1), ...columns.flatMap((c) => [num(c.fitted[r]), num(c.resid[r])])]);
        return csv(header, body);
      },
    });
  }
  return files;
}

function irregularNote(effects: ReadonlyArray<{ readonly name: string; readonly references: number }>): Note {
  const extra = effects.filter((e, q) => e.references > (q === 0 ? 0 : 1)).map((e) => `${e.name}: ${e.references} references`);
  return info(
    "method",
    `the fixed effects are not regular (${extra.join(", ")}): one value per connected component is set to 0, so values cannot be compared across components (fixest's note)`,
  );
}

const num = (x: number) => (Number.isNaN(x) ? "" : String(x));

function csv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}
