// Commander flags and help derived from option schemas (bindings/commands/schema): one flag per option,
// named after its key (maxIter -> --max-iter), its help with "(required)" and the default, and a value
// placeholder from its kind. Values reach the command as commander's raw text; the schema's parser reads
// and checks them, so the CLI, run() and report specs accept and refuse exactly the same things.
import type { Command } from "commander";
import { flagName } from "../bindings/commands/schema/parse.js";
import type { OptionDef, Schema } from "../bindings/commands/schema/types.js";

const collect = (v: string, prev: string[] = []) => [...prev, v];

function defaultText(def: OptionDef): string | null {
  if (def.defaultText) return def.defaultText;
  if (def.default === undefined) return null;
  if (def.kind === "flag") return def.default ? "true" : null;
  return Array.isArray(def.default) ? def.default.join(",") : String(def.default);
}

export function helpOf(def: OptionDef): string {
  const dflt = defaultText(def);
  return `${def.help}${def.required ? " (required)" : ""}${dflt !== null && !def.required ? ` (default: ${dflt})` : ""}`;
}

/** Adds one commander option per schema entry. */
export function addOptions(cmd: Command, schema: Schema): Command {
  for (const [key, def] of Object.entries(schema)) {
    const name = flagName(key);
    if (def.kind === "flag" && def.default === true && def.negatable) {
      cmd.option(`--no-${name.slice(2)}`, helpOf(def));
    } else if (def.kind === "flag" && def.default === true) {
      // A switch that is on by default takes an explicit value, e.g. --impose-null false.
      cmd.option(`${name} <true|false>`, helpOf(def));
    } else if (def.kind === "flag") {
      cmd.option(name, helpOf(def));
      if (def.negatable) cmd.option(`--no-${name.slice(2)}`, `never ${name.slice(2)} (see ${name})`);
    } else if (def.kind === "texts") {
      cmd.option(`${name} <${def.valueName ?? "text"}>`, `${helpOf(def)}`, collect);
    } else {
      cmd.option(`${name} <${def.valueName ?? "value"}>`, helpOf(def));
    }
  }
  return cmd;
}

/** The options of `raw` (commander's parsed flags) that belong to `schema`, and the rest. */
export function splitRaw(raw: Readonly<Record<string, unknown>>, schema: Schema): { mine: Record<string, unknown>; rest: Record<string, unknown> } {
  const mine: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) (k in schema ? mine : rest)[k] = v;
  return { mine, rest };
}
