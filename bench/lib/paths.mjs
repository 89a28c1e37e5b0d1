// Where the benchmark finds the build, writes generated data and keeps machine-readable results.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(ROOT, "dist", "cli", "main.js");
/** Generated CSVs and per-suite JSON results live here (bench/data/ is gitignored). */
export const DATA_DIR = join(ROOT, "bench", "data");
export const RESULTS_DIR = join(DATA_DIR, "results");

/** The model of the project's issue: 6 regressors, unit and year fixed effects, clustered by unit. */
export const FORMULA = "y ~ x1+x2+x3+x4+x5+x6 | unit + year";
export const VCOV = "cluster:unit";

/** Panels of the scaling table: 20 years, 50 units per state, 6 regressors, seed 1. */
export const SIZES = [
  { label: "1e4", rows: 1e4, units: 500 },
  { label: "1e5", rows: 1e5, units: 5_000 },
  { label: "1e6", rows: 1e6, units: 50_000 },
  { label: "1e7", rows: 1e7, units: 500_000 },
];
export const PERIODS = 20;
export const REGRESSORS = 6;
export const UNITS_PER_STATE = 50;

export const dataPath = (label) => join(DATA_DIR, `panel-${label}.csv`);

export function requireBuild() {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  }
}

export function ensureDir(path) {
  mkdirSync(path, { recursive: true });
  return path;
}

export function resultPath(name) {
  return join(ensureDir(RESULTS_DIR), `${name}.json`);
}

export { dirname };
