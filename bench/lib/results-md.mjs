// bench/RESULTS.md is written by several scripts: scripts/run-bench.mjs owns the sections about the core
// fit, and each other suite (DiD estimators and resampling, PSM, browser) owns one section of its own.
// A script replaces only the sections it owns and keeps every other one, so the suites can be re-run in
// any order without losing each other's numbers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";

export const RESULTS_MD = join(ROOT, "bench", "RESULTS.md");
const TITLE = "# didwasm benchmark results";

/** Splits the file into its preamble (title) and its "## " sections, in order. */
export function readSections(file = RESULTS_MD) {
  const text = existsSync(file) ? readFileSync(file, "utf8") : `${TITLE}\n`;
  const parts = text.split(/\n(?=## )/);
  const preamble = parts[0].startsWith("## ") ? TITLE : parts[0].trimEnd();
  const sections = (parts[0].startsWith("## ") ? parts : parts.slice(1)).map((body) => ({
    heading: body.slice(0, body.indexOf("\n") < 0 ? body.length : body.indexOf("\n")).trim(),
    body: body.trimEnd(),
  }));
  return { preamble, sections };
}

/**
 * Replaces the sections whose headings `owns` accepts by `replacement` (a markdown string of one or more
 * "## " sections), placed where the first owned section was (or before `before` sections, or at the end).
 */
export function replaceSections(owns, replacement, { file = RESULTS_MD, preamble, before } = {}) {
  const cur = readSections(file);
  const firstOwned = cur.sections.findIndex((s) => owns(s.heading));
  const kept = cur.sections.filter((s) => !owns(s.heading));
  let at = firstOwned < 0 ? kept.length : cur.sections.slice(0, firstOwned).filter((s) => !owns(s.heading)).length;
  if (firstOwned < 0 && before) {
    const b = kept.findIndex((s) => before(s.heading));
    if (b >= 0) at = b;
  }
  const sections = [...kept.slice(0, at).map((s) => s.body), replacement.trim(), ...kept.slice(at).map((s) => s.body)].join("\n\n").split(/\n(?=## )/);
  // "## Reproduce" (every suite's command) always comes last.
  const last = sections.filter((b) => b.startsWith("## Reproduce"));
  const out = [preamble ?? cur.preamble, ...sections.filter((b) => !b.startsWith("## Reproduce")).map((b) => b.trimEnd()), ...last.map((b) => b.trimEnd())];
  writeFileSync(file, out.join("\n\n") + "\n");
}

/** Replaces (or appends) the one section whose heading starts with `headingPrefix`. */
export function replaceSection(headingPrefix, section, options) {
  replaceSections((h) => h.startsWith(headingPrefix), section, options);
}
