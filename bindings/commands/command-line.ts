// The command line that reproduces a computation: `didwasm <command> DATA --flag value ...`, written from
// the same options run() takes, spelled by the command's schema (so a report or the web tool can show exactly
// what the CLI would run). Values are quoted for a POSIX shell only when they need it.
import { flagName } from "./schema/parse.js";
import type { OptionDef } from "./schema/types.js";
import { commandSpec } from "./registry.js";

/** Quotes a word for sh/bash/zsh when it holds anything but plain characters. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function valueText(def: OptionDef | undefined, v: unknown): string {
  if (def?.kind === "range" && Array.isArray(v)) return `${v[0]}:${v[1]}`;
  if (Array.isArray(v)) return v.join(",");
  if (typeof v === "object" && v !== null) return Object.entries(v).map(([k, x]) => `${k}=${String(x)}`).join(",");
  return String(v);
}

/** Flags for `options` (undefined values left out), in the order given. */
export function optionFlags(options: Readonly<Record<string, unknown>>, schema: Readonly<Record<string, OptionDef>> = {}): string[] {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || v === null) continue;
    const def = schema[k];
    const flag = flagName(k);
    if (v === true && (def === undefined || def.kind === "flag") && def?.default !== true) parts.push(flag);
    else if (v === false && def?.kind === "flag" && def.default !== true) continue;
    else if (typeof v === "boolean" && def?.negatable) parts.push(v ? "" : `--no-${flag.slice(2)}`);
    else parts.push(flag, shellQuote(valueText(def, v)));
  }
  return parts.filter((p) => p !== "");
}

export function commandLine(command: string, dataFile: string, options: Readonly<Record<string, unknown>>, extra: readonly string[] = []): string {
  const spec = commandSpec(command);
  return ["didwasm", command, shellQuote(dataFile), ...optionFlags(options, spec.options), ...extra].join(" ");
}
