// didwasm demo-data --out FILE: writes the bundled smart-city demo panel, its listed-firm panel (--kind
// smart-city-firms), or a synthetic panel (--kind panel) from the project's seeded generators. The
// synthetic panel's options are refused with the two smart-city kinds.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { csvRows } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { SMART_CITY_DEFAULT_SEED, generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { SMART_CITY_FIRMS_DEFAULT_SEED, generateSmartCityFirms } from "../../bindings/data/demo/smart-city-firms.js";
import { opt } from "../../bindings/commands/schema/define.js";
import { flagName, parseOptions } from "../../bindings/commands/schema/parse.js";
import type { ParsedValues } from "../../bindings/commands/schema/types.js";
import { DidwasmError } from "../../bindings/errors.js";
import type { Io } from "../io.js";
import { addOptions } from "../register.js";
import { checkWritable } from "../write-file.js";

/** Rows written per block. */
const WRITE_BLOCK_ROWS = 100_000;
/** Rows at most (units x periods): a larger file is a mistake, and V8 could not hold its columns. */
const MAX_ROWS = 200_000_000;

const panelOnly = (o: ParsedValues) => (o.kind === "panel" ? null : "applies only with {kind} panel");
const staggeredOnly = (o: ParsedValues) => (o.cohorts !== undefined ? null : "applies only with {cohorts}");

export const demoDataOptions = {
  out: opt.path({ label: "Output file", help: "where to write the CSV", required: true }),
  kind: opt.choice(["smart-city", "smart-city-firms", "panel"] as const)({
    label: "Kind", default: "smart-city",
    help: "smart-city (the bundled demo study's city panel), smart-city-firms (its listed firms in those cities) or panel (a synthetic panel)",
  }),
  seed: opt.seed({ label: "Seed", help: "generator seed", defaultText: `${SMART_CITY_DEFAULT_SEED} for smart-city, ${SMART_CITY_FIRMS_DEFAULT_SEED} for smart-city-firms, 1 for panel` }),
  units: opt.integer({ label: "Units", help: "panel: number of units", default: 1000, min: 1, max: 50_000_000, appliesWhen: panelOnly }),
  periods: opt.integer({ label: "Periods", help: "panel: periods per unit", default: 10, min: 1, max: 10_000, appliesWhen: panelOnly }),
  regressors: opt.integer({ label: "Regressors", help: "panel: number of regressors x1..xk", default: 3, min: 1, max: 100, appliesWhen: panelOnly }),
  unitsPerState: opt.integer({ label: "Units per state", help: "panel: units per state (cluster level)", default: 20, min: 1, max: 50_000_000, appliesWhen: panelOnly }),
  missing: opt.number({ label: "Missing share", help: "panel: share of y and x1 cells missing", default: 0, min: 0, max: 1, maxExclusive: true, appliesWhen: panelOnly }),
  singletons: opt.integer({ label: "Singletons", help: "panel: extra units observed once", default: 0, min: 0, max: 50_000_000, appliesWhen: panelOnly }),
  stringIds: opt.flag({ label: "Text ids", help: "panel: unit ids as text", appliesWhen: panelOnly }),
  weights: opt.flag({ label: "Weights", help: "panel: add a weight column w", appliesWhen: panelOnly }),
  cohorts: opt.integers({ label: "Cohorts", help: "panel: staggered adoption years, e.g. 2005,2008,2011 (adds cohort and treat)", appliesWhen: panelOnly }),
  neverShare: opt.number({ label: "Never-treated share", help: "panel: share of never-treated units with --cohorts", default: 0.3, min: 0, max: 1, maxExclusive: true, appliesWhen: staggeredOnly }),
  effect: opt.number({ label: "Effect", help: "panel: constant treatment effect added to y with --cohorts", default: 1, appliesWhen: staggeredOnly }),
  quiet: opt.flag({ label: "Quiet", help: "print nothing" }),
};

export function registerDemoData(program: Command, io: Io): void {
  const cmd = program
    .command("demo-data")
    .description("write a generated data set as CSV: the bundled smart-city panel (default), its listed-firm panel, or a synthetic panel")
    .addHelpText("after", "\nExample:\n  didwasm demo-data --kind panel --units 50000 --periods 20 --cohorts 2005,2008 --out panel.csv\n");
  addOptions(cmd, demoDataOptions);
  cmd.action((raw: Record<string, unknown>) => {
    const o = parseOptions(demoDataOptions, raw, flagName).values;
    const panel = o.kind === "panel";
    if (panel && o.units * o.periods + o.singletons > MAX_ROWS) {
      throw new DidwasmError("BAD_OPTION", `--units x --periods = ${(o.units * o.periods).toLocaleString("en-US")} rows; at most ${MAX_ROWS.toLocaleString("en-US")}`, { option: "--units" });
    }
    checkWritable(o.out, "--out");
    const seed = o.seed ?? (panel ? 1 : o.kind === "smart-city-firms" ? SMART_CITY_FIRMS_DEFAULT_SEED : SMART_CITY_DEFAULT_SEED);
    const data = panel
      ? generateSyntheticPanel({
          units: o.units, periods: o.periods, regressors: o.regressors, seed, unitsPerState: o.unitsPerState, missingRate: o.missing,
          singletons: o.singletons, stringIds: o.stringIds, weights: o.weights,
          staggered: o.cohorts ? { cohorts: o.cohorts, neverShare: o.neverShare, effect: o.effect } : undefined,
        })
      : o.kind === "smart-city-firms"
        ? generateSmartCityFirms(seed)
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
