// Reads the shared conformance cases (never copied into this repository) and compares results with the
// tolerances of ../shared/conformance/README.md.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The shared conformance folder: $DIDWASM_CONFORMANCE, else ../shared/conformance next to the repository
 *  (where the project keeps it), else /work/shared/conformance. */
function findConformanceDir(): string {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const candidates = [process.env.DIDWASM_CONFORMANCE, resolve(repo, "../shared/conformance"), "/work/shared/conformance"].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(join(c, "cases.json")));
  if (!found) throw new Error(`the shared conformance cases were not found (looked in ${candidates.join(", ")}); set DIDWASM_CONFORMANCE`);
  return found;
}

export const conformanceDir = findConformanceDir();

export interface ConformanceCase {
  id: string;
  command: string;
  data: string;
  expect: Record<string, any>;
  [option: string]: any;
}

export function loadCases(command: string): ConformanceCase[] {
  const all = JSON.parse(readFileSync(join(conformanceDir, "cases.json"), "utf8")) as ConformanceCase[];
  return all.filter((c) => c.command === command);
}

export function dataPath(c: ConformanceCase): string {
  return join(conformanceDir, "data", c.data.replace(/^shared:/, ""));
}

/** Each failed comparison as a message; empty when everything is within tolerance. */
export function compareRegressionJson(out: any, e: any): string[] {
  const fails: string[] = [];
  const close = (got: number, want: number, rel: number, abs = 0) =>
    typeof got === "number" && Number.isFinite(got) && Math.abs(got - want) <= abs + rel * Math.abs(want);
  if (e.nobs !== undefined && out.nobs !== e.nobs) fails.push(`nobs ${out.nobs} != ${e.nobs}`);
  for (const w of e.coefficients ?? []) {
    const g = (out.coefficients ?? []).find((x: any) =>
      w.term === "(Intercept)" ? x.term === "(Intercept)" : x.term === w.term || (x.rel_time !== undefined && `${x.rel_time}` === w.term.split("::")[1]),
    );
    if (!g) {
      fails.push(`missing coefficient ${w.term}`);
      continue;
    }
    const scale = Math.max(Math.abs(w.estimate), w.std_error);
    if (!close(g.estimate, w.estimate, 0, 1e-6 * scale)) fails.push(`${w.term} estimate ${g.estimate} != ${w.estimate}`);
    if (!close(g.std_error, w.std_error, 1e-5)) fails.push(`${w.term} std_error ${g.std_error} != ${w.std_error}`);
    if (!close(g.p_value, w.p_value, 1e-4, 1e-7)) fails.push(`${w.term} p_value ${g.p_value} != ${w.p_value}`);
  }
  const hasIntercept = (e.coefficients ?? []).some((w: any) => w.term === "(Intercept)");
  if (typeof e.constant === "number" && !hasIntercept && !close(out.constant, e.constant, 1e-6, 1e-8)) {
    fails.push(`constant ${out.constant} != ${e.constant}`);
  }
  for (const k of ["r2", "r2_within", "adj_r2"]) {
    if (typeof e[k] === "number" && !close(out[k], e[k], 0, 1e-7)) fails.push(`${k} ${out[k]} != ${e[k]}`);
  }
  for (const r of e.removed ?? []) if (!(out.removed ?? []).includes(r)) fails.push(`collinear ${r} not in removed`);
  return fails;
}
