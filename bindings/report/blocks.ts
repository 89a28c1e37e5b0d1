// The content of a report as numbered blocks (tables, figures, errors), built once from the results and
// rendered by html.ts and latex.ts. Each analysis type has one place here that decides what it shows.
import type { DescribeResult } from "../estimators/describe.js";
import { fmtNumber, fmtP } from "../present/format.js";
import { describeTable } from "../present/tables/describe-table.js";
import { cell, checkTable, row, type Table } from "../present/tables/model.js";
import { regressionTable, type GroupDiff } from "../present/tables/regression-table.js";
import type { AnalysisOutcome, CallOutcome, ReportResult } from "./runner.js";
import type { ReportSpec } from "./spec.js";

export type Block =
  | { readonly kind: "table"; readonly number: number; readonly caption: string; readonly table: Table }
  | { readonly kind: "figure"; readonly number: number; readonly caption: string; readonly svg: string }
  | { readonly kind: "error"; readonly where: string; readonly message: string }
  | { readonly kind: "text"; readonly text: string };

export interface SectionBlocks {
  readonly number: number;
  readonly title: string;
  readonly note?: string;
  readonly blocks: readonly Block[];
}

type Json = Record<string, any>;

class Counter {
  tables = 0;
  figures = 0;
}

const REGRESSION_TYPES = new Set(["regression", "subgroups"]);

function label(spec: ReportSpec, name: string): string {
  return spec.labels[name] ?? name;
}

/** Labels for coefficient names built from others: interactions a:b and initial-level trends. */
function termLabels(spec: ReportSpec, models: readonly Json[]): Record<string, string> {
  const out: Record<string, string> = { ...spec.labels };
  for (const m of models) {
    for (const c of (m.coefficients as Json[]) ?? []) {
      const t = String(c.term);
      if (out[t]) continue;
      const trend = /^(.+)_initial_x_trend$/.exec(t);
      if (trend) out[t] = `Initial ${label(spec, trend[1])} x trend`;
      else if (t.includes(":") && !t.includes("::")) out[t] = t.split(":").map((p) => label(spec, p)).join(" x ");
    }
  }
  return out;
}

function errorBlocks(a: AnalysisOutcome): Block[] {
  const where = a.analysis.label ?? a.analysis.type;
  const out: Block[] = [];
  for (const c of a.calls) {
    if (!c.error) continue;
    const detail = c.role && c.role !== where && c.role !== "model" ? ` (${c.role})` : "";
    out.push({ kind: "error", where: `${where}${detail}`, message: c.error.message });
  }
  return out;
}

/** One regression table for all regression-like analyses of a section (one column per model). */
function regressionSectionTable(spec: ReportSpec, title: string, analyses: readonly AnalysisOutcome[], n: Counter): Block[] {
  const models: Json[] = [];
  const titles: string[] = [];
  const diffs: GroupDiff[] = [];
  for (const a of analyses) {
    const fits = a.calls.filter((c) => c.command === "fit" && c.output);
    const start = models.length;
    for (const c of fits) {
      const json = c.output!.json as Json;
      const list: Json[] = Array.isArray(json.models) ? json.models : [json];
      for (const m of list) {
        models.push(m);
        const multi = list.length > 1;
        titles.push(multi ? label(spec, String(m.outcome)) : a.analysis.type === "subgroups" ? c.role.replace(/^(\w+) = /, (_, v) => `${label(spec, v)} = `) : (a.analysis.label ?? c.role));
      }
    }
    const bd = a.calls.find((c) => c.command === "bdiff" && c.output);
    if (bd && models.length - start === 2) {
      const j = bd.output!.json as Json;
      diffs.push({ p_value: j.p_value, columns: [start + 1, start + 2], coefficient: j.coefficient, group: j.group, method: j.method, reps: j.reps });
    }
  }
  if (models.length === 0) return [];
  const number = ++n.tables;
  const caption = `Table ${number}: ${title}`;
  // When every column is titled by its outcome, a second row naming the outcome would repeat it.
  const depvar = !models.every((m, k) => titles[k] === label(spec, String(m.outcome)));
  const table = regressionTable(models, {
    titles, depvar, labels: { ...termLabels(spec, models), group_diff_p: "Group difference p-value" }, feLabels: spec.fixefLabels, groupDiffs: diffs, caption,
    notes: diffs.length ? [`Group-difference p-values: ${diffs[0].method ?? "permutation"} test of the ${label(spec, String(diffs[0].coefficient))} coefficient, ${diffs[0].reps} draws (bdiff).`] : [],
  });
  return [{ kind: "table", number, caption, table }];
}

function figure(n: Counter, c: CallOutcome, caption: string): Block[] {
  if (!c.output?.figure) return [];
  const number = ++n.figures;
  return [{ kind: "figure", number, caption: `Figure ${number}: ${caption}`, svg: c.output.figure() }];
}

