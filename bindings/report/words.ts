// The report's own words: every text the report writes around the numbers that is not a label of the data
// (rows of the placebo, Bacon, HonestDiD and pre-trend tables, headers, notes, figure captions, the page's
// headings). English here; words-zh.ts has the Chinese phrasebook. A spec picks one with
// `tables.language` and may replace any entry with `tables.words` (a journal's own wording, another
// language). Entries are templates: {name} is replaced by a value (fill()).
import type { Note } from "../notes.js";
import { zhNoteText } from "./notes-zh.js";
import { ZH_WORDS } from "./words-zh.js";

export const EN_WORDS = {
  // Event studies
  esBinnedLow: "t ≤ -{k} (binned)",
  esBinnedHigh: "t ≥ +{k} (binned)",
  esReference: "Reference period {ref}; window {lo}..{hi}{binned}.",
  esBinnedNote: ", periods beyond ±{bin} binned",
  esPretest: "Joint test of the pre-period coefficients: F({df1}, {df2}) = {f}, p = {p}.",
  esFigureTitle: "Event study: {outcome}",
  esFigureCaption: "Event study of {outcome}: estimates and 95% confidence intervals",
  esXLabel: "Periods relative to treatment",
  esYLabel: "Estimate and 95% CI",
  esPre: "Pre-treatment",
  esPost: "Post-treatment",
  esTreatmentStarts: "treatment starts",
  esReferencePeriod: "reference period",
  controls: "Controls",
  // Placebo tests
  value: "Value",
  placeboEstimate: "True estimate",
  placeboSe: "Standard error",
  placeboDraws: "Placebo draws",
  placeboMean: "Mean of draws",
  placeboSd: "SD of draws",
  placeboLeft: "Share of draws ≤ estimate",
  placeboRight: "Share of draws ≥ estimate",
  placeboTwo: "Share with |draw| ≥ |estimate|",
  placeboNote: "{kind} placebo{variant}, seed {seed}.",
  placeboVariant: " (variant {variant})",
  placeboKindMixed: "mixed",
  placeboKindSpace: "space",
  placeboKindTime: "time",
  placeboFigureTitle: "Placebo test of {treatment} ({kind}, {reps} draws)",
  placeboXLabel: "Placebo estimates",
  placeboYLabel: "Density",
  placeboPLabel: "two-sided p",
  placeboTrue: "true estimate",
  placeboFigureCaption: "Kernel density of {reps} placebo estimates; the dashed line marks the true estimate",
  // Goodman-Bacon decomposition (the comparison types are bacon's own names)
  baconComparison: "Comparison",
  baconWeight: "Weight",
  baconEstimate: "Average 2×2 estimate",
  "bacon:Treated vs Untreated": "Treated vs Untreated",
  "bacon:Earlier vs Later Treated": "Earlier vs Later Treated",
  "bacon:Later vs Earlier Treated": "Later vs Earlier Treated",
  "bacon:Later vs Always Treated": "Later vs Always Treated",
  "bacon:Both Treated": "Both Treated",
  baconTwfe: "TWFE estimate: {b}.",
  baconOmega: "Within-timing-group weight Omega = {omega}, within estimate {b}.",
  baconFigureCaption: "Goodman-Bacon decomposition: 2×2 estimates against their weights",
  baconFigureTitle: "Goodman-Bacon decomposition",
  baconYLabel: "2x2 DID estimate",
  baconTip: "{treated} vs {untreated}: estimate {estimate}, weight {weight}",
  baconNever: "never",
  // Heterogeneity-robust estimators side by side
  estimator: "Estimator",
  att: "ATT",
  stdError: "Std. error",
  ci95: "95% CI",
  "csdid:simple": "simple",
  "csdid:dynamic": "dynamic",
  "csdid:group": "group",
  "csdid:calendar": "calendar",
  csdidRow: "{name}: {aggregation}",
  robustNote:
    "did2s: Gardner's two-stage estimator with GMM-corrected clustered errors; imputation: Borusyak-Jaravel-Spiess, conservative leave-out clustered errors; stacked: Wing-Freedman-Hollingsworth corrective weights, clustered by unit; Sun-Abraham: cohort-weighted ATT (delta method); extended TWFE: Wooldridge's cohort x period cells, average over treated observations (delta method); Callaway-Sant'Anna: never-treated controls, influence-function errors.",
  synthdidNote: "synthdid: synthetic DID with synthdid's unit and time weights (staggered cohorts as Stata's sdid), placebo, bootstrap or jackknife errors.",
  dcdhNote: "dcdh: de Chaisemartin-D'Haultfoeuille average total effect per unit of treatment, switchers against not-yet-switched groups, clustered influence-function errors.",
  // Estimators compared on one event-time grid
  eventTime: "Event time",
  overallAtt: "Overall ATT",
  compareNote: "Standard errors in parentheses. Overall: {list}.",
  compareItem: "{label}, {what}",
  compareSeparator: "; ",
  compareFigureCaption: "Event-time effects of {outcome} by estimator, with 95% confidence intervals",
  compareFigureTitle: "Event-time effects by estimator: {outcome}",
  // HonestDiD
  honestBound: "Bound ({delta}, {method})",
  honestLower: "Lower",
  honestUpper: "Upper",
  honestOriginal: "Original (parallel trends)",
  honestEmpty: "(empty)",
  honestBreakdown: "the set first contains 0 at {bound} = {m}",
  honestNoBreakdown: "no {bound} given makes the set contain 0",
  honestNote: "HonestDiD robust {level}% confidence sets for the first post-period effect ({pre} pre-, {post} post-periods); breakdown: {breakdown}.",
  honestFigureCaption: "Sensitivity of the effect to violations of parallel trends",
  // ... and its figure (the sensitivity plot): these are its English defaults
  honestFigureTitle: "Sensitivity analysis ({restriction}, {method})",
  honestRelative: "relative magnitudes",
  honestSmooth: "smoothness",
  honestXLabel: "{bound}",
  honestYLabel: "{level}% confidence set",
  honestOriginalTick: "Original",
  honestFigureDescription: "{title}: confidence sets by {bound}",
  // Power of the pre-trend test
  pretrendsHeader: "Pre-trend power (Roth 2022)",
  pretrendsPower: "Power against the hypothesised trend",
  pretrendsBayes: "Bayes factor",
  pretrendsLr: "Likelihood ratio",
  pretrendsSlope: "Slope detected with {power}% power",
  pretrendsLinear: "a linear trend of slope {slope} per period",
  pretrendsGiven: "the given trend",
  pretrendsNote: "Pre-test: no pre-period coefficient with |t| > {z}; hypothesised violation: {trend}.",
  pretrendsFigureCaption: "Event study, hypothesised trend and expected estimates after passing the pre-test",
  pretrendsFigureTitle: "Event study, hypothesised trend and expectation after pre-testing",
  pretrendsXLabel: "Event time (reference period {reference})",
  pretrendsEstimate: "Estimate",
  pretrendsTrend: "Hypothesised trend",
  pretrendsAfter: "Expected after pre-testing",
  // Propensity-score matching
  psmBalanceTitle: "{title}: covariate balance",
  psmCovariate: "Covariate",
  psmMeanTreated: "Mean treated",
  psmMeanControl: "Mean control",
  psmBiasBefore: "% bias before",
  psmBiasAfter: "% bias after",
  psmTAfter: "t after",
  psmPAfter: "p after",
  psmMatched: "{treated} treated units matched to {controls} controls.",
  psmDidTitle: "{title}: DID on the matched sample",
  psmFigureCaption: "Propensity-score densities of treated and control units, before and after matching",
  psmBefore: "Before matching",
  psmAfter: "After matching",
  psmScore: "Propensity score",
  psmDensity: "Density",
  psmTreated: "Treated ({n})",
  psmControl: "Control ({n})",
  psmFigureDescription: "Propensity-score densities of treated and control units before and after matching",
  // Regression tables and their columns
  fullSample: "Full sample",
  groupDiffP: "Group difference p-value",
  groupHigh: "High {name}",
  groupLow: "Low {name}",
  medianSplit: "{name} (split at the median)",
  and: " and ",
  initialTrend: "Initial {name} × trend",
  // The page
  meta: "didwasm {version} · {date} · data: {data} · {rows} rows{others}",
  otherData: " (some analyses: {files})",
  methodsText:
    "Two-way fixed-effects regressions absorb the fixed effects by alternating projections; standard errors are cluster-robust (CRV1) with fixest 0.12's small-sample corrections and t(G − 1) p-values. " +
    "Event studies omit the reference period and use never-treated units as controls. The Goodman-Bacon decomposition follows bacondecomp; did2s uses Gardner's two-stage estimator with its GMM-corrected variance; " +
    "Sun-Abraham aggregates cohort-period effects by their observation shares; Callaway-Sant'Anna uses never-treated controls and influence-function standard errors. " +
    "Placebo and group-difference tests draw replicate r from stream r of the analysis's seed, so every number can be reproduced exactly.",
  seeds: "Seeds (from the spec's seed {seed}): {list}.",
  seedItem: "{section}. {title} ({analysis}): seed {seed}",
  produced: "Data: {data} ({rows} rows){others}. Produced by didwasm {version} on {created} in {seconds} s{failed}. Every number is also in results.json, and every table in tables.tex, tables.docx and tables.rtf.",
  failed: "; {count} computation(s) failed (sections {sections})",
  contents: "Contents",
  methods: "Methods and reproducibility",
  download: "Download: ",
  files: "Files: ",
  figureRef: "Figure {n}",
  copy: "Copy",
  copied: "Copied",
  reproduce: "Notes, files and commands (reproduce)",
  notEstimated: "Could not be estimated",
  warning: "Warning: ",
} as const;

