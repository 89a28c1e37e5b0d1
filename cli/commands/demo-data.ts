// didwasm demo-data --out FILE [--seed S]: writes the bundled smart-city demo panel.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { toCsv } from "../../bindings/data/csv-write.js";
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
  quiet?: boolean;
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
            })
          : generateSmartCity(seed);
      try {
        mkdirSync(dirname(o.out), { recursive: true });
        writeFileSync(o.out, toCsv(data));
      } catch (e) {
        throw new DidwasmError("FILE_UNREADABLE", `cannot write ${o.out}: ${(e as Error).message}`);
      }
      const rows = data[Object.keys(data)[0]].length;
      if (!o.quiet) io.err(`wrote ${o.out}: ${rows} rows, ${Object.keys(data).length} columns (seed ${seed})\n`);
    });
}
