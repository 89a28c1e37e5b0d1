// The content of a report as numbered blocks (tables, figures, errors), built once from the results and
// rendered by html.ts and latex.ts. Each analysis type has one place here that decides what it shows.
// Tables and figures speak the spec's labels (labels.ts) and its language (words.ts: every row, header,
// note and caption the report writes itself); their numbers never use scientific notation.
import type { DescribeResult } from "../estimators/describe.js";
import { coefPlotSvg } from "../present/svg/coefplot.js";
import { densitySvg } from "../present/svg/density.js";
import { scatterSvg } from "../present/svg/scatter.js";
import { seriesPlotSvg } from "../present/svg/series-plot.js";
import { describeTable } from "../present/tables/describe-table.js";
import { cell, checkTable, row, type Table } from "../present/tables/model.js";
import { tableNumber as fmtNumber, tableP as fmtP } from "../present/tables/numbers.js";
import { regressionTable, type GroupDiff } from "../present/tables/regression-table.js";
import { figureWords } from "./figure-words.js";
import { groupTitle, groupingName, label, periodLabels, termLabels } from "./labels.js";
import { medianSplitColumn } from "./plan.js";
import type { AnalysisOutcome, CallOutcome, ReportResult } from "./runner.js";
import type { ReportSpec } from "./spec.js";
import { fill, reportWords, wordOr } from "./words.js";

/** Tables and figures carry their number, their caption as the HTML page writes it ("Table 3: Event study"),
 *  their title without the number (LaTeX numbers captions itself), and the analyses (indices in their
 *  section) they show. */
export type Block =
  | { readonly kind: "table"; readonly number: number; readonly caption: string; readonly title: string; readonly table: Table; readonly analyses: readonly number[] }
  | { readonly kind: "figure"; readonly number: number; readonly caption: string; readonly title: string; readonly svg: string; readonly analyses: readonly number[] }
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

/** "Table 3: title", or the spec's template ("表{n} {title}"). */
function tableCaption(spec: ReportSpec, number: number, title: string): string {
  return (spec.tables?.caption ?? "Table {n}: {title}").replace("{n}", String(number)).replace("{title}", title);
}

function figureCaption(spec: ReportSpec, number: number, title: string): string {
  return (spec.tables?.figureCaption ?? "Figure {n}: {title}").replace("{n}", String(number)).replace("{title}", title);
}

/** What every regression-style table of the report shares: the corner cell, and the spec's own notes in
 *  place of the default ones on parentheses and stars. */
function regressionWords(spec: ReportSpec): { corner?: string; defaultNotes?: boolean } {
  return { corner: spec.tables?.corner, defaultNotes: spec.tables?.notes ? false : undefined };
}

const ownNotes = (spec: ReportSpec, notes: readonly string[] = []) => [...(spec.tables?.notes ?? []), ...notes];

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

/** The title of a model of a multiple estimation: its split sample, else (for stepwise steps) its column
 *  number, else its outcome (c(y1, y2)); an outcome that is not the title gets the outcome row. */
function multiModelTitle(spec: ReportSpec, m: Json, column: number): string {
  if (m.sample) return m.sample.value === null ? reportWords(spec).fullSample : groupTitle(spec, String(m.sample.var), String(m.sample.value));
  return m.step ? `(${column})` : label(spec, String(m.outcome));
}

/** One regression table for all regression-like analyses of a section (one column per model). */
function regressionSectionTable(spec: ReportSpec, title: string, analyses: readonly AnalysisOutcome[], n: Counter, indices: readonly number[]): Block[] {
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
        titles.push(multi ? multiModelTitle(spec, m, models.length) : a.analysis.type === "subgroups" ? subgroupTitle(spec, a, c) : (a.analysis.label ?? c.role));
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
  const caption = tableCaption(spec, number, title);
  // When every column is titled by its outcome, a second row naming the outcome would repeat it.
  const depvar = !models.every((m, k) => titles[k] === label(spec, String(m.outcome)));
  // The group-difference note names the coefficient and the groups by their labels.
  const labelledDiffs = diffs.map((d) => ({ ...d, coefficient: d.coefficient && label(spec, d.coefficient), group: d.group && groupingName(spec, d.group) }));
  const table = regressionTable(models, {
    titles, depvar, labels: { ...termLabels(spec, models), group_diff_p: spec.labels.group_diff_p ?? reportWords(spec).groupDiffP }, feLabels: spec.fixefLabels, statistic: spec.statistic, groupDiffs: labelledDiffs, caption,
    ...regressionWords(spec), notes: spec.tables?.notes,
  });
  return [{ kind: "table", number, caption, title, table, analyses: indices }];
}

