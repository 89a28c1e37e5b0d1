// fit's options for variances and results, declared once (the CLI flags, run()'s keys, the report's keys and
// the web form derive from them): the small-sample corrections, where NW/DK and Conley variances find their
// columns, a Wald test, the fixed effects' values, and the files the CLI writes.
import { parseVcov, type VcovSpec } from "../model/vcov-spec.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { ParsedValues } from "./schema/types.js";

/** The variance asked for, when it reads; an unreadable one is reported by the estimator, not here. */
function vcovOf(o: ParsedValues): VcovSpec | null {
  try {
    return typeof o.vcov === "string" ? parseVcov(o.vcov) : null;
  } catch {
    return null;
  }
}

const forHac = (o: ParsedValues) => {
  const v = vcovOf(o);
  return v && (v.type === "nw" || v.type === "dk") && !v.vars ? null : "applies only with {vcov} NW(L) or DK(L) written without variables";
};
const forConley = (o: ParsedValues) => {
  const v = vcovOf(o);
  return v && v.type === "conley" && !v.vars ? null : "applies only with {vcov} conley(km) written without coordinates";
};
const csvFile = (key: string) => (o: ParsedValues) => (/\.csv$/i.test(String(o[key])) ? null : "writes CSV: give a file name ending in .csv");

export const varianceOptions = {
  ssc: shared.ssc,
  panelId: opt.columns({
    label: "Panel (unit, time)",
    help: "unit and time columns of NW(L) and DK(L) written without variables (fixest's panel.id), e.g. firm,year; without it, the first two fixed effects",
    web: { advanced: true }, appliesWhen: forHac,
  }),
  lat: opt.column({ label: "Latitude", help: "latitude column of conley(km), in degrees", web: { advanced: true, prefer: "numeric" }, appliesWhen: forConley }),
  lon: opt.column({ label: "Longitude", help: "longitude column of conley(km), in degrees", web: { advanced: true, prefer: "numeric" }, appliesWhen: forConley }),
} as const;

/** Several models, one per value of a column (fit, fepois, feglm). */
export const splitOptions = {
  split: opt.column({
    label: "Split by", help: "one model per value of this column (fixest's split = ~g; values in increasing order, text by code point where R sorts by locale); rows where it is missing enter no model",
    web: { advanced: true },
  }),
  fsplit: opt.column({
    label: "Split, with full sample", help: "as --split, after a model on the full sample (fixest's fsplit = ~g)", web: { advanced: true },
    appliesWhen: (o) => (o.split !== undefined ? "cannot be given with {split} (fixest's rule)" : null),
  }),
} as const;

export const resultOptions = {
  wald: opt.text({
    label: "Wald test of",
    help: 'joint Wald test that the coefficients matching this regular expression are 0, as fixest\'s wald(keep = ...) ("!" in front negates), e.g. "period::[1-4]:treat"',
    valueName: "regex", web: { advanced: true },
  }),
  fixef: opt.flag({
    label: "Fixed-effect values",
    help: "add the fixed effects' values to the JSON (field fixef: {fe, level, value}), normalised as fixest's fixef() (one reference per connected component)",
    web: { advanced: true },
  }),
} as const;

export const fileOptions = {
  fixefOut: opt.path({
    label: "Fixed-effect values file", help: "write the fixed effects' values to this CSV (columns fe, level, value; fixest's fixef())", valueName: "file.csv",
    appliesWhen: csvFile("fixefOut"),
  }),
  predict: opt.path({
    label: "Predictions file",
    help: "write fitted values and residuals to this CSV, one line per input row (columns row, fitted, residual; empty for rows not in the sample)",
    valueName: "file.csv", appliesWhen: csvFile("predict"),
  }),
} as const;
