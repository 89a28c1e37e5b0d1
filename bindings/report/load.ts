// Reading a spec from text: JSON, or YAML (the same structure) when the text is not JSON or the file name
// ends in .yaml / .yml.
import { parse as parseYaml } from "yaml";
import { DidwasmError } from "../errors.js";
import { validateSpec, type ReportSpec } from "./spec.js";

export function parseSpec(text: string, name = "spec"): ReportSpec {
  const yaml = /\.ya?ml$/i.test(name);
  let raw: unknown;
  if (!yaml) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const pos = m ? Number(m[1]) : -1;
      const line = pos >= 0 ? text.slice(0, pos).split("\n").length : null;
      throw new DidwasmError("BAD_OPTION", `${name} is not valid JSON${line ? ` (line ${line})` : ""}: ${(e as Error).message}`);
    }
  } else {
    try {
      raw = parseYaml(text);
    } catch (e) {
      throw new DidwasmError("BAD_OPTION", `${name} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  return validateSpec(raw);
}