/** A subgroup's column: the value label of its group ("East"), else "Region = 1". */
function subgroupTitle(spec: ReportSpec, a: AnalysisOutcome, c: CallOutcome): string {
  const by = a.analysis.split === "median" ? medianSplitColumn(String(a.analysis.by)) : String(a.analysis.by);
  const prefix = `${by} = `;
  return c.role.startsWith(prefix) ? groupTitle(spec, by, c.role.slice(prefix.length)) : c.role;
}

/** A figure block with `svg` (drawn only when the call succeeded). */
function figure(spec: ReportSpec, n: Counter, c: CallOutcome, title: string, index: number, svg: () => string | undefined): Block[] {
  if (!c.output) return [];
  const drawn = svg();
  if (!drawn) return [];
  const number = ++n.figures;
  return [{ kind: "figure", number, caption: figureCaption(spec, number, title), title, svg: drawn, analyses: [index] }];
}

/** The figure the command draws itself (its --plot), in the spec's language. */
const commandFigure = (spec: ReportSpec, c: CallOutcome) => () => c.output?.figure?.(figureWords(reportWords(spec)));

export type TableBlock = Extract<Block, { kind: "table" }>;
export type FigureBlock = Extract<Block, { kind: "figure" }>;

function simpleTable(spec: ReportSpec, n: Counter, title: string, head: string[], rows: Array<Array<string>>, notes: string[], index: number): TableBlock {
  const number = ++n.tables;
  const caption = tableCaption(spec, number, title);
  const table = checkTable({
    align: ["l", ...head.slice(1).map(() => "r" as const)],
    header: [{ cells: head.map((h) => cell(h)) }],
    body: rows.map((r) => row(r)),
    notes,
    caption,
  });
  return { kind: "table", number, caption, title, table, analyses: [index] };
}