function simpleTable(n: Counter, title: string, head: string[], rows: Array<Array<string>>, notes: string[] = []): Block {
  const number = ++n.tables;
  const caption = `Table ${number}: ${title}`;
  const table = checkTable({
    align: ["l", ...head.slice(1).map(() => "r" as const)],
    header: [{ cells: head.map((h) => cell(h)) }],
    body: rows.map((r) => row(r)),
    notes,
    caption,
  });
  return { kind: "table", number, caption, table };
}

function analysisBlocks(spec: ReportSpec, a: AnalysisOutcome, sectionTitle: string, n: Counter): Block[] {
  const ok = a.calls.filter((c) => c.output);
  const first = ok[0];
  const json = first?.output?.json as Json | undefined;
  if (!json) return [];
  switch (a.analysis.type) {
    case "describe": {
      const number = ++n.tables;
      const caption = `Table ${number}: ${sectionTitle}`;
      const r = { ...json, byMissing: json.by_missing ?? 0 } as unknown as DescribeResult;
      return [{ kind: "table", number, caption, table: describeTable(r, { labels: spec.labels, caption }) }];
    }
    case "eventstudy": {
      const number = ++n.tables;
      const caption = `Table ${number}: ${sectionTitle}`;
      const pre = json.pretrend;
      const notes = [`Reference period ${json.reference_period}; window ${json.window?.[0]}..${json.window?.[1]}${json.bin ? `, periods beyond +-${json.bin} binned` : ""}.`];
      if (pre) notes.push(`Joint test of the pre-period coefficients: F(${pre.df1}, ${pre.df2}) = ${fmtNumber(pre.statistic, 3)}, p = ${fmtP(pre.p_value)}.`);
      // Relative periods as "t - 5" ... "t + 5"; binned end points as "t <= -5" / "t >= +5".
      const rels = ((json.coefficients as Json[]) ?? []).filter((c) => typeof c.rel_time === "number").map((c) => c.rel_time as number);
      const lo = Math.min(...rels);
      const hi = Math.max(...rels);
      const relLabels: Record<string, string> = {};
      for (const k of rels) {
        const sign = k < 0 ? `- ${-k}` : k > 0 ? `+ ${k}` : "";
        relLabels[`rel::${k}`] = json.bin && (k === lo || k === hi) && Math.abs(k) === json.bin ? `t ${k < 0 ? "<=" : ">="} ${k < 0 ? `-${-k}` : `+${k}`} (binned)` : `t ${sign}`.trim();
      }
      const controls = ((json.coefficients as Json[]) ?? []).some((c) => typeof c.rel_time !== "number");
      const table = regressionTable([json], {
        titles: [label(spec, spec.roles.outcome)], depvar: false, keep: ["rel::*"], labels: { ...spec.labels, ...relLabels }, feLabels: spec.fixefLabels,
        rows: [{ label: "Controls", values: [controls ? (spec.fixefLabels?.[0] ?? "Yes") : (spec.fixefLabels?.[1] ?? "No")] }], caption, notes,
      });
      return [{ kind: "table", number, caption, table }, ...figure(n, first, `Event study of ${label(spec, spec.roles.outcome)}: estimates and 95% confidence intervals`)];
    }
    case "placebo": {
      const d: number[] = json.draws ?? [];
      const mean = d.reduce((s, v) => s + v, 0) / Math.max(1, d.length);
      const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, d.length - 1));
      const t = simpleTable(n, sectionTitle, ["", "Value"], [
        ["True estimate", fmtNumber(json.estimate, 4)],
        ["Standard error", fmtNumber(json.std_error, 4)],
        ["Placebo draws", String(json.reps)],
        ["Mean of draws", fmtNumber(mean, 4)],
        ["SD of draws", fmtNumber(sd, 4)],
        ["Share of draws <= estimate", fmtNumber(json.p_left, 3)],
        ["Share of draws >= estimate", fmtNumber(json.p_right, 3)],
        ["Share with |draw| >= |estimate|", fmtNumber(json.p_two, 3)],
      ], [`${json.kind} placebo${json.variant ? ` (variant ${json.variant})` : ""}, seed ${json.seed}.`]);
      return [t, ...figure(n, first, `Kernel density of ${json.reps} placebo estimates; the dashed line marks the true estimate`)];
    }
    case "bacon": {
      const rows = (json.by_type as Json[]).map((t) => [t.type, fmtNumber(t.weight, 4), fmtNumber(t.estimate, 4)]);
      const notes = [`TWFE estimate: ${fmtNumber(json.twfe, 4)}.`];
      if (json.omega !== undefined) notes.push(`Within-timing-group weight Omega = ${fmtNumber(json.omega, 4)}, within estimate ${fmtNumber(json.beta_within, 4)}.`);
      return [simpleTable(n, sectionTitle, ["Comparison", "Weight", "Average 2x2 estimate"], rows, notes), ...figure(n, first, "Goodman-Bacon decomposition: 2x2 estimates against their weights")];
    }
    default:
      return [];
  }
}

