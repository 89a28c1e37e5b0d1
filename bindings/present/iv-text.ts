// A 2SLS fit as text, in the manner of fixest's summary() of an IV estimation: the second stage with its
// IV statistics (first-stage F and Wald per endogenous variable, Wu-Hausman, second-stage F and Wald),
// then each first stage's coefficients.
import type { FStat } from "../estimators/iv-core.js";
import type { IvFit } from "../estimators/iv-fit.js";
import { fmtInt, fmtNumber, fmtP } from "./format.js";
import { coefficientTable, regressionText } from "./regression-text.js";

function statLine(label: string, s: FStat | null): string {
  if (!s) return `${label}: not available`;
  const p = fmtP(s.p);
  return `${label}: stat = ${fmtNumber(s.stat, 5)}, p ${p.startsWith("<") ? p : `= ${p}`}, on ${fmtInt(s.df1)} and ${fmtInt(s.df2)} DoF`;
}

export function ivRegressionText(fit: IvFit, level = 0.95): string {
  const f = fit.fitstat;
  const lines = [
    `TSLS estimation, dependent variable: ${fit.outcome}`,
    `Endogenous: ${fit.iv.endogenous.join(", ")}   Instruments: ${fit.iv.instruments.join(", ")}`,
    "Second stage:",
    // regressionText's first line is its OLS title, replaced by the two above.
    ...regressionText(fit, level).trimEnd().split("\n").slice(1),
  ];
  fit.iv.endogenous.forEach((e, j) => {
    lines.push(statLine(`F-test (1st stage), ${e}`, f.firstStages[j].ivf));
    lines.push(statLine(`Wald (1st stage), ${e}`, f.firstStages[j].ivwald) + (f.firstStages[j].ivwald ? `, VCOV: ${f.firstStages[j].ivwald!.vcov}` : ""));
  });
  lines.push(statLine("Wu-Hausman", f.wh));
  lines.push(statLine("F-test (2nd stage)", f.ivf2));
  lines.push(statLine("Wald (2nd stage)", f.ivwald2) + (f.ivwald2 ? `, VCOV: ${f.ivwald2.vcov}` : ""));
  for (const s of fit.iv.firstStages) {
    lines.push("", `First stage, dependent variable: ${s.endogenous}`);
    lines.push(...coefficientTable(s.fit.tidy(level), level));
    const stats = [`R2: ${fmtNumber(s.fit.r2, 5)}`];
    if (s.fit.r2Within !== null) stats.push(`Within R2: ${fmtNumber(s.fit.r2Within, 5)}`);
    lines.push(stats.join("   "));
    if (s.fit.removed.length) lines.push(`Removed (collinear): ${s.fit.removed.join(", ")}`);
  }
  return lines.join("\n") + "\n";
}