function analysisBlocks(spec: ReportSpec, a: AnalysisOutcome, sectionTitle: string, n: Counter, index: number): Block[] {
  const ok = a.calls.filter((c) => c.output);
  const first = ok[0];
  const json = first?.output?.json as Json | undefined;
  if (!json) return [];
  const w = reportWords(spec);
  switch (a.analysis.type) {
    case "describe": {
      const number = ++n.tables;
      const caption = tableCaption(spec, number, sectionTitle);
      const r = { ...json, byMissing: json.by_missing ?? 0 } as unknown as DescribeResult;
      const groupLabels = json.by ? spec.valueLabels[String(json.by)] : undefined;
      return [{ kind: "table", number, caption, title: sectionTitle, table: describeTable(r, { labels: spec.labels, groupLabels, caption, headers: spec.tables?.describeHeaders }), analyses: [index] }];
    }
    case "eventstudy": {
      const number = ++n.tables;
      const caption = tableCaption(spec, number, sectionTitle);
      const pre = json.pretrend;
      const notes = [fill(w.esReference, { ref: json.reference_period, lo: json.window?.[0], hi: json.window?.[1], binned: json.bin ? fill(w.esBinnedNote, { bin: json.bin }) : "" })];
      if (pre) notes.push(fill(w.esPretest, { df1: pre.df1, df2: pre.df2, f: fmtNumber(pre.statistic, 3), p: fmtP(pre.p_value) }));
      const coefficients = (json.coefficients as Json[]) ?? [];
      const controls = coefficients.some((c) => typeof c.rel_time !== "number");
      const outcome = label(spec, String(json.outcome ?? spec.roles.outcome));
      const table = regressionTable([json], {
        titles: [outcome], depvar: false, keep: ["rel::*"], labels: { ...termLabels(spec, [json]), ...periodLabels(coefficients, json.bin, w) }, feLabels: spec.fixefLabels, statistic: spec.statistic,
        rows: [{ label: spec.labels.controls ?? w.controls, values: [controls ? (spec.fixefLabels?.[0] ?? "Yes") : (spec.fixefLabels?.[1] ?? "No")] }], caption,
        ...regressionWords(spec), notes: ownNotes(spec, notes),
      });
      // Drawn here rather than by the command, so that the title speaks the spec's labels.
      const events = coefficients.filter((c) => typeof c.rel_time === "number") as never[];
      const svg = () => coefPlotSvg(events, { ref: json.reference_period, bin: json.bin, title: fill(w.esFigureTitle, { outcome }), xLabel: w.esXLabel, yLabel: w.esYLabel, legend: [w.esPre, w.esPost], treatmentLabel: w.esTreatmentStarts, referenceLabel: w.esReferencePeriod });
      return [{ kind: "table", number, caption, title: sectionTitle, table, analyses: [index] }, ...figure(spec, n, first, fill(w.esFigureCaption, { outcome }), index, svg)];
    }
    case "placebo": {
      const d: number[] = json.draws ?? [];
      const mean = d.reduce((s, v) => s + v, 0) / Math.max(1, d.length);
      const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, d.length - 1));
      const kindWord = wordOr(w, `placeboKind${String(json.kind).charAt(0).toUpperCase()}${String(json.kind).slice(1)}`, String(json.kind));
      const t = simpleTable(spec, n, sectionTitle, ["", w.value], [
        [w.placeboEstimate, fmtNumber(json.estimate, 4)],
        [w.placeboSe, fmtNumber(json.std_error, 4)],
        [w.placeboDraws, String(json.reps)],
        [w.placeboMean, fmtNumber(mean, 4)],
        [w.placeboSd, fmtNumber(sd, 4)],
        [w.placeboLeft, fmtNumber(json.p_left, 3)],
        [w.placeboRight, fmtNumber(json.p_right, 3)],
        [w.placeboTwo, fmtNumber(json.p_two, 3)],
      ], [fill(w.placeboNote, { kind: kindWord, variant: json.variant ? fill(w.placeboVariant, { variant: json.variant }) : "", seed: json.seed })], index);
      const kind = `${kindWord}${json.variant ? ` ${json.variant}` : ""}`;
      const svg = () =>
        d.length
          ? densitySvg(d, json.estimate, { title: fill(w.placeboFigureTitle, { treatment: label(spec, spec.roles.treatment), kind, reps: json.reps }), xLabel: w.placeboXLabel, yLabel: w.placeboYLabel, estimateLabel: w.placeboTrue, pValue: json.p_two, pLabel: w.placeboPLabel })
          : undefined;
      return [t, ...figure(spec, n, first, fill(w.placeboFigureCaption, { reps: json.reps }), index, svg)];
    }
    case "bacon": {
      const rows = (json.by_type as Json[]).map((t) => [wordOr(w, `bacon:${t.type}`, String(t.type)), fmtNumber(t.weight, 4), fmtNumber(t.estimate, 4)]);
      const notes = [fill(w.baconTwfe, { b: fmtNumber(json.twfe, 4) })];
      if (json.omega !== undefined) notes.push(fill(w.baconOmega, { omega: fmtNumber(json.omega, 4), b: fmtNumber(json.beta_within, 4) }));
      // Drawn here rather than by the command (the same plot), so that it speaks the spec's language.
      const kind = (t: string) => wordOr(w, `bacon:${t}`, t);
      const svg = () =>
        scatterSvg(
          (json.pairs as Json[]).map((p) => ({
            x: p.weight, y: p.estimate, group: kind(p.type),
            tip: fill(w.baconTip, { treated: p.treated, untreated: p.untreated ?? w.baconNever, estimate: p.estimate.toPrecision(4), weight: p.weight.toPrecision(3) }),
          })),
          { title: w.baconFigureTitle, xLabel: w.baconWeight, yLabel: w.baconYLabel, hLine: { y: json.twfe, label: `TWFE = ${json.twfe.toPrecision(4)}` } },
        );
      return [simpleTable(spec, n, sectionTitle, [w.baconComparison, w.baconWeight, w.baconEstimate], rows, notes, index), ...figure(spec, n, first, w.baconFigureCaption, index, svg)];
    }
    case "compare": {
      // One column per estimator: its event-time path, then its overall ATT (standard errors under each).
      const ests = json.estimators as Json[];
      const events = json.event as Json[];
      const times = [...new Set(events.map((e) => e.rel_time as number))].sort((x, y) => x - y);
      const rows: string[][] = [];
      for (const t of times) {
        const at = ests.map((e) => events.find((p) => p.estimator === e.key && p.rel_time === t));
        rows.push([String(t), ...at.map((p) => (p ? fmtNumber(p.estimate, 4) : ""))], ["", ...at.map((p) => (p && p.std_error !== null ? `(${fmtNumber(p.std_error, 4)})` : ""))]);
      }
      rows.push([w.overallAtt, ...ests.map((e) => (e.overall ? fmtNumber(e.overall.estimate, 4) : ""))], ["", ...ests.map((e) => (e.overall?.std_error != null ? `(${fmtNumber(e.overall.std_error, 4)})` : ""))]);
      const name = (e: Json) => wordOr(w, `compare:${e.label}`, String(e.label));
      const list = ests.filter((e) => e.overall).map((e) => fill(w.compareItem, { label: name(e), what: wordOr(w, `compareWhat:${e.key}`, String(e.overall.what)) }));
      const t = simpleTable(spec, n, sectionTitle, [w.eventTime, ...ests.map(name)], rows, [fill(w.compareNote, { list: list.join(w.compareSeparator) })], index);
      // Drawn here rather than by the command (the same plot), so that it speaks the spec's labels and language.
      const svg = () =>
        seriesPlotSvg(
          ests.map((e) => ({
            name: name(e),
            points: events.filter((p) => p.estimator === e.key).map((p) => ({ x: p.rel_time, estimate: p.estimate, conf_low: p.conf_low ?? undefined, conf_high: p.conf_high ?? undefined })),
          })),
          { title: fill(w.compareFigureTitle, { outcome: label(spec, spec.roles.outcome) }), xLabel: w.esXLabel, yLabel: w.esYLabel },
        );
      return [t, ...figure(spec, n, first, fill(w.compareFigureCaption, { outcome: label(spec, spec.roles.outcome) }), index, svg)];
    }
    case "honestdid": {
      const bound = json.delta === "RM" ? "Mbar" : "M";
      const rows = [[w.honestOriginal, fmtNumber(json.original.lb, 4), fmtNumber(json.original.ub, 4)],
        ...(json.robust as Json[]).map((r) => [`${bound} = ${r.m}`, r.lb === null ? w.honestEmpty : fmtNumber(r.lb, 4), r.ub === null ? "" : fmtNumber(r.ub, 4)])];
      const br = json.breakdown?.m == null ? fill(w.honestNoBreakdown, { bound }) : fill(w.honestBreakdown, { bound, m: fmtNumber(json.breakdown.m, 3) });
      const t = simpleTable(spec, n, sectionTitle, [fill(w.honestBound, { delta: json.delta, method: json.method }), w.honestLower, w.honestUpper], rows,
        [fill(w.honestNote, { level: Math.round((1 - json.alpha) * 100), pre: json.num_pre, post: json.num_post, breakdown: br })], index);
      return [t, ...figure(spec, n, first, w.honestFigureCaption, index, commandFigure(spec, first))];
    }
    case "pretrends": {
      const rows = [[w.pretrendsPower, fmtNumber(json.power, 4)], [w.pretrendsBayes, fmtNumber(json.bayes_factor, 4)], [w.pretrendsLr, fmtNumber(json.likelihood_ratio, 4)],
        ...(json.slopes_for_power as Json[]).map((s) => [fill(w.pretrendsSlope, { power: s.power * 100 }), fmtNumber(s.slope, 4)])];
      const trend = json.trend.kind === "slope" ? fill(w.pretrendsLinear, { slope: fmtNumber(json.trend.slope, 4) }) : w.pretrendsGiven;
      const t = simpleTable(spec, n, sectionTitle, [w.pretrendsHeader, w.value], rows, [fill(w.pretrendsNote, { z: json.z, trend })], index);
      return [t, ...figure(spec, n, first, w.pretrendsFigureCaption, index, commandFigure(spec, first))];
    }
    default:
      return [];
  }
}