/** did2s, Sun-Abraham and Callaway-Sant'Anna of one section, side by side. */
function robustTable(spec: ReportSpec, analyses: readonly AnalysisOutcome[], title: string, n: Counter): Block[] {
  const rows: string[][] = [];
  const ci = (e: number, s: number) => `[${fmtNumber(e - 1.959964 * s, 4)}, ${fmtNumber(e + 1.959964 * s, 4)}]`;
  for (const a of analyses) {
    const c = a.calls.find((x) => x.output);
    if (!c) continue;
    const j = c.output!.json as Json;
    const name = a.analysis.label ?? a.analysis.type;
    if (a.analysis.type === "csdid") {
      for (const k of ["simple", "dynamic", "group", "calendar"]) {
        const e = j.overall?.[k];
        if (e) rows.push([`${name}: ${k}`, fmtNumber(e.att, 4), fmtNumber(e.std_error, 4), ci(e.att, e.std_error)]);
      }
    } else {
      const coefs = (j.coefficients as Json[]) ?? [];
      const pick = a.analysis.type === "sunab" ? coefs.find((x) => x.term === "ATT") : coefs.find((x) => x.term === spec.roles.treatment) ?? coefs[0];
      if (pick) rows.push([name, fmtNumber(pick.estimate, 4), fmtNumber(pick.std_error, 4), `[${fmtNumber(pick.conf_low, 4)}, ${fmtNumber(pick.conf_high, 4)}]`]);
    }
  }
  if (rows.length === 0) return [];
  return [simpleTable(n, title, ["Estimator", "ATT", "Std. error", "95% CI"], rows, [
    "did2s: Gardner's two-stage estimator with GMM-corrected clustered errors; Sun-Abraham: cohort-weighted ATT (delta method); Callaway-Sant'Anna: never-treated controls, influence-function errors.",
  ])];
}

function psmBlocks(spec: ReportSpec, a: AnalysisOutcome, title: string, n: Counter): Block[] {
  const c = a.calls.find((x) => x.output);
  if (!c) return [];
  const j = c.output!.json as Json;
  const out: Block[] = [];
  if (Array.isArray(j.balance)) {
    out.push(simpleTable(n, `${title}: covariate balance`, ["Covariate", "Mean treated", "Mean control", "% bias before", "% bias after", "t after", "p after"],
      (j.balance as Json[]).map((b) => [label(spec, b.variable), fmtNumber(b.mean_treated, 4), fmtNumber(b.mean_control, 4), fmtNumber(b.bias_before, 2), fmtNumber(b.bias_after, 2), fmtNumber(b.t_after, 3), fmtNumber(b.p_after, 3)]),
      [`${j.matched_treated} treated units matched to ${j.matched_controls} controls.`]));
  }
  if (j.did) {
    const number = ++n.tables;
    const caption = `Table ${number}: ${title}: DID on the matched sample`;
    out.push({ kind: "table", number, caption, table: regressionTable([j.did], { titles: ["PSM-DID"], labels: spec.labels, feLabels: spec.fixefLabels, caption }) });
  }
  out.push(...figure(n, c, "Propensity-score densities of treated and control units, before and after matching"));
  return out;
}

export function reportBlocks(r: ReportResult): SectionBlocks[] {
  const spec = r.spec;
  const n = new Counter();
  return r.sections.map((s) => {
    const blocks: Block[] = [];
    const regressions = s.analyses.filter((a) => REGRESSION_TYPES.has(a.analysis.type));
    const robust = s.analyses.filter((a) => ["did2s", "sunab", "csdid"].includes(a.analysis.type));
    let regressionDone = false;
    let robustDone = false;
    for (const a of s.analyses) {
      if (REGRESSION_TYPES.has(a.analysis.type)) {
        if (!regressionDone) blocks.push(...regressionSectionTable(spec, s.title, regressions, n));
        regressionDone = true;
      } else if (robust.includes(a)) {
        if (!robustDone) blocks.push(...robustTable(spec, robust, s.title, n));
        robustDone = true;
      } else if (a.analysis.type === "psm") blocks.push(...psmBlocks(spec, a, s.title, n));
      else blocks.push(...analysisBlocks(spec, a, s.title, n));
    }
    for (const a of s.analyses) blocks.push(...errorBlocks(a));
    return { number: s.number, title: s.title, note: s.note, blocks };
  });
}

