// didwasm demo-data --out FILE [--seed S]: writes the bundled smart-city demo panel.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { csvRows } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { SMART_CITY_DEFAULT_SEED, generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { oneOf, positiveInteger } from "../options.js";
import { DidwasmError } from "../../bindings/errors.js";
import type { Io } from "../io.js";

interface DemoOptions {
  out: string;
  kind: "smart-city" | "panel";
  seed?: string;
  units: number;
  periods: number;
  regressors: number;
  unitsPerState: number;
  missing: string;
  singletons: string;
  stringIds?: boolean;
  weights?: boolean;
  cohorts?: string;
  neverShare: string;
  effect: string;
  quiet?: boolean;
}

/** Rows written per block. */
const WRITE_BLOCK_ROWS = 100_000;

function staggeredOption(o: DemoOptions): { cohorts: number[]; neverShare: number; effect: number } {
  const cohorts = o.cohorts!.split(",").map(Number);
  if (cohorts.some((c) => !Number.isInteger(c))) throw new DidwasmError("BAD_OPTION", `--cohorts must be whole numbers, got "${o.cohorts}"`);
  const neverShare = Number(o.neverShare);
  const effect = Number(o.effect);
  if (!(neverShare >= 0 && neverShare < 1)) throw new DidwasmError("BAD_OPTION", `--never-share must be in [0, 1), got "${o.neverShare}"`);
  if (!Number.isFinite(effect)) throw new DidwasmError("BAD_OPTION", `--effect must be a number, got "${o.effect}"`);
  return { cohorts, neverShare, effect };
}

export function registerDemoData(program: Command, io: Io): void {
  program
    .command("demo-data")
    .description("write a generated data set as CSV: the bundled smart-city panel (default) or a synthetic panel")
    .requiredOption("--out <file>", "where to write the CSV")
    .option("--kind <kind>", "smart-city or panel", oneOf("--kind", ["smart-city", "panel"] as const), "smart-city")
    .option("--seed <n>", `generator seed (default ${SMART_CITY_DEFAULT_SEED} for smart-city, 1 for panel)`)
    .option("--units <n>", "panel: number of units", positiveInteger("--units"), 1000)
    .option("--periods <n>", "panel: periods per unit", positiveInteger("--periods"), 10)
    .option("--regressors <n>", "panel: number of regressors x1..xk", positiveInteger("--regressors"), 3)
    .option("--units-per-state <n>", "panel: units per state (cluster level)", positiveInteger("--units-per-state"), 20)
    .option("--missing <share>", "panel: share of y and x1 cells missing", "0")
    .option("--singletons <n>", "panel: extra units observed once", "0")
    .option("--string-ids", "panel: unit ids as strings")
    .option("--weights", "panel: add a weight column w")
    .option("--cohorts <years>", "panel: staggered adoption years, e.g. 2005,2008,2011 (adds cohort and treat)")
    .option("--never-share <p>", "panel: share of never-treated units with --cohorts", "0.3")
    .option("--effect <x>", "panel: constant treatment effect added to y with --cohorts", "1")
    .option("--quiet", "print nothing")
    .action((o: DemoOptions) => {
      const seed = o.seed === undefined ? (o.kind === "panel" ? 1 : SMART_CITY_DEFAULT_SEED) : Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new DidwasmError("BAD_OPTION", `--seed must be an integer in [0, 4294967295], got "${o.seed}"`);
      }
      const missingRate = Number(o.missing);
      if (!(missingRate >= 0 && missingRate < 1)) throw new DidwasmError("BAD_OPTION", `--missing must be in [0, 1), got "${o.missing}"`);
      const singletons = Number(o.singletons);
      if (!Number.isInteger(singletons) || singletons < 0) throw new DidwasmError("BAD_OPTION", `--singletons must be a non-negative integer`);
      const data =
        o.kind === "panel"
          ? generateSyntheticPanel({
              units: o.units, periods: o.periods, regressors: o.regressors, seed, unitsPerState: o.unitsPerState, missingRate,
              singletons, stringIds: o.stringIds, weights: o.weights,
              staggered: o.cohorts ? staggeredOption(o) : undefined,
            })
          : generateSmartCity(seed);
      try {
        mkdirSync(dirname(o.out), { recursive: true });
        // Blocks of rows: one string for a whole large panel would exceed V8's string length limit.
        const fd = openSync(o.out, "w");
        try {
          const n = data[Object.keys(data)[0]].length;
          for (let from = 0; from === 0 || from < n; from += WRITE_BLOCK_ROWS) writeSync(fd, csvRows(data, from, Math.min(n, from + WRITE_BLOCK_ROWS)));
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        throw new DidwasmError("FILE_UNREADABLE", `cannot write ${o.out}: ${(e as Error).message}`);
      }
      const rows = data[Object.keys(data)[0]].length;
      if (!o.quiet) io.err(`wrote ${o.out}: ${rows} rows, ${Object.keys(data).length} columns (seed ${seed})\n`);
    });
}