/** did2s, imputation, Sun-Abraham and Callaway-Sant'Anna of one section, side by side. */
function robustTable(spec: ReportSpec, analyses: readonly AnalysisOutcome[], title: string, n: Counter, indices: readonly number[]): Block[] {
  const rows: string[][] = [];
  const w = reportWords(spec);
  const ci = (e: number, s: number) => `[${fmtNumber(e - 1.959964 * s, 4)}, ${fmtNumber(e + 1.959964 * s, 4)}]`;
  for (const a of analyses) {
    const c = a.calls.find((x) => x.output);
    if (!c) continue;
    const j = c.output!.json as Json;
    const name = a.analysis.label ?? a.analysis.type;
    if (a.analysis.type === "csdid") {
      for (const k of ["simple", "dynamic", "group", "calendar"]) {
        const e = j.overall?.[k];
        if (e) rows.push([fill(w.csdidRow, { name, aggregation: wordOr(w, `csdid:${k}`, k) }), fmtNumber(e.att, 4), fmtNumber(e.std_error, 4), ci(e.att, e.std_error)]);
      }
    } else {
      const coefs = (j.coefficients as Json[]) ?? [];
      // dcdh: its average total effect per unit of treatment (the ATT for a binary treatment that stays on)
      const pick = a.analysis.type === "etwfe" ? (j.att as Json) : a.analysis.type === "sunab" ? coefs.find((x) => x.term === "ATT") : a.analysis.type === "dcdh" ? coefs.find((x) => x.term === "Av_tot_eff") : coefs.find((x) => x.term === spec.roles.treatment) ?? coefs[0];
      if (pick) rows.push([name, fmtNumber(pick.estimate, 4), fmtNumber(pick.std_error, 4), `[${fmtNumber(pick.conf_low, 4)}, ${fmtNumber(pick.conf_high, 4)}]`]);
    }
  }
  if (rows.length === 0) return [];
  const dcdhNote = analyses.some((a) => a.analysis.type === "dcdh") ? [w.dcdhNote] : [];
  const synth = analyses.some((a) => a.analysis.type === "synthdid") ? [w.synthdidNote] : [];
  const table = simpleTable(spec, n, title, [w.estimator, w.att, w.stdError, w.ci95], rows, [
    w.robustNote,
    ...synth,
    ...dcdhNote,
  ], indices[0]);
  return [{ ...table, analyses: indices }];
}

