// The spec checked against the data before any analysis runs: every role and every column an analysis
// names must exist, every analysis must plan into calls whose options its command accepts. All problems
// are listed at once with their spec paths; an analysis that fails on the data later (too few clusters,
// collinearity) is not a spec problem and is reported in its section instead.
import { COMMAND_SPECS, type CommandName } from "../commands/registry.js";
import { checkOptions } from "../commands/schema/parse.js";
import type { Schema } from "../commands/schema/types.js";
import type { Frame } from "../data/frame.js";
import { isDidwasmError, nearestName } from "../errors.js";
import { parseFormula } from "../model/formula.js";
import { formulaDataColumns } from "../model/transform-columns.js";
import { analysisSeed, planAnalysis, type Invocation } from "./plan.js";
import { analysisData, ROLE_NAMES, type ReportSpec, type SpecProblem } from "./spec.js";

/** `file`: named when it is an analysis's own data file, not the spec's. */
function missingColumn(frame: Frame, name: string, file?: string): string | null {
  if (frame.has(name)) return null;
  const near = nearestName(name, frame.columns.map((c) => c.name));
  return `no column "${name}" in ${file ? `its data ${file}` : "the data"}${near ? ` (did you mean "${near}"?)` : ""}`;
}

/** Columns named by the options of a call, by option key. */
function namedColumns(schema: Schema, options: Readonly<Record<string, unknown>>): Array<{ key: string; names: string[] }> {
  const out: Array<{ key: string; names: string[] }> = [];
  for (const [k, v] of Object.entries(options)) {
    const kind = schema[k]?.kind;
    if (kind === "column" && typeof v === "string") out.push({ key: k, names: [v] });
    else if (kind === "columns" && Array.isArray(v)) out.push({ key: k, names: v.filter((x): x is string => typeof x === "string") });
    else if (kind === "formula" && typeof v === "string") {
      try {
        // The data columns it reads: log(x) reads x, firm[year] reads firm and year.
        out.push({ key: k, names: formulaDataColumns(parseFormula(v)) });
      } catch {
        // The formula's own syntax error is reported by the option check.
      }
    }
  }
  return out;
}

/** Where a column a generated formula names comes from: the analysis key that lists it, else the role. */
function columnSource(name: string, a: Readonly<Record<string, unknown>>, path: string, roles: Readonly<Record<string, unknown>>, fallback: string): string {
  for (const [k, v] of Object.entries(a)) if (v === name || (Array.isArray(v) && v.includes(name))) return `${path}.${k}`;
  for (const [k, v] of Object.entries(roles)) if (v === name || (Array.isArray(v) && v.includes(name))) return `roles.${k}`;
  return fallback;
}

/** A spec planned on its data: every problem (none when it can run) and each analysis's calls, by section
 *  and analysis (empty where the analysis could not be planned), for the runner to run as they are. */
export interface CheckedSpec {
  readonly problems: readonly SpecProblem[];
  readonly plans: ReadonlyArray<ReadonlyArray<readonly Invocation[]>>;
}

/** Plans every analysis and checks the spec on this data. `frame` (the spec's data) and `others` (the
 *  files analyses name in their own `data`, by the spec's text) include derived columns. */
export function checkSpecOnData(spec: ReportSpec, frame: Frame, others: Readonly<Record<string, Frame>> = {}): CheckedSpec {
  const problems: SpecProblem[] = [];
  const roles = spec.roles as unknown as Record<string, unknown>;
  const missingRoleColumns = new Set<string>();
  for (const role of ROLE_NAMES) {
    const v = roles[role];
    const names = Array.isArray(v) ? (v as string[]) : typeof v === "string" && v !== "" ? [v] : [];
    names.forEach((nm, i) => {
      const why = missingColumn(frame, nm);
      if (!why) return;
      missingRoleColumns.add(nm);
      problems.push({ path: Array.isArray(v) ? `roles.${role}[${i}]` : `roles.${role}`, message: why });
    });
  }
  const badRoles = new Set(problems.map((p) => p.path.replace(/\[\d+\]$/, "")));
  const plans = spec.sections.map((s, si) =>
    s.analyses.map((a, ai): Invocation[] => {
      const path = `sections[${si}].analyses[${ai}]`;
      const file = analysisData(spec, a);
      const own = file === spec.data ? undefined : file;
      const data = own === undefined ? frame : others[own];
      if (data === undefined) {
        problems.push({ path: `${path}.data`, message: `the data file "${own}" was not read` });
        return [];
      }
      let calls: Invocation[];
      try {
        calls = planAnalysis(spec, a, analysisSeed(spec, si, ai), data, path);
      } catch (e) {
        if (!isDidwasmError(e)) throw e;
        const m = e.message.startsWith(path) ? /^(\S+): (.*)$/s.exec(e.message) : null;
        problems.push(m ? { path: m[1], message: m[2] } : { path, message: e.message });
        return [];
      }
      const seen = new Set<string>();
      for (const c of calls) {
        const schema = COMMAND_SPECS[c.command as CommandName].options as Schema;
        const naming = (k: string) => c.sources[k] ?? `${path}.${k}`;
        const report = (where: string, message: string) => {
          // A role's problem is reported once, at the role, not again by every analysis that uses it.
          if (badRoles.has(where.replace(/\[\d+\]$/, "")) || seen.has(`${where}\u0000${message}`)) return;
          seen.add(`${where}\u0000${message}`);
          problems.push({ path: where, message });
        };
        for (const p of checkOptions(schema, c.options, naming).problems) {
          const where = naming(p.key);
          report(where, p.message.startsWith(where) ? p.message.slice(where.length).replace(/^:? /, "") : p.message);
        }
        for (const { key, names } of namedColumns(schema, c.options)) {
          for (const nm of names) {
            if (own === undefined && missingRoleColumns.has(nm)) continue;
            const why = missingColumn(data, nm, own);
            if (!why) continue;
            const where = c.sources[key] === "roles" ? columnSource(nm, a, path, roles, naming(key)) : naming(key);
            // A role the analysis's own file lacks is the analysis's problem (it can name another column).
            if (own !== undefined && where.startsWith("roles.")) report(path, `${why} (named by ${where})`);
            else report(where, why);
          }
        }
      }
      return calls;
    }),
  );
  return { problems, plans };
}
