// The estimators' notes in Chinese, for the zh report's "notes, files and commands" area. Estimators write
// their notes in English (notes.ts: a kind, a severity, a message with numbers and names in it); a note is
// translated here when its kind and message match one of these rules, whose template takes the message's
// captured parts ({1}, {2}, ...). A note no rule knows keeps its English: being shown matters more than its
// language. Rules cover the notes of the usual analyses (missing values, singletons, collinearity,
// convergence, event windows, matching, resampling, pre-trends); those of rarer options (GLM separation,
// dcdh's and stacked designs' cohorts, threads, HonestDiD's grid) stay English for now.
import type { Note, NoteKind } from "../notes.js";

interface NoteRule {
  readonly kind: NoteKind;
  readonly en: RegExp;
  readonly zh: string;
}

const NOTCONV = "未收敛";

export const ZH_NOTES: readonly NoteRule[] = [
  { kind: "missing_dropped", en: /^(\d+) observation\(s\) removed because of missing values$/, zh: "因存在缺失值删除{1}个观测值" },
  { kind: "missing_dropped", en: /^(\d+) observation\(s\) of the data removed because of missing values before stacking$/, zh: "堆叠前因存在缺失值删除{1}个观测值" },
  { kind: "missing_dropped", en: /^(\d+) unit\(s\) \((\d+) treated, (\d+) never treated\) left out: no pre-period value of some covariate$/, zh: "{1}个个体（处理组{2}个、从未处理组{3}个）因处理前期缺少某些协变量的取值而未纳入" },
  { kind: "nonfinite_dropped", en: /^(\d+) observation\(s\) removed because (\S+) is not finite there .*$/, zh: "{2}取值非有限（如对0或负数取对数）的{1}个观测值被删除（与fixest一致）" },
  { kind: "zero_weight_dropped", en: /^(\d+) observation\(s\) with zero weight removed$/, zh: "删除权重为0的观测值{1}个" },
  { kind: "singletons_dropped", en: /^(\d+) singleton observation\(s\) removed$/, zh: "删除单例观测值{1}个" },
  { kind: "collinear_removed", en: /^collinear regressor\(s\) removed: (.+)$/, zh: "因共线性删除的解释变量：{1}" },
  { kind: "collinear_removed", en: /^first stage: control\(s\) collinear with the fixed effects removed: (.+)$/, zh: "第一阶段：与固定效应共线的控制变量被删除：{1}" },
  { kind: "collinear_removed", en: /^collinear instrument\(s\) removed from the first stage: (.+)$/, zh: "第一阶段因共线性删除的工具变量：{1}" },
  { kind: "collinear_removed", en: /^covariate\(s\) collinear with the others left out of the propensity score: (.+)$/, zh: "倾向得分模型中与其他协变量共线而未纳入的协变量：{1}" },
  { kind: "collinear_removed", en: /^event time\(s\) without identifying variation removed: (.+)$/, zh: "缺乏识别变异而删除的相对时间：{1}" },
  { kind: "collinear_removed", en: /^(\d+) term\(s\) removed because of collinearity: (.+)$/, zh: "因共线性删除{1}项：{2}" },
  { kind: "not_converged", en: /^demeaning did not converge within (\d+) sweeps \(tol (\S+)\) for: (.+)$/, zh: `去均值迭代在{1}轮内${NOTCONV}（容差{2}）：{3}` },
  { kind: "not_converged", en: /^demeaning did not converge within (\d+) sweeps \(tol (\S+)\) in some iteration$/, zh: `某次迭代中去均值在{1}轮内${NOTCONV}（容差{2}）` },
  { kind: "not_converged", en: /^the logit did not converge within (\d+) Newton iterations$/, zh: `Logit模型在{1}次牛顿迭代内${NOTCONV}` },
  { kind: "not_converged", en: /^the propensity-score logit did not converge within (\d+) iterations$/, zh: `倾向得分Logit模型在{1}次迭代内${NOTCONV}` },
  { kind: "not_converged", en: /^(\d+) fixed-effect solve\(s\) did not converge within (\d+) sweeps$/, zh: `{1}次固定效应求解在{2}轮内${NOTCONV}` },
  { kind: "not_converged", en: /^first stage: the fixed effects of (\d+) column\(s\) did not converge within (\d+) sweeps$/, zh: `第一阶段：{1}列的固定效应在{2}轮内${NOTCONV}` },
  { kind: "not_converged", en: /^the IRLS did not converge within (\d+) iterations \(glm tolerance (\S+)\); final deviance (\S+)$/, zh: `IRLS在{1}次迭代内${NOTCONV}（容差{2}），最终偏差为{3}` },
  { kind: "data", en: /^(\d+) treated observation\(s\) outside the window (-?\d+):(-?\d+) dropped$/, zh: "事件窗口{2}至{3}之外的{1}个处理组观测值被删除" },
  { kind: "data", en: /^(\d+) always-treated unit\(s\) (?:\(treated in the first period\) )?dropped: they have no pre-period$/, zh: "删除{1}个始终处理的个体（首期即受处理，没有处理前期）" },
  { kind: "data", en: /^(\d+) treated unit\(s\) outside the controls' score range dropped \(common support\)$/, zh: "{1}个倾向得分超出对照组取值范围的处理组个体被删除（共同支撑）" },
  { kind: "data", en: /^(\d+) unit\(s\) not observed in every period dropped .*$/, zh: "删除{1}个未在每期均被观测的个体（平衡面板，与did包的默认做法一致）" },
  { kind: "data", en: /^(\d+) treated observation\(s\) dropped: their unit or period has no untreated observation to impute Y\(0\) from$/, zh: "{1}个处理组观测值被删除：其个体或时期没有可用于插补Y(0)的未处理观测值" },
  { kind: "data", en: /^cohort (\S+) has a single unit: .*$/, zh: "队列{1}只有一个个体：其效应仅依赖该个体，标准误不可靠" },
  { kind: "unmatched", en: /^(\d+) of (\d+) treated unit\(s\) dropped: no control within the caliper (\S+)$/, zh: "{2}个处理组个体中有{1}个因卡尺{3}内没有对照个体而被删除" },
  { kind: "unmatched", en: /^(\d+) of (\d+) treated unit\(s\) dropped: no unused control left$/, zh: "{2}个处理组个体中有{1}个因没有剩余的未使用对照个体而被删除" },
  { kind: "unmatched", en: /^(\d+) of (\d+) treated unit\(s\) dropped: (.+)$/, zh: "{2}个处理组个体中有{1}个未能匹配而被删除（{3}）" },
  { kind: "draws_left_out", en: /^(\d+) draw\(s\) gave a fake treatment collinear with the fixed effects and were left out$/, zh: "{1}次抽样的虚构处理变量与固定效应共线，未计入" },
  { kind: "draws_left_out", en: /^(\d+) draw\(s\) where "(.+)" could not be estimated in a resampled group were left out$/, zh: "{1}次抽样中{2}在重抽样的某组内无法估计，未计入" },
  { kind: "draws_left_out", en: /^(\d+) replicate\(s\) gave no estimate and were left out$/, zh: "{1}次重复抽样未得到估计值，未计入" },
  { kind: "treatment_mismatch", en: /^(\d+) observation\(s\) where "(.+)" differs from 1\{(.+) >= cohort\}: fake treatments follow the cohort rule$/, zh: "{1}个观测值的{2}与1{{3} >= cohort}不一致：虚构处理按队列规则生成" },
  { kind: "few_clusters", en: /^only (\d+) clusters: the wild bootstrap distribution has at most (\d+) distinct Rademacher draws$/, zh: "仅有{1}个聚类：野自助法分布最多只有{2}种不同的Rademacher抽样" },
  { kind: "precision_loss", en: /^the power is accurate to about (\S+) \((\d+) pre-periods: lattice integration, seeded\)$/, zh: "检验功效的精度约为{1}（{2}个处理前期：带随机数种子的格点积分）" },
  { kind: "precision_loss", en: /^the weighted 2x2 estimates add up to (\S+), not the TWFE estimate (\S+)$/, zh: "各2×2估计值的加权和为{1}，与TWFE估计值{2}不一致" },
  { kind: "method", en: /^no trend given: the hypothesised trend is the linear one the pre-test detects half the time \(slope (\S+) per period\)$/, zh: "未给定趋势：假设趋势取预检验有50%功效识别出的线性趋势（每期斜率{1}）" },
  {
    kind: "method",
    en: /^TWFE, did2s and Sun-Abraham measure pre-periods against period -1; Callaway-Sant'Anna's pre-periods use a varying base period \(each against the period before\), and imputation shows post-periods only \(its pre-trend test is a separate regression\)$/,
    zh: "TWFE、did2s与Sun-Abraham的处理前各期均以第-1期为基期；Callaway-Sant'Anna的处理前各期采用变动基期（各期与其前一期比较）；插补估计量只报告处理后各期（其前趋势检验为单独的回归）",
  },
  { kind: "method", en: /^always-treated units \(treated in the first period\) serve only as controls .*$/, zh: "始终处理的个体（首期即受处理）只作为对照组（“晚处理组与始终处理组”），与bacondecomp一致" },
  { kind: "method", en: /^randomization inference gives a p-value only \(no confidence interval\)$/, zh: "随机化推断只给出p值（没有置信区间）" },
  { kind: "method", en: /^(.+) left out: (.+)$/, zh: "{1}未纳入：{2}" },
];

/** The note's message in Chinese, or its English when no rule knows it. */
export function zhNoteText(n: Note): string {
  for (const r of ZH_NOTES) {
    if (r.kind !== n.kind) continue;
    const m = r.en.exec(n.message);
    if (m) return r.zh.replace(/\{(\d+)\}/g, (all, k: string) => m[Number(k)] ?? all);
  }
  return n.message;
}