export type WordKey = keyof typeof EN_WORDS;
export type Words = Readonly<Record<WordKey, string>>;

export const REPORT_LANGUAGES = ["en", "zh"] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

const BOOKS: Readonly<Record<ReportLanguage, Words>> = { en: EN_WORDS, zh: ZH_WORDS };

/** The names of every entry (for checking a spec's `tables.words`). */
export const WORD_KEYS = Object.keys(EN_WORDS) as WordKey[];

/** The phrasebook of a spec: its language's, with its own `words` over it. */
export function reportWords(spec: { readonly tables?: { readonly language?: ReportLanguage; readonly words?: Readonly<Partial<Record<WordKey, string>>> } }): Words {
  return { ...BOOKS[spec.tables?.language ?? "en"], ...(spec.tables?.words ?? {}) };
}

/** A template with its {name}s replaced; a name without a value stays as written (visible, not lost). */
export function fill(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));
}

/** An entry whose key is made from data (a Bacon comparison type, a csdid aggregation): the text as the
 *  data writes it when the phrasebook has no entry for it. */
export function wordOr(words: Words, key: string, fallback: string): string {
  return (words as Readonly<Record<string, string>>)[key] ?? fallback;
}

const NOTE_TEXTS: Readonly<Record<ReportLanguage, (n: Note) => string>> = { en: (n) => n.message, zh: zhNoteText };

/** How the report writes an estimator's note in the spec's language (notes-zh.ts; English as written). */
export function reportNoteText(spec: { readonly tables?: { readonly language?: ReportLanguage } }): (n: Note) => string {
  return NOTE_TEXTS[spec.tables?.language ?? "en"];
}
