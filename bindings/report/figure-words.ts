// The words of the figures that commands draw (HonestDiD's sensitivity plot, the pre-trend power plot,
// matching's score densities), taken from the report's phrasebook, so that a report in another language
// has no English inside those figures either. The commands alone (--plot) keep their English.
import type { FigureText } from "../commands/types.js";
import type { Words } from "./words.js";

export function figureWords(w: Words): FigureText {
  return {
    sensitivity: {
      title: w.honestFigureTitle, relativeMagnitudes: w.honestRelative, smoothness: w.honestSmooth, xLabel: w.honestXLabel, yLabel: w.honestYLabel,
      original: w.honestOriginalTick, description: w.honestFigureDescription,
    },
    pretrends: { title: w.pretrendsFigureTitle, xLabel: w.pretrendsXLabel, yLabel: w.esYLabel, estimate: w.pretrendsEstimate, trend: w.pretrendsTrend, afterPretest: w.pretrendsAfter },
    scoreDensity: {
      before: w.psmBefore, after: w.psmAfter, xLabel: w.psmScore, yLabel: w.psmDensity, treated: w.psmTreated, control: w.psmControl, description: w.psmFigureDescription,
    },
  };
}
