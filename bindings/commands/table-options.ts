// Option readers shared by the describe and table commands: output format and rendering switches, label
// maps, and lists of numbers. Like ./options.ts, each accepts CLI strings or JavaScript values.
import { DidwasmError } from "../errors.js";
import type { RenderOptions } from "../present/tables/render.js";
import { TABLE_FORMATS, type TableFormat } from "../present/tables/render.js";
import { bool, flag, oneOf, str } from "./options.js";

type O = Readonly<Record<string, unknown>>;

export function formatOf(o: O): TableFormat {
  return oneOf(o, "format", TABLE_FORMATS) ?? "text";
}

/** standalone, label, bom, cjkPackage, cjkFont, lang. */
export function renderOptions(o: O): RenderOptions {
  return {
    standalone: bool(o, "standalone"),
    label: str(o, "label"),
    bom: o.bom === undefined || o.bom === null ? undefined : bool(o, "bom"),
    cjkPackage: oneOf(o, "cjkPackage", ["ctex", "xeCJK"] as const),
    cjkFont: str(o, "cjkFont"),
    lang: str(o, "lang"),
  };
}

/** A map of names to display names: an object of strings, or "a=A,b=B". */
export function labelMap(o: O, key: string): Record<string, string> | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") {
    const out: Record<string, string> = {};
    for (const part of v.split(",")) {
      const i = part.indexOf("=");
      if (i <= 0) throw new DidwasmError("BAD_OPTION", `${flag(key)} must look like "a=label,b=label", got ${JSON.stringify(v)}`, { option: flag(key) });
      out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
    return out;
  }
  if (typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")) return { ...(v as Record<string, string>) };
  throw new DidwasmError("BAD_OPTION", `${flag(key)} must map names to labels (strings), got ${JSON.stringify(v)}`, { option: flag(key) });
}

/** Numbers given as "25,50,75" or [25, 50, 75]. */
export function numList(o: O, key: string): number[] | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === "") return undefined;
  const items = Array.isArray(v) ? v : String(v).split(",");
  return items.map((x) => {
    const n = typeof x === "number" ? x : typeof x === "string" && x.trim() !== "" ? Number(x) : NaN;
    if (!Number.isFinite(n)) throw new DidwasmError("BAD_OPTION", `${flag(key)} must be numbers separated by commas, got ${JSON.stringify(v)}`, { option: flag(key) });
    return n;
  });
}

/** Strings given one per use of a repeatable flag, or as one string. */
export function strings(o: O, key: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return [...v];
  throw new DidwasmError("BAD_OPTION", `${flag(key)} must be text, got ${JSON.stringify(v)}`, { option: flag(key) });
}