function psmBlocks(spec: ReportSpec, a: AnalysisOutcome, title: string, n: Counter, index: number): Block[] {
  const c = a.calls.find((x) => x.output);
  if (!c) return [];
  const j = c.output!.json as Json;
  const out: Block[] = [];
  const w = reportWords(spec);
  if (Array.isArray(j.balance)) {
    out.push(simpleTable(spec, n, fill(w.psmBalanceTitle, { title }), [w.psmCovariate, w.psmMeanTreated, w.psmMeanControl, w.psmBiasBefore, w.psmBiasAfter, w.psmTAfter, w.psmPAfter],
      (j.balance as Json[]).map((b) => [label(spec, b.variable), fmtNumber(b.mean_treated, 4), fmtNumber(b.mean_control, 4), fmtNumber(b.bias_before, 2), fmtNumber(b.bias_after, 2), fmtNumber(b.t_after, 3), fmtNumber(b.p_after, 3)]),
      [fill(w.psmMatched, { treated: j.matched_treated, controls: j.matched_controls })], index));
  }
  if (j.did) {
    const number = ++n.tables;
    const tableTitle = fill(w.psmDidTitle, { title });
    const caption = tableCaption(spec, number, tableTitle);
    // psm's DID regressor is the treatment (treated unit x post period): it gets the treatment's label.
    const labels = { treat_post: label(spec, spec.roles.treatment), ...termLabels(spec, [j.did]) };
    const table = regressionTable([j.did], { titles: [a.analysis.label ?? "PSM-DID"], labels, feLabels: spec.fixefLabels, statistic: spec.statistic, caption, ...regressionWords(spec), notes: spec.tables?.notes });
    out.push({ kind: "table", number, caption, title: tableTitle, table, analyses: [index] });
  }
  out.push(...figure(spec, n, c, w.psmFigureCaption, index, commandFigure(spec, c)));
  return out;
}

export function reportBlocks(r: ReportResult): SectionBlocks[] {
  const spec = r.spec;
  const n = new Counter();
  return r.sections.map((s) => {
    const blocks: Block[] = [];
    const regressions = s.analyses.filter((a) => REGRESSION_TYPES.has(a.analysis.type));
    const robust = s.analyses.filter((a) => ["did2s", "imputation", "etwfe", "dcdh", "synthdid", "stacked", "sunab", "csdid"].includes(a.analysis.type));
    let regressionDone = false;
    let robustDone = false;
    const indicesOf = (list: readonly AnalysisOutcome[]) => list.map((a) => s.analyses.indexOf(a));
    for (const [i, a] of s.analyses.entries()) {
      if (REGRESSION_TYPES.has(a.analysis.type)) {
        if (!regressionDone) blocks.push(...regressionSectionTable(spec, s.title, regressions, n, indicesOf(regressions)));
        regressionDone = true;
      } else if (robust.includes(a)) {
        if (!robustDone) blocks.push(...robustTable(spec, robust, s.title, n, indicesOf(robust)));
        robustDone = true;
      } else if (a.analysis.type === "psm") blocks.push(...psmBlocks(spec, a, s.title, n, i));
      else blocks.push(...analysisBlocks(spec, a, s.title, n, i));
    }
    for (const a of s.analyses) blocks.push(...errorBlocks(a));
    return { number: s.number, title: s.title, note: s.note, blocks };
  });
}

